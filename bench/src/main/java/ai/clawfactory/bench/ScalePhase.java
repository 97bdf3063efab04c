package ai.clawfactory.bench;

import static ai.clawfactory.bench.Harness.WORKER;
import static ai.clawfactory.bench.Harness.round1;

import ai.clawfactory.testing.PostgresServer;
import io.temporal.client.WorkflowStub;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleDescription;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How cost grows with the work ({@code ./clawfactory bench --scale}): generated definitions and
 * schedules at each size (validate, first and second sync, the calls the second makes, worker start
 * and memory, a hot reload, punctuality of every schedule due in one minute), runs parked in a wait,
 * and ledgers of growing size on SQLite and PostgreSQL. Reports figures; asserts nothing about them.
 */
final class ScalePhase {

    private static final Logger LOG = LoggerFactory.getLogger(ScalePhase.class);
    private static final Pattern COST = Pattern.compile("(\\d+) calls to Temporal, (\\d+) ms\\.");
    private static final String QUEUE = "bench-scale";
    private static final String NO_INDEX = "bench-no-hash-index";
    private static final String HASH_ATTRIBUTE = "ClawfactorySpecHash";

    /** The sizes of one mode. */
    record Sizes(List<Integer> schedules, List<Integer> definitions, List<Integer> parked, List<Integer> ledgerRows) {
        static Sizes of(boolean quick) {
            return quick
                    ? new Sizes(List.of(20), List.of(1, 20), List.of(20), List.of(10, 10_000))
                    : new Sizes(
                            List.of(10, 100, 1000),
                            List.of(1, 10, 100, 1000),
                            List.of(1000, 10_000),
                            List.of(10, 10_000, 100_000, 1_000_000));
        }
    }

    private final Harness h;
    private final Sizes sizes;
    private final List<String> notMeasured = new ArrayList<>();

    ScalePhase(Harness h, Sizes sizes) {
        this.h = h;
        this.sizes = sizes;
    }

    List<String> notMeasured() {
        return notMeasured;
    }

    // ---- schedules: validate, sync, punctuality ----

    List<ScaleResults.SyncRow> sync(List<ScaleResults.PunctualityRow> punctuality) throws Exception {
        h.server.temporal("operator", "search-attribute", "create", "--name", HASH_ATTRIBUTE, "--type", "Keyword");
        h.server.temporal("operator", "namespace", "create", "--namespace", NO_INDEX);
        List<ScaleResults.SyncRow> rows = new ArrayList<>();
        for (int n : sizes.schedules()) {
            Path dir = Files.createDirectories(h.work.resolve("scale-schedules-" + n));
            writeScheduled(dir, n, "0 0 1 1 *", 0);
            if (n == sizes.schedules().get(0)) {
                // Not measured: records the CLI's class archive as the first command of a checkout does
                // (./clawfactory dev's sync at start); every call below maps it.
                List<String> record = new ArrayList<>(syncArgs(dir, null));
                record.add("--dry-run");
                cli("record-class-archive", record);
            }
            long validate = cli("validate-" + n, List.of("validate", dir.toString()))[0];
            long[] first = cli("sync1-" + n, syncArgs(dir, null));
            awaitListedWithHash(n);
            long[] second = cli("sync2-" + n, syncArgs(dir, null));
            long[] settled = awaitSettled() ? cli("sync2-settled-" + n, syncArgs(dir, null)) : null;
            if (settled == null) {
                notMeasured.add("the second sync, settled, at " + n + ": the machine stayed busy for 120 s");
            }
            Long noIndexMs = null;
            Integer noIndexCalls = null;
            if (n <= 1000) {
                cli("sync1-noindex-" + n, syncArgs(dir, NO_INDEX));
                long[] again = cli("sync2-noindex-" + n, syncArgs(dir, NO_INDEX));
                noIndexMs = again[0];
                noIndexCalls = (int) again[2];
                cli("delete-noindex-" + n, syncArgs(Files.createDirectories(h.work.resolve("empty")), NO_INDEX));
            }
            // Every schedule due at the same second (an hourly interval whose offset is that second),
            // far enough ahead for the update of all of them to finish first.
            Instant due = Instant.now().plusMillis(first[0] * 2 + 10_000).truncatedTo(ChronoUnit.SECONDS);
            writeScheduled(dir, n, null, due.getEpochSecond() % 3600);
            long[] update = cli("sync-update-" + n, syncArgs(dir, null));
            if (Instant.now().isAfter(due.minusSeconds(1))) {
                notMeasured.add("punctuality at " + n + ": the update of the schedules ended after their time");
            } else {
                punctuality.add(punctuality(n, due));
            }
            long[] delete = cli("sync-delete-" + n, syncArgs(Files.createDirectories(h.work.resolve("empty")), null));
            ScaleResults.SyncRow row = new ScaleResults.SyncRow(
                    n,
                    validate,
                    first[0],
                    first[1],
                    (int) first[2],
                    second[0],
                    second[1],
                    (int) second[2],
                    noIndexMs,
                    noIndexCalls,
                    update[0],
                    delete[0],
                    settled == null ? null : settled[0],
                    settled == null ? null : settled[1]);
            LOG.info("scale: sync of {} schedules: {}", n, row);
            rows.add(row);
        }
        return rows;
    }

    private List<String> syncArgs(Path dir, String namespace) {
        List<String> args = new ArrayList<>(List.of("sync", dir.toString(), "--task-queue", QUEUE));
        if (namespace != null) {
            args.add("--namespace");
            args.add(namespace);
        }
        return args;
    }

    /**
     * Definitions {@code scale-0 … scale-(n-1)}: one long wait each, and a schedule on {@code cron}
     * (UTC), or without one an hourly interval at {@code offsetSeconds} past the hour.
     */
    private static void writeScheduled(Path dir, int n, String cron, long offsetSeconds) throws IOException {
        String when = cron != null
                ? "  cron: \"" + cron + "\"\n"
                : "  interval: 1h\n" + (offsetSeconds > 0 ? "  offset: " + offsetSeconds + "s\n" : "");
        for (int i = 0; i < n; i++) {
            Files.writeString(
                    dir.resolve("scale-" + i + ".yaml"),
                    "name: BenchScale" + i + "Workflow\nsteps:\n  - id: park\n    wait: 1h\n"
                            + "schedule:\n  id: scale-" + i + "\n" + when + "  timezone: UTC\n  overlap: allowAll\n");
        }
    }

    /**
     * Runs the schedules CLI as {@code ./clawfactory} does (the launcher and the CLI's class archive);
     * returns {wall ms, in-process ms (or -1), calls (or -1)}.
     */
    private long[] cli(String name, List<String> args) throws InterruptedException, IOException {
        BenchProcess p =
                h.cli(h.programs.schedulesJar(), args, Map.of("TEMPORAL_ADDRESS", h.server.target()), "scale-" + name);
        int code = p.awaitExit(600);
        long wall = p.elapsedMillis();
        if (code != 0) {
            throw new IllegalStateException(
                    "schedules " + String.join(" ", args) + " exited with " + code + ":\n" + p.log());
        }
        Matcher m = COST.matcher(p.log());
        return m.find()
                ? new long[] {wall, Long.parseLong(m.group(2)), Long.parseLong(m.group(1))}
                : new long[] {wall, -1, -1};
    }

    /**
     * Waits (at most 120 s) until both cores have been at least 80 % idle over a whole second: the dev
     * server has finished starting what the last sync created. False when it never settles.
     */
    private static boolean awaitSettled() throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        long[] before = cpuTicks();
        while (System.nanoTime() < deadline) {
            Thread.sleep(1000);
            long[] now = cpuTicks();
            long total = now[0] - before[0];
            if (total > 0 && (now[1] - before[1]) * 100 >= total * 80) {
                return true;
            }
            before = now;
        }
        return false;
    }

    /** {total, idle} jiffies of all cores, from /proc/stat's first line. */
    private static long[] cpuTicks() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    }

    private void awaitListedWithHash(int n) throws InterruptedException {
        ScheduleClient schedules = ScheduleClient.newInstance(h.stubs);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            long listed = schedules
                    .listSchedules(1000)
                    .filter(s -> s.getSearchAttributes().containsKey(HASH_ATTRIBUTE))
                    .count();
            if (listed >= n) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the listing did not show " + n + " schedules with their hash within 120 s");
    }

    private ScaleResults.PunctualityRow punctuality(int n, Instant due) throws Exception {
        int waited = h.quick ? 10 : 90;
        Harness.sleep(Duration.between(Instant.now(), due.plusSeconds(waited)));
        ScheduleClient schedules = ScheduleClient.newInstance(h.stubs);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Long> lateness = new ArrayList<>();
        int notFired = 0;
        try {
            List<Future<ScheduleDescription>> described = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String id = "scale-" + i;
                described.add(pool.submit(() -> schedules.getHandle(id).describe()));
            }
            for (Future<ScheduleDescription> f : described) {
                ScheduleActionResult fired = f.get().getInfo().getRecentActions().stream()
                        .filter(a -> a.getScheduledAt().equals(due))
                        .findFirst()
                        .orElse(null);
                if (fired == null) {
                    notFired++;
                } else {
                    lateness.add(Duration.between(due, fired.getStartedAt()).toMillis());
                }
            }
        } finally {
            pool.shutdown();
        }
        ScaleResults.PunctualityRow row = new ScaleResults.PunctualityRow(
                n,
                lateness.isEmpty() ? -1 : Stats.percentile(lateness, 50),
                lateness.isEmpty() ? -1 : Stats.percentile(lateness, 99),
                lateness.isEmpty() ? -1 : Stats.percentile(lateness, 100),
                notFired,
                waited);
        LOG.info("scale: punctuality of {} schedules due at {}: {}", n, due, row);
        return row;
    }

    // ---- the worker: first poll and memory with N definitions, a hot reload ----

    List<ScaleResults.WorkerRow> worker() throws Exception {
        // One start first, as the unit's first start records the AppCDS archive the later ones map.
        try (BenchProcess warm = h.launch(WORKER, h.unitFlags(), true, "bench-scale-warm")) {
            h.awaitFirstPoll(warm, "bench-scale-warm");
        }
        List<ScaleResults.WorkerRow> rows = new ArrayList<>();
        for (int n : sizes.definitions()) {
            Path dir = Files.createDirectories(h.work.resolve("scale-definitions-" + n));
            for (int i = 0; i < n; i++) {
                Files.writeString(
                        dir.resolve("def-" + i + ".yaml"),
                        "name: BenchDef" + i + "Workflow\nsteps:\n  - id: park\n    wait: 1h\n");
            }
            String queue = "bench-scale-defs-" + n;
            try (BenchProcess p = h.launch(WORKER, h.unitFlags(), true, queue, dir)) {
                long firstPoll = h.awaitFirstPoll(p, queue);
                Harness.sleep(h.plan.settle());
                double idle = p.rssMiB();
                // A hot reload: a new file, then a run of its type (the worker re-reads the folder on use).
                Files.writeString(
                        dir.resolve("reload.yaml"), "name: BenchReloadWorkflow\nsteps:\n  - id: park\n    wait: 1h\n");
                long t0 = System.nanoTime();
                WorkflowStub stub =
                        h.client.newUntypedWorkflowStub("BenchReloadWorkflow", h.options(queue, queue + "-reload"));
                stub.start();
                Harness.await(
                        "the worker to reload " + n + " definitions",
                        Duration.ofMinutes(2),
                        p,
                        () -> h.parked(queue + "-reload"));
                long reload = (System.nanoTime() - t0) / 1_000_000;
                Harness.sleep(h.plan.settle());
                ScaleResults.WorkerRow row =
                        new ScaleResults.WorkerRow(n, firstPoll, round1(idle), reload, round1(p.rssMiB()));
                LOG.info("scale: worker with {} definitions: {}", n, row);
                rows.add(row);
                stub.terminate("bench done");
            }
        }
        return rows;
    }

    // ---- parked runs ----

    List<ScaleResults.ParkedRow> parked() throws Exception {
        List<ScaleResults.ParkedRow> rows = new ArrayList<>();
        for (int count : sizes.parked()) {
            String queue = "bench-scale-park-" + count;
            h.gateway.reset();
            try (BenchProcess p = h.launch(WORKER, h.unitFlags(), true, queue)) {
                h.awaitFirstPoll(p, queue);
                Harness.sleep(h.plan.settle());
                double idle = p.rssMiB();
                double serverIdle = BenchProcess.rssMiB(h.server.handle());
                long t0 = System.nanoTime();
                Harness.startAll("parked", count, id -> {
                    WorkflowStub stub = h.client.newUntypedWorkflowStub(
                            Harness.parkType(WORKER), h.options(queue, queue + "-" + id));
                    stub.start();
                    return stub;
                });
                int[] next = {0};
                Harness.await(count + " workflows to park", Duration.ofMinutes(30), p, () -> {
                    while (next[0] < count && h.parked(queue + "-" + next[0])) {
                        next[0]++;
                    }
                    return next[0] == count;
                });
                long seconds = (System.nanoTime() - t0) / 1_000_000_000;
                Harness.sleep(h.plan.settle().multipliedBy(2));
                p.requireAlive("the worker");
                ScaleResults.ParkedRow row = new ScaleResults.ParkedRow(
                        count,
                        seconds,
                        round1(idle),
                        round1(p.rssMiB()),
                        round1(serverIdle),
                        round1(BenchProcess.rssMiB(h.server.handle())));
                LOG.info("scale: {}", row);
                rows.add(row);
            }
        }
        return rows;
    }

    // ---- the ledger ----

    List<ScaleResults.LedgerRow> ledger() throws Exception {
        List<ScaleResults.LedgerRow> rows = new ArrayList<>();
        for (int n : sizes.ledgerRows()) {
            Path file = h.work.resolve("ledger-scale-" + n + ".db");
            String url = "jdbc:sqlite:" + file;
            long t0 = System.nanoTime();
            fill(url, n, false);
            long fill = (System.nanoTime() - t0) / 1_000_000;
            double size = Files.size(file) / 1048576.0;
            if (rows.isEmpty()) {
                // Not measured: records the worker jar's CLI class archive, as a checkout's first `turns` does.
                turnsOnce(
                        "record-class-archive",
                        List.of("--ledger", file.toString()),
                        Map.of(),
                        "turns",
                        "--limit",
                        "1");
            }
            rows.add(turns("sqlite", n, fill, size, List.of("--ledger", file.toString()), Map.of()));
            Files.deleteIfExists(file);
        }
        PostgresServer pg;
        try {
            pg = PostgresServer.start();
        } catch (RuntimeException e) {
            notMeasured.add("ledger on PostgreSQL: no PostgreSQL to start here (" + e.getMessage() + ")");
            return rows;
        }
        try (pg) {
            for (int n : sizes.ledgerRows()) {
                try (Connection c = DriverManager.getConnection(pg.jdbcUrl());
                        Statement s = c.createStatement()) {
                    s.execute("DROP TABLE IF EXISTS turn_attempt");
                    s.execute("DROP TABLE IF EXISTS ledger_schema");
                }
                long t0 = System.nanoTime();
                fill(pg.jdbcUrl(), n, true);
                long fill = (System.nanoTime() - t0) / 1_000_000;
                double size;
                try (Connection c = DriverManager.getConnection(pg.jdbcUrl());
                        Statement s = c.createStatement();
                        ResultSet r = s.executeQuery("SELECT pg_total_relation_size('turn_attempt')")) {
                    r.next();
                    size = r.getLong(1) / 1048576.0;
                }
                rows.add(
                        turns("postgresql", n, fill, size, List.of(), Map.of("DATASOURCES_DEFAULT_URL", pg.jdbcUrl())));
            }
        }
        return rows;
    }

    /**
     * A ledger with the worker's own schema (its migrations, read from its jar) and {@code n}
     * attempts, 100 per workflow, every one older than the default retention.
     */
    private void fill(String url, int n, boolean postgres) throws IOException, SQLException {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            if (!postgres) {
                s.execute("PRAGMA journal_mode=WAL");
            }
            s.execute("CREATE TABLE ledger_schema (version INTEGER NOT NULL PRIMARY KEY, "
                    + "script VARCHAR(255) NOT NULL, applied_at BIGINT NOT NULL)");
            int version = 0;
            for (Map.Entry<String, String> m : migrations().entrySet()) {
                for (String sql : m.getValue().split(";")) {
                    String stmt = sql.lines()
                            .filter(l -> !l.trim().startsWith("--"))
                            .reduce("", (a, b) -> a + "\n" + b)
                            .trim();
                    if (!stmt.isEmpty()) {
                        s.execute(stmt);
                    }
                }
                s.execute("INSERT INTO ledger_schema VALUES (" + (++version) + ", '" + m.getKey() + "', 0)");
            }
            String columns = "(id, turn_key, workflow_id, run_id, workflow_type, step_id, attempt, kind, status, "
                    + "http_status, started_at, duration_ms, request, output)";
            String values = " 'wf-' || (i/100) || '/run/step' || (i%100), 'wf-' || (i/100), 'run-' || (i/100), "
                    + "'BenchWorkflow', 'step' || (i%100), 1, 'agentTurn', 'ok', 200, 1700000000000 + i*1000, 1200, "
                    + "'{\"message\":\"hello\"}', 'ok'";
            s.execute(
                    postgres
                            ? "INSERT INTO turn_attempt " + columns
                                    + " SELECT lpad(to_hex(i), 8, '0') || '-0000-4000-8000-' "
                                    + "|| lpad(to_hex(i), 12, '0'), " + values + " FROM generate_series(0, " + (n - 1)
                                    + ") AS i"
                            : "WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < " + (n - 1)
                                    + ") "
                                    + "INSERT INTO turn_attempt " + columns
                                    + " SELECT printf('%08x-0000-4000-8000-%012x', i, i), "
                                    + values + " FROM c");
            if (postgres) {
                s.execute("ANALYZE turn_attempt");
            }
        }
    }

    /** The worker's migrations, in version order, from its jar. */
    private Map<String, String> migrations() throws IOException {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        try (JarFile jar = new JarFile(h.programs.workerJar().toFile())) {
            List<JarEntry> entries = jar.stream()
                    .filter(e -> e.getName().matches("db/migration/V\\d+__.*\\.sql"))
                    .sorted(Comparator.comparingInt(e -> Integer.parseInt(e.getName()
                            .substring("db/migration/V".length(), e.getName().indexOf("__")))))
                    .toList();
            for (JarEntry e : entries) {
                try (InputStream in = jar.getInputStream(e)) {
                    out.put(
                            e.getName().substring("db/migration/".length()),
                            new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no db/migration/V*.sql in " + h.programs.workerJar());
        }
        return out;
    }

    private ScaleResults.LedgerRow turns(
            String database, int n, long fill, double size, List<String> where, Map<String, String> env)
            throws InterruptedException, IOException {
        String workflow = "wf-" + (n / 200);
        long byWorkflow = median(database + "-" + n + "-workflow", where, env, "turns", "--workflow", workflow);
        long latest = median(database + "-" + n + "-limit", where, env, "turns", "--limit", "50");
        long t0 = System.nanoTime();
        String out = turnsOnce(database + "-" + n + "-prune", where, env, "turns", "prune");
        long prune = (System.nanoTime() - t0) / 1_000_000;
        Matcher m = Pattern.compile("Deleted (\\d+) attempt").matcher(out);
        long pruned = m.find() ? Long.parseLong(m.group(1)) : -1;
        ScaleResults.LedgerRow row =
                new ScaleResults.LedgerRow(database, n, fill, round1(size), byWorkflow, latest, prune, pruned);
        LOG.info("scale: ledger {}", row);
        return row;
    }

    private long median(String name, List<String> where, Map<String, String> env, String... args)
            throws InterruptedException, IOException {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < (h.quick ? 1 : 5); i++) {
            long t0 = System.nanoTime();
            turnsOnce(name + "-" + i, where, env, args);
            times.add((System.nanoTime() - t0) / 1_000_000);
        }
        return (long) Stats.percentile(times, 50);
    }

    /** {@code turns …} as {@code ./clawfactory turns} runs it (the launcher and the CLI's class archive). */
    private String turnsOnce(String name, List<String> where, Map<String, String> env, String... args)
            throws InterruptedException, IOException {
        List<String> cmd = new ArrayList<>(List.of(args));
        cmd.addAll(where);
        BenchProcess p = h.cli(h.programs.workerJar(), cmd, env, "scale-ledger-" + name);
        int code = p.awaitExit(600);
        if (code != 0) {
            throw new IllegalStateException(String.join(" ", args) + " exited with " + code + ":\n" + p.log());
        }
        return p.log();
    }
}

package ai.clawfactory.bench;

import ai.clawfactory.testing.TemporalDevServer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.protobuf.Timestamp;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./clawfactory bench}: measures the packaged worker against the real Temporal dev server
 * (SQLite, WAL) and a stub gateway, next to a bare Temporal SDK worker measured in the same run.
 * Every figure is a median of several runs, every comparison a ratio of figures from this run.
 * It reports; it asserts nothing about speed.
 */
@Command(name = "clawfactory-bench", mixinStandardHelpOptions = true,
        description = "Start-up, memory, throughput and schedule latency of the worker, with a bare-SDK baseline.")
public final class Bench implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(Bench.class);
    private static final Pattern STARTED_IN = Pattern.compile("Started in (\\d+) ms");
    private static final String NAMESPACE = "default";

    @Option(names = "--quick", description = "Smoke mode: few repetitions and small counts (CI runs this).")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "target/bench",
            description = "Where results.json, report.md, chart.png and the process logs go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--worker-jar", required = false, paramLabel = "JAR", description = "The packaged clawfactory worker.")
    Path workerJar;

    @Option(names = "--bare-jar", required = false, paramLabel = "JAR", description = "The bare SDK worker (baseline).")
    Path bareJar;

    @Option(names = "--schedules-jar", required = false, paramLabel = "JAR", description = "The schedules CLI.")
    Path schedulesJar;

    @Option(names = "--unit-flags", required = false, paramLabel = "FLAGS",
            description = "The JVM flags of the worker's systemd unit (JAVA_OPTS there).")
    String unitFlags;

    @Option(names = "--launcher", required = false, paramLabel = "SCRIPT",
            description = "systemd/clawfactory-java: how the unit starts the jar, with its AppCDS archive.")
    Path launcher;

    @Option(names = "--from-results", paramLabel = "FILE",
            description = "Measure nothing: render report.md and chart.png again from a results.json into --out.")
    Path fromResults;

    @Option(names = "--parked", paramLabel = "N", description = "Workflows to park for the memory figure (default: 1000; --quick: 50).")
    Integer parkedOverride;

    @Option(names = "--workflows", paramLabel = "N", description = "Two-turn workflows per throughput round (default: 200; --quick: 20).")
    Integer throughputOverride;

    /** With the unit's launcher and a recorded AppCDS archive, as the unit runs after its first stop. */
    static final String SHIPPED = "unit flags + AppCDS";

    /** Repetitions and counts for one mode. */
    record Plan(int coldRuns, int variantRuns, Duration settle, int parked, int throughputCount, int throughputRounds,
                int firings) {
        static Plan of(boolean quick) {
            return quick ? new Plan(2, 1, Duration.ofSeconds(2), 50, 20, 1, 5)
                    : new Plan(5, 3, Duration.ofSeconds(5), 1000, 200, 3, 30);
        }
    }

    private Plan plan;
    private Path work;
    private TemporalDevServer server;
    private StubGateway gateway;
    private WorkflowServiceStubs stubs;
    private WorkflowClient client;
    private int launches;

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new Bench());
        // A failed phase says what failed and where its logs are; no stack trace for that.
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("bench: " + e.getMessage());
            if (e.getCause() != null && e.getCause() != e) {
                commandLine.getErr().println("bench: cause: " + e.getCause());
            }
            return 1;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (fromResults != null) {
            Results saved = new ObjectMapper().readValue(fromResults.toFile(), Results.class);
            Files.createDirectories(out);
            Files.writeString(out.resolve("report.md"), Report.markdown(saved));
            Report.chart(saved, out.resolve("chart.png"));
            LOG.info("Rendered {} and {} from {}", out.resolve("report.md"), out.resolve("chart.png"), fromResults);
            return 0;
        }
        for (Object[] o : new Object[][] {{"--worker-jar", workerJar}, {"--bare-jar", bareJar}, {"--schedules-jar", schedulesJar},
                {"--unit-flags", unitFlags}, {"--launcher", launcher}}) {
            if (o[1] == null) {
                throw new CommandLine.ParameterException(new CommandLine(this), "Missing required option " + o[0]
                        + " (./clawfactory bench passes it)");
            }
        }
        plan = Plan.of(quick);
        if (parkedOverride != null || throughputOverride != null) {
            plan = new Plan(plan.coldRuns(), plan.variantRuns(), plan.settle(),
                    parkedOverride != null ? parkedOverride : plan.parked(),
                    throughputOverride != null ? throughputOverride : plan.throughputCount(), plan.throughputRounds(), plan.firings());
        }
        Files.createDirectories(out.resolve("logs"));
        work = Files.createTempDirectory("clawfactory-bench-");
        Instant began = Instant.now();
        LOG.info("Benchmark ({} mode); results in {}", quick ? "quick" : "full", out.toAbsolutePath());
        try (TemporalDevServer s = TemporalDevServer.start(); StubGateway g = new StubGateway()) {
            server = s;
            gateway = g;
            stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(s.target()).build());
            client = WorkflowClient.newInstance(stubs);
            writeDefinitions();

            double jvmAlone = jvmAloneMillis();
            List<Results.StartupRow> startup = startupAndIdleMemory();
            Results.Classes classes = new Results.Classes(classesLoaded("worker"), classesLoaded("bare"));
            Results.Parked parked = parkedMemory();
            Results.Throughput throughput = throughput();
            Results.ScheduleLatency schedule = scheduleLatency();

            Results results = new Results(quick ? "quick" : "full", Machine.describe(s.cli()), began.toString(),
                    Duration.between(began, Instant.now()).toSeconds(), unitFlags, jvmAlone, startup, classes, parked,
                    throughput, schedule);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("results.json").toFile(), results);
            Files.writeString(out.resolve("report.md"), Report.markdown(results));
            Report.chart(results, out.resolve("chart.png"));
            LOG.info("Done in {} s:\n{}", results.wallSeconds(), Report.markdown(results));
            LOG.info("Wrote {}, {} and {}", out.resolve("report.md"), out.resolve("results.json"), out.resolve("chart.png"));
            return 0;
        } finally {
            if (stubs != null) {
                stubs.shutdownNow();
            }
            deleteTree(work);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Phases

    /** The JVM alone with the unit's flags: launch to exit of an empty main. */
    private double jvmAloneMillis() throws InterruptedException {
        List<Long> ms = new ArrayList<>();
        for (int i = 0; i < plan.coldRuns(); i++) {
            JavaProcess p = JavaProcess.start(flags(unitFlags), List.of("-cp", bareJar.toString(),
                    "ai.clawfactory.bench.bare.EmptyMain"), Map.of(), log("jvm-alone-" + i));
            int code = p.awaitExit(60);
            if (code != 0) {
                throw new IllegalStateException("an empty JVM exited with " + code + ":\n" + p.log());
            }
            ms.add(p.elapsedMillis());
        }
        LOG.info("JVM alone: {} ms (median of {})", Stats.median(ms), ms);
        return Stats.median(ms);
    }

    /** Cold start to first poll and idle RSS, for the worker and the bare SDK worker, under several flag sets. */
    private List<Results.StartupRow> startupAndIdleMemory() throws InterruptedException, IOException {
        record Variant(String worker, String name, String flags, boolean appCds, int runs) {
        }
        List<Variant> variants = new ArrayList<>();
        variants.add(new Variant("worker", SHIPPED, unitFlags, true, plan.coldRuns()));
        variants.add(new Variant("bare", SHIPPED, unitFlags, true, plan.coldRuns()));
        variants.add(new Variant("worker", "unit flags (first start: no archive yet)", unitFlags, false, plan.variantRuns()));
        // What /metrics and /health cost: the same worker with the endpoint off (a system property
        // overrides WORKER_HTTP_PORT).
        variants.add(new Variant("worker", "unit flags + AppCDS, metrics endpoint off", unitFlags + " -Dobserve.port=-1", true,
                plan.variantRuns()));
        if (!quick) {
            variants.add(new Variant("bare", "unit flags (no archive)", unitFlags, false, plan.variantRuns()));
            variants.add(new Variant("worker", "unit flags + AppCDS, G1 GC", unitFlags.replace("-XX:+UseSerialGC", "-XX:+UseG1GC"), true, plan.variantRuns()));
            variants.add(new Variant("worker", "unit flags + AppCDS, C2 JIT", unitFlags.replace("-XX:TieredStopAtLevel=1", ""), true, plan.variantRuns()));
            variants.add(new Variant("worker", "unit flags, no CDS at all", unitFlags.replace("-Xshare:auto", "-Xshare:off"), false, plan.variantRuns()));
            variants.add(new Variant("worker", "unit flags + AppCDS, without the heap and buffer settings", withoutMemorySettings(unitFlags), true,
                    plan.variantRuns()));
            variants.add(new Variant("bare", "JVM defaults", "", false, plan.variantRuns()));
        }
        variants.add(new Variant("worker", "JVM defaults", "", false, plan.variantRuns()));
        // The unit's first start records the archive when it stops; do that once per worker and
        // flag set (the archive is keyed on the flags, each set has a folder of its own).
        Set<String> trained = new HashSet<>();
        for (Variant v : variants) {
            if (!v.appCds() || !trained.add(v.worker() + " " + v.flags())) {
                continue;
            }
            String queue = "bench-cds-training-" + trained.size();
            try (JavaProcess p = launch(v.worker(), v.flags(), true, queue)) {
                LOG.info("{} / {}: first start (records its AppCDS archive on exit) polled after {} ms", v.worker(), v.name(),
                        awaitFirstPoll(p, queue));
            }
        }

        Map<Variant, List<long[]>> samples = new LinkedHashMap<>();
        int rounds = variants.stream().mapToInt(Variant::runs).max().orElse(0);
        // Interleaved rounds, so that drift on a shared machine spreads over every variant alike.
        for (int round = 0; round < rounds; round++) {
            for (Variant v : variants) {
                if (round >= v.runs()) {
                    continue;
                }
                String queue = "bench-cold-" + (launches + 1);
                try (JavaProcess p = launch(v.worker(), v.flags(), v.appCds(), queue)) {
                    long firstPoll = awaitFirstPoll(p, queue);
                    sleep(plan.settle());
                    p.requireAlive(v.worker());
                    long rssKiB = Math.round(p.rssMiB() * 1024);
                    Matcher m = STARTED_IN.matcher(p.log());
                    long context = m.find() ? Long.parseLong(m.group(1)) : -1;
                    samples.computeIfAbsent(v, k -> new ArrayList<>()).add(new long[] {firstPoll, rssKiB, context});
                    LOG.info("{} / {}: first poll after {} ms, idle RSS {} MiB", v.worker(), v.name(), firstPoll, rssKiB / 1024);
                }
            }
        }
        List<Results.StartupRow> rows = new ArrayList<>();
        for (Map.Entry<Variant, List<long[]>> e : samples.entrySet()) {
            List<Long> poll = e.getValue().stream().map(a -> a[0]).toList();
            List<Double> rss = e.getValue().stream().map(a -> Math.round(a[1] / 1024.0 * 10) / 10.0).toList();
            List<Long> context = e.getValue().stream().map(a -> a[2]).filter(c -> c >= 0).toList();
            rows.add(new Results.StartupRow(e.getKey().worker(), e.getKey().name(), e.getKey().flags(), poll, Stats.median(poll),
                    rss, Stats.median(rss), context, context.isEmpty() ? Double.NaN : Stats.median(context)));
        }
        return rows;
    }

    /** Classes loaded by the time the worker polls, counted from {@code -Xlog:class+load}. */
    private long classesLoaded(String worker) throws InterruptedException, IOException {
        Path classLog = work.resolve("classes-" + worker + ".log");
        String queue = "bench-classes-" + worker;
        try (JavaProcess p = launch(worker, unitFlags + " -Xlog:class+load:file=" + classLog, false, queue)) {
            awaitFirstPoll(p, queue);
            try (var lines = Files.lines(classLog)) {
                return lines.filter(l -> l.contains(" source: ")).count();
            }
        }
    }

    /** The worker's RSS idle, then with {@code plan.parked} workflows each parked in a one-hour wait after one turn. */
    private Results.Parked parkedMemory() throws Exception {
        String queue = "bench-park";
        gateway.reset();
        try (JavaProcess p = launch("worker", unitFlags, true, queue)) {
            awaitFirstPoll(p, queue);
            sleep(plan.settle());
            double idle = p.rssMiB();
            long t0 = System.nanoTime();
            startAll("parked", plan.parked(), id -> {
                WorkflowStub stub = client.newUntypedWorkflowStub("BenchParkWorkflow", options(queue, "bench-park-" + id));
                stub.start();
                return stub;
            });
            await("the gateway to receive " + plan.parked() + " parked workflows' turns", Duration.ofMinutes(10), p,
                    () -> gateway.count("bench-park-") >= plan.parked());
            long seconds = (System.nanoTime() - t0) / 1_000_000_000;
            // The turn's completion leads to one more workflow task (the timer); let those drain.
            sleep(plan.settle().multipliedBy(2));
            p.requireAlive("worker");
            double parked = p.rssMiB();
            LOG.info("{} workflows parked in {} s: RSS {} MiB (idle {} MiB)", plan.parked(), seconds, round1(parked), round1(idle));
            return new Results.Parked(plan.parked(), round1(idle), round1(parked), seconds);
        }
    }

    /**
     * Completions per second of two-turn workflows: the worker with the stub gateway, and the bare
     * SDK with no-op activities, alternating round by round after one warm-up round each (JIT). The
     * ratio is the median of the rounds' ratios, each taken from neighbouring measurements.
     */
    private Results.Throughput throughput() throws Exception {
        long waitMillis = 1000;
        List<Double> ours = new ArrayList<>();
        List<Double> bare = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        try (JavaProcess w = launch("worker", unitFlags, true, "bench-tput");
             JavaProcess b = launch("bare", unitFlags, true, "bench-tput-bare")) {
            awaitFirstPoll(w, "bench-tput");
            awaitFirstPoll(b, "bench-tput-bare");
            for (int round = 0; round <= plan.throughputRounds(); round++) {
                gateway.reset();
                String tag = round == 0 ? "warmup" : String.valueOf(round);
                double o = completionsPerSecond(w, plan.throughputCount(), id -> {
                    WorkflowStub stub = client.newUntypedWorkflowStub("BenchTwoTurnWorkflow", options("bench-tput", "bench-tput-" + tag + "-" + id));
                    stub.start();
                    return stub;
                });
                double n = completionsPerSecond(b, plan.throughputCount(), id -> {
                    WorkflowStub stub = client.newUntypedWorkflowStub("BareTwoTurnWorkflow", options("bench-tput-bare", "bench-tput-bare-" + tag + "-" + id));
                    stub.start(waitMillis);
                    return stub;
                });
                LOG.info("Throughput round {}: worker {} /s, bare SDK {} /s", tag, round1(o), round1(n));
                if (round > 0) {
                    ours.add(o);
                    bare.add(n);
                    ratios.add(o / n);
                }
            }
        }
        return new Results.Throughput(plan.throughputCount(), waitMillis, ours.stream().map(Bench::round1).toList(),
                bare.stream().map(Bench::round1).toList(), round1(Stats.median(ours)), round1(Stats.median(bare)),
                Math.round(Stats.median(ratios) * 100) / 100.0);
    }

    /** An interval schedule made by {@code schedules sync}: from each run's scheduled time to the gateway receiving its turn. */
    private Results.ScheduleLatency scheduleLatency() throws Exception {
        gateway.reset();
        // Schedules start runs on the task queue clawfactory; no other phase uses it.
        try (JavaProcess w = launch("worker", unitFlags, true, "clawfactory")) {
            awaitFirstPoll(w, "clawfactory");
            runSchedules("sync");
            // One firing more than measured: the first turn after start-up pays for first uses (HTTP
            // connection, serializers, JIT), which a schedule's later runs do not.
            await(plan.firings() + 1 + " scheduled runs to reach the gateway", Duration.ofSeconds(plan.firings() * 3L + 60), w,
                    () -> gateway.count("bench-tick-") > plan.firings());
            runSchedules("delete", "bench-tick");
        }
        // Split each latency at the run's start: before it the server's scheduler, after it the worker.
        List<Long> total = new ArrayList<>();
        List<Long> server = new ArrayList<>();
        List<Long> worker = new ArrayList<>();
        List<StubGateway.Turn> turns = gateway.turns("bench-tick-");
        for (StubGateway.Turn t : turns.subList(1, plan.firings() + 1)) {
            // A scheduled run's id is the schedule's workflowId plus the scheduled time (RFC 3339).
            String when = t.message().substring("bench-tick-".length());
            Instant scheduled;
            try {
                scheduled = OffsetDateTime.parse(when).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalStateException("unexpected scheduled workflow id " + t.message(), e);
            }
            Timestamp started = stubs.blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                    .setNamespace(NAMESPACE)
                    .setExecution(WorkflowExecution.newBuilder().setWorkflowId(t.message()).build())
                    .build()).getWorkflowExecutionInfo().getStartTime();
            Instant start = Instant.ofEpochSecond(started.getSeconds(), started.getNanos());
            total.add(Duration.between(scheduled, t.receivedAt()).toMillis());
            server.add(Duration.between(scheduled, start).toMillis());
            worker.add(Duration.between(start, t.receivedAt()).toMillis());
        }
        LOG.info("Schedule latency over {} firings: p50 {} ms, p99 {} ms (server's scheduler p50 {} / p99 {} ms; worker p50 {} / p99 {} ms)",
                total.size(), Stats.percentile(total, 50), Stats.percentile(total, 99), Stats.percentile(server, 50),
                Stats.percentile(server, 99), Stats.percentile(worker, 50), Stats.percentile(worker, 99));
        return new Results.ScheduleLatency(total.size(), "1s", total, Stats.percentile(total, 50), Stats.percentile(total, 99),
                Stats.percentile(total, 100), server, Stats.percentile(server, 50), Stats.percentile(server, 99), worker,
                Stats.percentile(worker, 50), Stats.percentile(worker, 99));
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers

    /** The definitions the worker serves during the run; the tick schedule is synced only in its phase. */
    private void writeDefinitions() throws IOException {
        Path defs = Files.createDirectories(work.resolve("definitions"));
        Files.writeString(defs.resolve("two-turn.yaml"), """
                name: BenchTwoTurnWorkflow
                description: Benchmark shape - turn, one-second wait, turn.
                steps:
                  - id: execute
                    agentTurn: { name: bench-execute, message: "{{workflow.id}}" }
                  - id: settle
                    wait: 1s
                  - id: synthesize
                    agentTurn: { name: bench-synthesize, message: "{{workflow.id}}" }
                """);
        Files.writeString(defs.resolve("park.yaml"), """
                name: BenchParkWorkflow
                description: Benchmark shape - one turn, then parked for an hour.
                steps:
                  - id: execute
                    agentTurn: { name: bench-park, message: "{{workflow.id}}" }
                  - id: park
                    wait: 1h
                """);
        Files.writeString(defs.resolve("tick.yaml"), """
                name: BenchTickWorkflow
                description: Benchmark shape - one turn, started every second by a schedule.
                steps:
                  - id: tick
                    agentTurn: { name: bench-tick, message: "{{workflow.id}}" }
                schedule:
                  id: bench-tick
                  interval: 1s
                  timezone: UTC
                  overlap: allowAll
                  workflowId: bench-tick
                """);
    }

    /**
     * Starts a worker on {@code queue}. With {@code appCds} it is started as the unit starts it,
     * through the launcher with an AppCDS archive folder of its own (recorded on the first exit).
     */
    private JavaProcess launch(String worker, String jvmFlags, boolean appCds, String queue) throws IOException {
        launches++;
        Map<String, String> env = new HashMap<>();
        env.put("TEMPORAL_ADDRESS", server.target());
        env.put("TEMPORAL_NAMESPACE", NAMESPACE);
        env.put("TEMPORAL_TASK_QUEUE", queue);
        Path jar = worker.equals("worker") ? workerJar : bareJar;
        if (worker.equals("worker")) {
            env.put("DEFINITIONS_DIR", work.resolve("definitions").toString());
            env.put("LEDGER_DB", work.resolve("ledger-" + launches + ".db").toString());
            env.put("GATEWAY_URL", gateway.url());
            env.put("GATEWAY_TOKEN", "bench-token");
            // The metrics endpoint stays on (its cost is part of what is measured), on any free port.
            env.put("WORKER_HTTP_PORT", "0");
        }
        Path log = log(String.format("%03d-%s-%s", launches, worker, queue));
        if (!appCds) {
            return JavaProcess.start(flags(jvmFlags), List.of("-jar", jar.toString()), env, log);
        }
        env.put("JAVA_OPTS", jvmFlags);
        env.put("JAVA_BIN", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        env.put("CDS_DIR", Files.createDirectories(work.resolve("cds-" + worker + "-" + Integer.toHexString(jvmFlags.hashCode()))).toString());
        return JavaProcess.exec(List.of(launcher.toAbsolutePath().toString(), jar.toString()), env, log);
    }

    /** Milliseconds from launch until the server lists a poller on the workflow task queue. */
    private long awaitFirstPoll(JavaProcess p, String queue) throws InterruptedException {
        DescribeTaskQueueRequest request = DescribeTaskQueueRequest.newBuilder()
                .setNamespace(NAMESPACE)
                .setTaskQueue(TaskQueue.newBuilder().setName(queue).build())
                .setTaskQueueType(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)
                .build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        // No JVM polls within 250 ms of launch (an empty main alone takes ~70 ms); asking the
        // server every 10 ms only from then on keeps the probe from competing for the two cores.
        Thread.sleep(Math.max(0, 250 - p.elapsedMillis()));
        while (System.nanoTime() < deadline) {
            if (stubs.blockingStub().describeTaskQueue(request).getPollersCount() > 0) {
                return p.elapsedMillis();
            }
            p.requireAlive("the worker polling " + queue);
            Thread.sleep(10);
        }
        throw new IllegalStateException("no poller on " + queue + " within 90 s; log:\n" + p.log());
    }

    /** Starts {@code count} workflows from four threads; returns their stubs. */
    private static List<WorkflowStub> startAll(String what, int count, IntFunction<WorkflowStub> start) {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<WorkflowStub>> started = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                started.add(CompletableFuture.supplyAsync(() -> start.apply(index), pool));
            }
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
            return started.stream().map(CompletableFuture::join).toList();
        } catch (Exception e) {
            throw new IllegalStateException("starting " + what + " workflows failed: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Starts {@code count} workflows and waits for all results; completions per second from the first start. */
    private static double completionsPerSecond(JavaProcess worker, int count, IntFunction<WorkflowStub> start) throws Exception {
        long t0 = System.nanoTime();
        List<CompletableFuture<Object>> results = startAll("two-turn", count, start).stream()
                .map(stub -> stub.getResultAsync(Object.class)).toList();
        try {
            CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(count + 300L, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            worker.requireAlive("worker");
            throw new IllegalStateException("a benchmark workflow failed: " + e.getCause().getMessage(), e.getCause());
        }
        return count / ((System.nanoTime() - t0) / 1e9);
    }

    private WorkflowOptions options(String queue, String id) {
        return WorkflowOptions.newBuilder().setTaskQueue(queue).setWorkflowId(id)
                .setWorkflowExecutionTimeout(Duration.ofHours(2)).build();
    }

    private void runSchedules(String... args) throws InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("-jar", schedulesJar.toString()));
        cmd.addAll(Arrays.asList(args));
        Map<String, String> env = Map.of("TEMPORAL_ADDRESS", server.target(), "DEFINITIONS_DIR",
                work.resolve("definitions").toString());
        JavaProcess p = JavaProcess.start(flags(unitFlags), cmd, env, log("schedules-" + args[0]));
        int code = p.awaitExit(120);
        if (code != 0) {
            throw new IllegalStateException("schedules " + String.join(" ", args) + " exited with " + code + ":\n" + p.log());
        }
    }

    private static void await(String what, Duration atMost, JavaProcess worker, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!done.getAsBoolean()) {
            worker.requireAlive("worker");
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting for " + what + " after " + atMost.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
    }

    private Path log(String name) {
        return out.resolve("logs").resolve(name + ".log");
    }

    /** The unit's flags less its memory settings: -Xms32m, pooled Netty buffers, the JVM's heap free ratios. */
    static String withoutMemorySettings(String flags) {
        return flags.replaceAll("-Dio\\.\\S*netty\\.allocator\\.type=\\S+", "")
                .replaceAll("-XX:M(in|ax)HeapFreeRatio=\\d+", "")
                .replaceAll("-Xms\\S+", "-Xms32m")
                .replaceAll("\\s+", " ").trim();
    }

    private static List<String> flags(String flags) {
        return Arrays.stream(flags.trim().split("\\s+")).filter(f -> !f.isEmpty()).toList();
    }

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

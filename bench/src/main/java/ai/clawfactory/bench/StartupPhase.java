package ai.clawfactory.bench;

import static ai.clawfactory.bench.Harness.BARE;
import static ai.clawfactory.bench.Harness.PYTHON;
import static ai.clawfactory.bench.Harness.WORKER;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up and idle memory, measured on the same launches: cold start to first poll, then
 * {@code VmRSS} once idle; for the three columns and, for the JVMs, several flag sets. Also the
 * JVM alone and the classes loaded by the first poll (where start-up goes).
 */
final class StartupPhase {

    private static final Logger LOG = LoggerFactory.getLogger(StartupPhase.class);
    private static final Pattern STARTED_IN = Pattern.compile("[Ss]tarted in (\\d+) ms");

    /** With the unit's launcher and a recorded AppCDS archive, as the unit runs after its first stop. */
    static final String SHIPPED = "unit flags + AppCDS";
    /** The Python worker's one configuration: the SDK's defaults, as the original ran it. */
    static final String PYTHON_DEFAULTS = "Python SDK defaults";

    private final Harness h;

    StartupPhase(Harness h) {
        this.h = h;
    }

    /** The JVM alone with the unit's flags: launch to exit of an empty main. */
    double jvmAloneMillis() throws InterruptedException {
        List<Long> ms = new ArrayList<>();
        for (int i = 0; i < h.plan.coldRuns(); i++) {
            BenchProcess p = h.java(
                    List.of("-cp", h.programs.bareJar().toString(), "ai.clawfactory.bench.bare.EmptyMain"),
                    Map.of(),
                    "jvm-alone-" + i);
            int code = p.awaitExit(60);
            if (code != 0) {
                throw new IllegalStateException("an empty JVM exited with " + code + ":\n" + p.log());
            }
            ms.add(p.elapsedMillis());
        }
        LOG.info("JVM alone: {} ms (median of {})", Stats.median(ms), ms);
        return Stats.median(ms);
    }

    record Variant(String column, String name, String flags, boolean appCds, int runs) {}

    /**
     * The launches of this phase: each column as shipped, then the JVM flag variants; quick mode
     * (CI) keeps only the worker's first start, each other variant costing a JVM start or two.
     */
    static List<Variant> variants(String unitFlags, boolean quick, int coldRuns, int variantRuns) {
        List<Variant> variants = new ArrayList<>();
        variants.add(new Variant(WORKER, SHIPPED, unitFlags, true, coldRuns));
        variants.add(new Variant(BARE, SHIPPED, unitFlags, true, coldRuns));
        variants.add(new Variant(PYTHON, PYTHON_DEFAULTS, "", false, coldRuns));
        variants.add(new Variant(WORKER, "unit flags (first start: no archive yet)", unitFlags, false, variantRuns));
        if (!quick) {
            // What /metrics and /health cost: the same worker with the endpoint off (a system property
            // overrides WORKER_HTTP_PORT).
            variants.add(new Variant(
                    WORKER,
                    "unit flags + AppCDS, metrics endpoint off",
                    unitFlags + " -Dobserve.port=-1",
                    true,
                    variantRuns));
            variants.add(new Variant(BARE, "unit flags (no archive)", unitFlags, false, variantRuns));
            variants.add(new Variant(
                    WORKER,
                    "unit flags + AppCDS, serial GC",
                    unitFlags.replace("-XX:+UseG1GC", "-XX:+UseSerialGC"),
                    true,
                    variantRuns));
            variants.add(new Variant(
                    WORKER,
                    "unit flags + AppCDS, C2 JIT",
                    unitFlags.replace("-XX:TieredStopAtLevel=1", ""),
                    true,
                    variantRuns));
            variants.add(new Variant(
                    WORKER,
                    "unit flags, no CDS at all",
                    unitFlags.replace("-Xshare:auto", "-Xshare:off"),
                    false,
                    variantRuns));
            variants.add(new Variant(
                    WORKER,
                    "unit flags + AppCDS, without the heap and buffer settings",
                    withoutMemorySettings(unitFlags),
                    true,
                    variantRuns));
            variants.add(new Variant(BARE, "JVM defaults", "", false, variantRuns));
            variants.add(new Variant(WORKER, "JVM defaults", "", false, variantRuns));
        }
        return variants;
    }

    /** Cold start to first poll and idle RSS of every variant, in interleaved rounds. */
    List<Results.StartupRow> startupAndIdleMemory() throws InterruptedException, IOException {
        List<Variant> variants = variants(h.unitFlags(), h.quick, h.plan.coldRuns(), h.plan.variantRuns());
        // The unit's first start records the archive when it stops; do that once per worker and
        // flag set (the archive is keyed on the flags, each set has a folder of its own).
        Set<String> trained = new HashSet<>();
        for (Variant v : variants) {
            if (!v.appCds() || !trained.add(v.column() + " " + v.flags())) {
                continue;
            }
            String queue = "bench-cds-training-" + trained.size();
            try (BenchProcess p = h.launch(v.column(), v.flags(), true, queue)) {
                LOG.info(
                        "{} / {}: first start (records its AppCDS archive on exit) polled after {} ms",
                        v.column(),
                        v.name(),
                        h.awaitFirstPoll(p, queue));
            }
        }
        // The Python worker's first start after the venv was made compiles nothing (pip wrote the
        // bytecode), but warm its files into the page cache as the JVMs' first starts do theirs.
        try (BenchProcess p = h.launch(PYTHON, "", false, "bench-py-first")) {
            LOG.info("python: first start polled after {} ms", h.awaitFirstPoll(p, "bench-py-first"));
        }

        Map<Variant, List<long[]>> samples = new LinkedHashMap<>();
        int rounds = variants.stream().mapToInt(Variant::runs).max().orElse(0);
        int launch = 0;
        // Interleaved rounds, so that drift on a shared machine spreads over every variant alike.
        for (int round = 0; round < rounds; round++) {
            for (Variant v : variants) {
                if (round >= v.runs()) {
                    continue;
                }
                String queue = "bench-cold-" + (++launch);
                try (BenchProcess p = h.launch(v.column(), v.flags(), v.appCds(), queue)) {
                    long firstPoll = h.awaitFirstPoll(p, queue);
                    Harness.sleep(h.plan.settle());
                    p.requireAlive(v.column());
                    long rssKiB = Math.round(p.rssMiB() * 1024);
                    samples.computeIfAbsent(v, k -> new ArrayList<>())
                            .add(new long[] {firstPoll, rssKiB, startedIn(p.log())});
                    LOG.info(
                            "{} / {}: first poll after {} ms, idle RSS {} MiB",
                            v.column(),
                            v.name(),
                            firstPoll,
                            rssKiB / 1024);
                }
            }
        }
        List<Results.StartupRow> rows = new ArrayList<>();
        for (Map.Entry<Variant, List<long[]>> e : samples.entrySet()) {
            List<Long> poll = e.getValue().stream().map(a -> a[0]).toList();
            List<Double> rss = e.getValue().stream()
                    .map(a -> Math.round(a[1] / 1024.0 * 10) / 10.0)
                    .toList();
            List<Long> context =
                    e.getValue().stream().map(a -> a[2]).filter(c -> c >= 0).toList();
            rows.add(new Results.StartupRow(
                    e.getKey().column(),
                    e.getKey().name(),
                    e.getKey().flags(),
                    poll,
                    Stats.median(poll),
                    rss,
                    Stats.median(rss),
                    context,
                    context.isEmpty() ? Double.NaN : Stats.median(context)));
        }
        return rows;
    }

    /** The "Started in N ms" a worker logs once it polls (the clawfactory worker's context, the Python worker's script); -1 if none. */
    static long startedIn(String log) {
        Matcher m = STARTED_IN.matcher(log);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Classes loaded by the time a JVM worker polls, counted from {@code -Xlog:class+load}. */
    long classesLoaded(String column) throws InterruptedException, IOException {
        Path classLog = h.work.resolve("classes-" + column + ".log");
        String queue = "bench-classes-" + column;
        try (BenchProcess p = h.launch(column, h.unitFlags() + " -Xlog:class+load:file=" + classLog, false, queue)) {
            h.awaitFirstPoll(p, queue);
            try (var lines = Files.lines(classLog)) {
                return lines.filter(l -> l.contains(" source: ")).count();
            }
        }
    }

    /** The unit's flags less its memory settings: -Xms32m, pooled Netty buffers, the JVM's heap free ratios. */
    static String withoutMemorySettings(String flags) {
        return flags.replaceAll("-Dio\\.\\S*netty\\.allocator\\.type=\\S+", "")
                .replaceAll("-XX:M(in|ax)HeapFreeRatio=\\d+", "")
                .replaceAll("-Xms\\S+", "-Xms32m")
                .replaceAll("\\s+", " ")
                .trim();
    }
}

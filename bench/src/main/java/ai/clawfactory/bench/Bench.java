package ai.clawfactory.bench;

import ai.clawfactory.testing.TemporalDevServer;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./clawfactory bench}: measures the packaged worker against the real Temporal dev server
 * (SQLite, WAL) and a stub gateway, next to a bare Temporal SDK worker and a Python worker of the
 * original's shape, all measured in the same run. Every figure is a median of several runs, every
 * comparison a ratio of figures from this run. It reports; it asserts nothing about speed.
 * The phases are in {@link StartupPhase}, {@link ParkedPhase}, {@link ThroughputPhase} and
 * {@link SchedulePhase}; {@link Report} and {@link Chart} render what they measured.
 */
@Command(
        name = "clawfactory-bench",
        mixinStandardHelpOptions = true,
        description = "Start-up, memory, throughput and schedule latency of the worker, with a bare-SDK baseline and "
                + "a Python worker of the original's shape.")
public final class Bench implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(Bench.class);

    @Option(names = "--quick", description = "Smoke mode: few repetitions and small counts (CI runs this).")
    boolean quick;

    @Option(
            names = "--scale",
            description = "Only the scale phase: how cost grows with schedules, definitions, parked runs and ledger "
                    + "rows (scale-results.json, scale-report.md and SVG charts; --quick: small sizes, seconds).")
    boolean scale;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = "target/bench",
            description =
                    "Where results.json, report.md, chart.png and the process logs go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(
            names = "--worker-jar",
            required = false,
            paramLabel = "JAR",
            description = "The packaged clawfactory worker.")
    Path workerJar;

    @Option(names = "--bare-jar", required = false, paramLabel = "JAR", description = "The bare SDK worker (baseline).")
    Path bareJar;

    @Option(names = "--schedules-jar", required = false, paramLabel = "JAR", description = "The schedules CLI.")
    Path schedulesJar;

    @Option(
            names = "--unit-flags",
            required = false,
            paramLabel = "FLAGS",
            description =
                    "The JVM flags of the worker's systemd unit (JAVA_OPTS there). Given twice, the last one counts, "
                            + "so ./clawfactory bench --unit-flags \"...\" replaces the unit's.")
    String unitFlags;

    @Option(
            names = "--extra-flags",
            paramLabel = "FLAGS",
            defaultValue = "",
            description = "JVM flags appended to --unit-flags for every JVM the bench launches (e.g. to try one flag).")
    String extraFlags;

    @Option(
            names = "--worker-java",
            paramLabel = "PATH",
            description = "The java binary for the worker, the bare worker, the empty JVM and the schedules CLI "
                    + "(default: the bench's own, the java on PATH).")
    Path workerJava;

    @Option(
            names = "--launcher",
            required = false,
            paramLabel = "SCRIPT",
            description = "systemd/clawfactory-java: how the unit starts the jar, with its AppCDS archive.")
    Path launcher;

    @Option(
            names = "--python",
            paramLabel = "PATH",
            defaultValue = "python3",
            description =
                    "The interpreter the Python worker's venv is made with (3.10 or later; default: ${DEFAULT-VALUE}).")
    String python;

    @Option(
            names = "--python-dir",
            paramLabel = "DIR",
            defaultValue = "bench/python",
            description = "The Python worker: worker.py and its pinned requirements.txt (default: ${DEFAULT-VALUE}).")
    Path pythonDir;

    @Option(
            names = "--python-venv",
            paramLabel = "DIR",
            defaultValue = "target/bench/python-venv",
            description = "The Python worker's venv, made once from PyPI and reused (default: ${DEFAULT-VALUE}).")
    Path pythonVenv;

    @Option(
            names = "--from-results",
            paramLabel = "FILE",
            description = "Measure nothing: render report.md and chart.png again from a results.json into --out.")
    Path fromResults;

    @Option(
            names = "--docs",
            paramLabel = "FILE",
            description = "Also put the report between the results markers of FILE (docs/BENCHMARKS.md) and the chart "
                    + "beside it as benchmarks.png; with --from-results, refreshes the docs from a saved run.")
    Path docs;

    @Option(
            names = "--parked",
            paramLabel = "N",
            description = "Workflows to park for the memory figures (default: 1000; --quick: 50).")
    Integer parkedOverride;

    @Option(
            names = "--workflows",
            paramLabel = "N",
            description = "Two-turn workflows per throughput round (default: 200; --quick: 20).")
    Integer throughputOverride;

    /** How the Python worker is sized: the SDK's defaults, as the original ran it. */
    static final String PYTHON_SIZING = "SDK defaults (1,000 cached workflows; 100 workflow-task, 100 activity slots; "
            + "5 + 5 pollers), workflows in the SDK's sandbox, activities on one asyncio loop";

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Bench());
        // ./clawfactory bench passes the unit's flags; a second --unit-flags after it replaces them.
        cli.setOverwrittenOptionsAllowed(true);
        // A failed phase says what failed and where its logs are; no stack trace for that.
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("bench: " + e.getMessage());
            if (e.getCause() != null && e.getCause() != e) {
                commandLine.getErr().println("bench: cause: " + e.getCause());
            }
            return 1;
        });
        return cli;
    }

    /** Reads a results.json, also one written before the Python column (its fields are then null). */
    static Results readResults(Path file) throws IOException {
        return new ObjectMapper()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .readValue(file.toFile(), Results.class);
    }

    /** The JVM flags every bench JVM gets: the unit's, then the extra ones. */
    static String jvmFlags(String unitFlags, String extraFlags) {
        return (unitFlags.trim() + " " + (extraFlags == null ? "" : extraFlags.trim())).trim();
    }

    static final String RESULTS_BEGIN = "<!-- bench results: begin";
    static final String RESULTS_END = "<!-- bench results: end -->";

    /**
     * {@code doc} with the text between its results markers replaced by {@code report}; the begin
     * marker is a comment line of its own (it may say how to refresh), the end marker too.
     */
    static String withResults(String doc, String report, Path where) {
        int begin = doc.indexOf(RESULTS_BEGIN);
        int end = doc.indexOf(RESULTS_END);
        if (begin < 0 || end < begin) {
            throw new IllegalStateException(where + ": no results markers: put a line starting with '" + RESULTS_BEGIN
                    + "' and ending with '-->', and later a line '" + RESULTS_END + "', where the report goes");
        }
        int afterBegin = doc.indexOf("-->", begin);
        if (afterBegin < 0 || afterBegin > end) {
            throw new IllegalStateException(
                    where + ": the results begin marker is not closed with '-->' before the end marker");
        }
        int lineEnd = doc.indexOf('\n', afterBegin);
        if (lineEnd < 0 || lineEnd > end) {
            throw new IllegalStateException(where + ": the results markers must be on lines of their own");
        }
        afterBegin = lineEnd + 1;
        return doc.substring(0, afterBegin) + "\n" + report.strip() + "\n\n" + doc.substring(end);
    }

    private void updateDocs(Results results) throws IOException {
        if (docs == null) {
            return;
        }
        Files.writeString(docs, withResults(Files.readString(docs), Report.markdown(results), docs));
        Path png = docs.resolveSibling("benchmarks.png");
        Chart.render(results, png);
        LOG.info("Updated the results in {} and the chart {}", docs, png);
    }

    @Override
    public Integer call() throws Exception {
        if (fromResults != null && scale) {
            ScaleResults saved = new ObjectMapper()
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(fromResults.toFile(), ScaleResults.class);
            ScaleReport.write(saved, out);
            LOG.info("Rendered the scale report and charts into {} from {}", out, fromResults);
            return 0;
        }
        if (fromResults != null) {
            Results saved = readResults(fromResults);
            Files.createDirectories(out);
            Files.writeString(out.resolve("report.md"), Report.markdown(saved));
            Chart.render(saved, out.resolve("chart.png"));
            LOG.info("Rendered {} and {} from {}", out.resolve("report.md"), out.resolve("chart.png"), fromResults);
            updateDocs(saved);
            return 0;
        }
        for (Object[] o : new Object[][] {
            {"--worker-jar", workerJar},
            {"--bare-jar", bareJar},
            {"--schedules-jar", schedulesJar},
            {"--unit-flags", unitFlags},
            {"--launcher", launcher}
        }) {
            if (o[1] == null) {
                throw new CommandLine.ParameterException(
                        new CommandLine(this), "Missing required option " + o[0] + " (./clawfactory bench passes it)");
            }
        }
        Path java = workerJava != null ? workerJava : Path.of(System.getProperty("java.home"), "bin", "java");
        if (!Files.isExecutable(java)) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "--worker-java " + java + " is not an executable file");
        }
        String flags = jvmFlags(unitFlags, extraFlags);
        if (scale) {
            return scale(java, flags);
        }
        Harness.Plan plan = Harness.Plan.of(quick);
        if (parkedOverride != null || throughputOverride != null) {
            plan = new Harness.Plan(
                    plan.coldRuns(),
                    plan.variantRuns(),
                    plan.settle(),
                    parkedOverride != null ? parkedOverride : plan.parked(),
                    throughputOverride != null ? throughputOverride : plan.throughputCount(),
                    plan.throughputRounds(),
                    plan.firings());
        }
        Files.createDirectories(out.resolve("logs"));
        Instant began = Instant.now();
        LOG.info(
                "Benchmark ({} mode); results in {}; JVMs: {} {}",
                quick ? "quick" : "full",
                out.toAbsolutePath(),
                java,
                flags);
        // First, so that a machine without Python or PyPI fails at once with what to do.
        PythonEnv.Installed py = PythonEnv.ensure(
                python, pythonDir, pythonVenv, out.resolve("logs").resolve("python-venv.log"));
        Harness.Programs programs = new Harness.Programs(workerJar, bareJar, schedulesJar, launcher, java, flags, py);
        Path work = Files.createTempDirectory("clawfactory-bench-");
        WorkflowServiceStubs stubs = null;
        try (TemporalDevServer s = TemporalDevServer.start();
                StubGateway g = new StubGateway(Harness.GATEWAY_TOKEN)) {
            stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                    .setTarget(s.target())
                    .build());
            Harness h = new Harness(plan, quick, programs, out, work, s, g, stubs);
            h.writeDefinitions();

            StartupPhase startupPhase = new StartupPhase(h);
            double jvmAlone = startupPhase.jvmAloneMillis();
            List<Results.StartupRow> startup = startupPhase.startupAndIdleMemory();
            Results.Classes classes = new Results.Classes(
                    startupPhase.classesLoaded(Harness.WORKER), startupPhase.classesLoaded(Harness.BARE));
            Results.Parked parked = new ParkedPhase(h).run();
            Results.Throughput throughput = new ThroughputPhase(h).run();
            Results.ScheduleLatency schedule = new SchedulePhase(h).run();

            Results results = new Results(
                    quick ? "quick" : "full",
                    Machine.describe(s.cli(), java),
                    began.toString(),
                    Duration.between(began, Instant.now()).toSeconds(),
                    flags,
                    jvmAlone,
                    startup,
                    classes,
                    parked,
                    throughput,
                    schedule,
                    java.toString(),
                    new Results.Python(py.pythonVersion(), py.temporalio(), py.httpx(), PYTHON_SIZING));
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(out.resolve("results.json").toFile(), results);
            Files.writeString(out.resolve("report.md"), Report.markdown(results));
            Chart.render(results, out.resolve("chart.png"));
            LOG.info("Done in {} s:\n{}", results.wallSeconds(), Report.markdown(results));
            LOG.info(
                    "Wrote {}, {} and {}",
                    out.resolve("report.md"),
                    out.resolve("results.json"),
                    out.resolve("chart.png"));
            updateDocs(results);
            return 0;
        } finally {
            if (stubs != null) {
                stubs.shutdownNow();
            }
            PythonEnv.deleteTree(work);
        }
    }

    /** The scale phase alone: no Python, no bare worker; one dev server, the clawfactory worker and CLIs. */
    private int scale(Path java, String flags) throws Exception {
        Files.createDirectories(out.resolve("logs"));
        Instant began = Instant.now();
        String load = Machine.loadNote();
        LOG.info("Scale benchmark ({} mode); results in {}; {}", quick ? "quick" : "full", out.toAbsolutePath(), load);
        Harness.Programs programs = new Harness.Programs(workerJar, bareJar, schedulesJar, launcher, java, flags, null);
        Path work = Files.createTempDirectory("clawfactory-bench-scale-");
        WorkflowServiceStubs stubs = null;
        try (TemporalDevServer s = TemporalDevServer.start();
                StubGateway g = new StubGateway(Harness.GATEWAY_TOKEN)) {
            stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                    .setTarget(s.target())
                    .build());
            Harness h = new Harness(Harness.Plan.of(quick), quick, programs, out, work, s, g, stubs);
            h.writeDefinitions();
            ScalePhase phase = new ScalePhase(h, ScalePhase.Sizes.of(quick));
            List<ScaleResults.PunctualityRow> punctuality = new ArrayList<>();
            List<ScaleResults.SyncRow> sync = phase.sync(punctuality);
            List<ScaleResults.LedgerRow> ledger = phase.ledger();
            List<ScaleResults.WorkerRow> worker = phase.worker();
            List<ScaleResults.ParkedRow> parked = phase.parked();
            ScaleResults results = new ScaleResults(
                    quick ? "quick" : "full",
                    Machine.describe(s.cli(), java),
                    began.toString(),
                    Duration.between(began, Instant.now()).toSeconds(),
                    load + " at the start; " + Machine.loadNote() + " at the end",
                    sync,
                    punctuality,
                    worker,
                    parked,
                    ledger,
                    phase.notMeasured());
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(out.resolve("scale-results.json").toFile(), results);
            ScaleReport.write(results, out);
            if (docs != null) {
                ScaleReport.write(results, docs.resolveSibling("bench"));
                new ObjectMapper()
                        .enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValue(
                                docs.resolveSibling("bench")
                                        .resolve("scale-results.json")
                                        .toFile(),
                                results);
            }
            LOG.info("Scale benchmark done in {} s: {}", results.wallSeconds(), out.resolve("scale-report.md"));
            return 0;
        } finally {
            if (stubs != null) {
                stubs.shutdownNow();
            }
            PythonEnv.deleteTree(work);
        }
    }
}

package ai.clawfactory.bench;

import ai.clawfactory.testing.TemporalDevServer;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

/**
 * What every phase of one run shares: the dev server, the stub gateway, a client, the plan, and
 * how to launch each of the three workers the same way (their own task queue, the same server and
 * gateway) and see them poll.
 */
final class Harness {

    static final String NAMESPACE = "default";
    /** The three columns: the clawfactory worker, the bare Java SDK worker, the Python worker. */
    static final String WORKER = "worker";

    static final String BARE = "bare";
    static final String PYTHON = "python";
    /** The three columns, in the order the report shows them. */
    static final List<String> COLUMNS = List.of(WORKER, BARE, PYTHON);

    static final String GATEWAY_TOKEN = "bench-token";

    /** Workflow types of each column's two-turn and parked shapes. */
    static String twoTurnType(String column) {
        return switch (column) {
            case WORKER -> "BenchTwoTurnWorkflow";
            case BARE -> "BareTwoTurnWorkflow";
            case PYTHON -> "BenchPyTwoTurnWorkflow";
            default -> throw new IllegalArgumentException("no such column: " + column);
        };
    }

    static String parkType(String column) {
        return switch (column) {
            case WORKER -> "BenchParkWorkflow";
            case BARE -> "BareParkWorkflow";
            case PYTHON -> "BenchPyParkWorkflow";
            default -> throw new IllegalArgumentException("no such column: " + column);
        };
    }

    /** Repetitions and counts for one mode. */
    record Plan(
            int coldRuns,
            int variantRuns,
            Duration settle,
            int parked,
            int throughputCount,
            int throughputRounds,
            int firings) {
        static Plan of(boolean quick) {
            return quick
                    ? new Plan(2, 1, Duration.ofSeconds(2), 50, 20, 1, 5)
                    : new Plan(7, 3, Duration.ofSeconds(5), 1000, 200, 5, 30);
        }
    }

    /** The jars, JVM and interpreter the run launches. */
    record Programs(
            Path workerJar,
            Path bareJar,
            Path schedulesJar,
            Path launcher,
            Path java,
            String unitFlags,
            PythonEnv.Installed python) {}

    final Plan plan;
    final boolean quick;
    final Programs programs;
    final Path out;
    final Path work;
    final TemporalDevServer server;
    final StubGateway gateway;
    final WorkflowServiceStubs stubs;
    final WorkflowClient client;
    private int launches;

    Harness(
            Plan plan,
            boolean quick,
            Programs programs,
            Path out,
            Path work,
            TemporalDevServer server,
            StubGateway gateway,
            WorkflowServiceStubs stubs) {
        this.plan = plan;
        this.quick = quick;
        this.programs = programs;
        this.out = out;
        this.work = work;
        this.server = server;
        this.gateway = gateway;
        this.stubs = stubs;
        this.client = WorkflowClient.newInstance(stubs);
    }

    String unitFlags() {
        return programs.unitFlags();
    }

    /** The definitions the worker serves during the run; the tick schedule is synced only in its phase. */
    void writeDefinitions() throws IOException {
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
     * Starts one column's worker on {@code queue}. A JVM with {@code appCds} is started as the unit
     * starts it, through the launcher with an AppCDS archive folder of its own (recorded on the
     * first exit); the Python worker ignores the JVM arguments.
     */
    BenchProcess launch(String column, String jvmFlags, boolean appCds, String queue) throws IOException {
        return launch(column, jvmFlags, appCds, queue, work.resolve("definitions"));
    }

    /** The same, the clawfactory worker serving the definitions in {@code definitions}. */
    BenchProcess launch(String column, String jvmFlags, boolean appCds, String queue, Path definitions)
            throws IOException {
        launches++;
        Map<String, String> env = new HashMap<>();
        env.put("TEMPORAL_ADDRESS", server.target());
        env.put("TEMPORAL_NAMESPACE", NAMESPACE);
        env.put("TEMPORAL_TASK_QUEUE", queue);
        Path log = log(String.format("%03d-%s-%s", launches, column, queue));
        if (column.equals(PYTHON)) {
            env.put("GATEWAY_URL", gateway.url());
            env.put("GATEWAY_TOKEN", GATEWAY_TOKEN);
            PythonEnv.Installed py = programs.python();
            return BenchProcess.exec(
                    List.of(py.python().toString(), "-u", py.worker().toString()), env, log);
        }
        Path jar = column.equals(WORKER) ? programs.workerJar() : programs.bareJar();
        if (column.equals(WORKER)) {
            env.put("DEFINITIONS_DIR", definitions.toString());
            env.put("LEDGER_DB", work.resolve("ledger-" + launches + ".db").toString());
            env.put("GATEWAY_URL", gateway.url());
            env.put("GATEWAY_TOKEN", GATEWAY_TOKEN);
            // The metrics endpoint stays on (its cost is part of what is measured), on any free port.
            env.put("WORKER_HTTP_PORT", "0");
        }
        if (!appCds) {
            return BenchProcess.start(programs.java(), flags(jvmFlags), List.of("-jar", jar.toString()), env, log);
        }
        return viaLauncher(
                jar, List.of(), env, jvmFlags, "cds-" + column + "-" + Integer.toHexString(jvmFlags.hashCode()), log);
    }

    /** {@code jar args} through the launcher with {@code jvmFlags} and the class archive folder {@code cdsFolder}. */
    private BenchProcess viaLauncher(
            Path jar, List<String> args, Map<String, String> env, String jvmFlags, String cdsFolder, Path log)
            throws IOException {
        Map<String, String> all = new HashMap<>(env);
        all.put("JAVA_OPTS", jvmFlags);
        all.put("JAVA_BIN", programs.java().toString());
        all.put("CDS_DIR", Files.createDirectories(work.resolve(cdsFolder)).toString());
        List<String> cmd =
                new ArrayList<>(List.of(programs.launcher().toAbsolutePath().toString(), jar.toString()));
        cmd.addAll(args);
        return BenchProcess.exec(cmd, all, log);
    }

    /**
     * A command-line tool as {@code ./clawfactory} runs it: through the launcher with the unit's flags and
     * a class archive folder shared by every such call ({@code .data/cds-cli} there), recorded when the
     * first call exits. Without a launcher, as {@link #java}.
     */
    BenchProcess cli(Path jar, List<String> args, Map<String, String> env, String logName) throws IOException {
        if (programs.launcher() == null) {
            List<String> cmd = new ArrayList<>(List.of("-jar", jar.toString()));
            cmd.addAll(args);
            return java(cmd, env, logName);
        }
        return viaLauncher(jar, args, env, unitFlags(), "cds-cli", log(logName));
    }

    /** A JVM with the unit's flags, the worker's java binary, and no launcher: the empty main, the schedules CLI. */
    BenchProcess java(List<String> args, Map<String, String> env, String logName) {
        return BenchProcess.start(programs.java(), flags(unitFlags()), args, env, log(logName));
    }

    /** Milliseconds from launch until the server lists a poller on the workflow task queue. */
    long awaitFirstPoll(BenchProcess p, String queue) throws InterruptedException {
        DescribeTaskQueueRequest request = DescribeTaskQueueRequest.newBuilder()
                .setNamespace(NAMESPACE)
                .setTaskQueue(TaskQueue.newBuilder().setName(queue).build())
                .setTaskQueueType(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)
                .build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        // No worker polls within 250 ms of launch (an empty JVM main alone takes ~70 ms); asking the
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

    /**
     * Whether a workflow is parked: its first turn done and nothing pending but a timer (no
     * activity, no workflow task). The same test for every column, whether or not its turns reach
     * the gateway.
     */
    boolean parked(String workflowId) {
        DescribeWorkflowExecutionResponse d = stubs.blockingStub()
                .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(NAMESPACE)
                        .setExecution(WorkflowExecution.newBuilder()
                                .setWorkflowId(workflowId)
                                .build())
                        .build());
        return d.getPendingActivitiesCount() == 0
                && !d.hasPendingWorkflowTask()
                && d.getWorkflowExecutionInfo().getHistoryLength() >= 8;
    }

    /** Starts {@code count} workflows from four threads; returns their stubs. */
    static List<WorkflowStub> startAll(String what, int count, IntFunction<WorkflowStub> start) {
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

    /**
     * One column's round of {@code count} workflows: completions per second from the first start to
     * the last result, and the CPU time per workflow its worker process and the dev server spent
     * meanwhile (the server's includes the harness's own starts and result polls, alike for every
     * column, and the other columns' idle polls).
     */
    record Round(double perSecond, double workerCpuMs, double serverCpuMs) {}

    /** Starts {@code count} workflows and waits for all results: see {@link Round}. */
    Round round(BenchProcess worker, String column, int count, IntFunction<WorkflowStub> start) throws Exception {
        Duration serverCpu0 = BenchProcess.cpuTime(server.handle());
        Duration workerCpu0 = worker.cpuTime();
        long t0 = System.nanoTime();
        List<CompletableFuture<Object>> results = startAll("two-turn", count, start).stream()
                .map(stub -> stub.getResultAsync(Object.class))
                .toList();
        try {
            CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(count + 300L, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            worker.requireAlive(column);
            throw new IllegalStateException(
                    "a " + column + " benchmark workflow failed: "
                            + e.getCause().getMessage(),
                    e.getCause());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Duration workerCpu = worker.cpuTime().minus(workerCpu0);
        Duration serverCpu = BenchProcess.cpuTime(server.handle()).minus(serverCpu0);
        return new Round(count / seconds, workerCpu.toNanos() / 1e6 / count, serverCpu.toNanos() / 1e6 / count);
    }

    WorkflowOptions options(String queue, String id) {
        return WorkflowOptions.newBuilder()
                .setTaskQueue(queue)
                .setWorkflowId(id)
                .setWorkflowExecutionTimeout(Duration.ofHours(2))
                .build();
    }

    static void await(String what, Duration atMost, BenchProcess worker, BooleanSupplier done)
            throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!done.getAsBoolean()) {
            worker.requireAlive("worker");
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting for " + what + " after " + atMost.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
    }

    Path log(String name) {
        return out.resolve("logs").resolve(name + ".log");
    }

    static List<String> flags(String flags) {
        return Arrays.stream(flags.trim().split("\\s+"))
                .filter(f -> !f.isEmpty())
                .toList();
    }

    static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}

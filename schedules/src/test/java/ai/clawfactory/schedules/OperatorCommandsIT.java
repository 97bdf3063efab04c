package ai.clawfactory.schedules;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.ExitCode;
import ai.clawfactory.testing.TemporalDevServer;
import ai.clawfactory.testing.TemporalDevServerExtension;
import ai.clawfactory.testing.WorkerProcess;
import ai.clawfactory.testing.WorkerProcesses;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleDescription;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator commands against the real dev server, with the packaged worker running the
 * workflows the schedules start and a WireMock gateway receiving the turns.
 */
@ExtendWith(TemporalDevServerExtension.class)
class OperatorCommandsIT {

    private static final Path WORKER_JAR = Path.of("../worker/target/clawfactory-worker.jar");
    private static final String REPORT = """
            name: ReportWorkflow
            input:
              topic: poems
            steps:
              - id: report
                agentTurn: { name: report, message: "Report on {{input.topic}} for {{workflow.id}}" }
            schedule:
              id: report-hourly
              interval: 10m
              timezone: UTC
              paused: true
              input: { topic: sonnets }
            """;

    @TempDir
    static Path shared;

    @RegisterExtension
    static final WorkerProcesses WORKERS = new WorkerProcesses(WORKER_JAR);

    private static WireMockServer gateway;
    private static WorkerProcess worker;

    @RegisterExtension
    final ServerFixture t = new ServerFixture(WORKERS::taskQueue);

    @BeforeAll
    static void startWorker(TemporalDevServer server) throws IOException {
        gateway = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        gateway.start();
        gateway.stubFor(post(urlEqualTo("/hooks/agent")).willReturn(okJson("{\"ok\":true,\"runId\":\"r-1\"}")));
        Path defs = Files.createDirectories(shared.resolve("worker-defs"));
        Files.writeString(defs.resolve("report.yaml"), REPORT);
        Files.writeString(shared.resolve("token"), "operator-it-token");
        worker = WORKERS.builder(shared.resolve("worker.log"))
                .temporal(server.target())
                .definitions(defs)
                .sqliteLedger(shared.resolve("ledger.db"))
                .gateway(gateway.baseUrl(), shared.resolve("token"))
                .startReady();
    }

    @AfterAll
    static void stopGateway() {
        if (gateway != null) {
            gateway.stop();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        t.write("report.yaml", REPORT);
        gateway.resetRequests();
        Cli.Result synced = t.cli.run("sync", t.defs.toString());
        assertEquals(0, synced.exitCode(), synced::toString);
    }

    private WorkflowExecutionStatus status(String workflowId) {
        return t.workflows.newUntypedWorkflowStub(workflowId).describe().getStatus();
    }

    @Test
    void triggerStartsARunThatTheWorkerExecutes() {
        Cli.Result r = t.cli.run("trigger", "report-hourly");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith("Triggered report-hourly: started report-hourly-"), r::toString);
        String workflowId = r.out().trim().substring(r.out().indexOf("started ") + "started ".length());

        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> status(workflowId) != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
                        || !worker.isAlive());
        assertTrue(worker.isAlive(), worker::output);
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED, status(workflowId), worker::output);
        gateway.verify(
                1,
                postRequestedFor(urlEqualTo("/hooks/agent"))
                        .withRequestBody(containing("Report on sonnets for " + workflowId)));

        Cli.Result listed = t.cli.run("list");
        assertEquals(0, listed.exitCode(), listed::toString);
        String line = listed.out()
                .lines()
                .filter(l -> l.startsWith("report-hourly"))
                .findFirst()
                .orElseThrow();
        assertTrue(line.contains("every 10m"), line);
        assertTrue(line.contains("completed"), line);
        assertTrue(line.contains(" yes "), "paused column: " + line);
        assertTrue(line.endsWith("yes"), "managed column: " + line);

        Cli.Result described = t.cli.run("describe", "report-hourly");
        assertEquals(0, described.exitCode(), described::toString);
        assertTrue(
                described.out().contains("Starts          ReportWorkflow on task queue " + WORKERS.taskQueue()),
                described::toString);
        assertTrue(described.out().contains("completed  " + workflowId), described::toString);
    }

    @Test
    void backfillStartsOneRunPerScheduledTimeInTheRange() {
        Instant to = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
        Instant from = to.minus(1, ChronoUnit.HOURS);
        Cli.Result r = t.cli.run("backfill", "report-hourly", "--from", from.toString(), "--to", to.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("expecting 7 runs"), r::toString);

        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> gateway.findAll(postRequestedFor(urlEqualTo("/hooks/agent")))
                                        .size()
                                >= 7
                        || !worker.isAlive());
        assertTrue(worker.isAlive(), worker::output);
        ScheduleDescription d = t.describe("report-hourly").orElseThrow();
        List<Instant> scheduled = d.getInfo().getRecentActions().stream()
                .map(ScheduleActionResult::getScheduledAt)
                .sorted()
                .collect(Collectors.toList());
        List<Instant> expected = java.util.stream.IntStream.rangeClosed(0, 6)
                .mapToObj(i -> from.plus(10L * i, ChronoUnit.MINUTES))
                .collect(Collectors.toList());
        assertEquals(expected, scheduled);
        for (ScheduleActionResult a : d.getInfo().getRecentActions()) {
            String id = ((ScheduleActionExecutionStartWorkflow) a.getAction()).getWorkflowId();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> status(id) == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
        }
        gateway.verify(7, postRequestedFor(urlEqualTo("/hooks/agent")));
    }

    @Test
    void backfillRefusesBadRangesAndStartsNothing() {
        Instant now = Instant.now();
        List<List<String>> bad = List.of(
                List.of(
                        "--from",
                        now.minusSeconds(60).toString(),
                        "--to",
                        now.minusSeconds(3600).toString()),
                List.of(
                        "--from",
                        now.minusSeconds(3600).toString(),
                        "--to",
                        now.plusSeconds(86_400).toString()),
                List.of("--from", "last tuesday", "--to", now.toString()),
                List.of(
                        "--from",
                        now.minus(30, ChronoUnit.DAYS).toString(),
                        "--to",
                        now.minusSeconds(60).toString()));
        for (List<String> range : bad) {
            List<String> args = new java.util.ArrayList<>(List.of("backfill", "report-hourly"));
            args.addAll(range);
            Cli.Result r = t.cli.run(args.toArray(String[]::new));
            assertEquals(ExitCode.INVALID.code(), r.exitCode(), r::toString);
            assertTrue(r.err().contains("Nothing started") || r.err().contains("nothing started"), r::toString);
        }
        assertEquals(0, t.describe("report-hourly").orElseThrow().getInfo().getNumActions());
    }

    @Test
    void pauseAndUnpauseRoundTripWithNotes() {
        Cli.Result unpaused = t.cli.run("unpause", "report-hourly", "--note", "gateway is back");
        assertEquals(0, unpaused.exitCode(), unpaused::toString);
        ScheduleDescription d = t.describe("report-hourly").orElseThrow();
        assertFalse(d.getSchedule().getState().isPaused());
        assertEquals("gateway is back", d.getSchedule().getState().getNote());

        Cli.Result paused = t.cli.run("pause", "report-hourly", "--note", "quota exhausted");
        assertEquals(0, paused.exitCode(), paused::toString);
        assertEquals("Paused report-hourly. Note: quota exhausted", paused.out().trim());
        d = t.describe("report-hourly").orElseThrow();
        assertTrue(d.getSchedule().getState().isPaused());
        assertEquals("quota exhausted", d.getSchedule().getState().getNote());

        Cli.Result described = t.cli.run("describe", "report-hourly");
        assertTrue(described.out().contains("Paused          yes"), described::toString);
        assertTrue(described.out().contains("Note            quota exhausted"), described::toString);

        Cli.Result resync = t.cli.run("sync", t.defs.toString());
        assertTrue(resync.out().contains("1 unchanged"), resync::toString);
        assertEquals(
                "quota exhausted",
                t.describe("report-hourly")
                        .orElseThrow()
                        .getSchedule()
                        .getState()
                        .getNote());
    }

    @Test
    void deleteRefusesHandMadeSchedulesWithoutForceAndReportsUnknownIds() {
        t.createByHand("hand-made");
        Cli.Result refused = t.cli.run("delete", "hand-made");
        assertEquals(ExitCode.INVALID.code(), refused.exitCode(), refused::toString);
        assertTrue(t.describe("hand-made").isPresent());
        Cli.Result forced = t.cli.run("delete", "hand-made", "--force");
        assertEquals(0, forced.exitCode(), forced::toString);
        assertTrue(t.describe("hand-made").isEmpty());

        Cli.Result managed = t.cli.run("delete", "report-hourly");
        assertEquals(0, managed.exitCode(), managed::toString);
        assertTrue(managed.out().contains("the next sync creates it again"), managed::toString);
        assertTrue(t.describe("report-hourly").isEmpty());

        for (String cmd : List.of("describe", "trigger", "pause", "unpause", "delete")) {
            Cli.Result missing = t.cli.run(cmd, "no-such-schedule");
            assertEquals(ExitCode.NOT_FOUND.code(), missing.exitCode(), missing::toString);
            assertTrue(missing.err().contains("No schedule 'no-such-schedule'"), missing::toString);
        }
        Cli.Result usage = t.cli.run("trigger");
        assertEquals(ExitCode.INVALID.code(), usage.exitCode(), usage::toString);
    }

    @Test
    void listAndDescribeShowFiresSkippedWhileARunIsStillGoing() {
        // Every second, overlap skip, on a task queue no worker polls: the first run never ends, the next fires are
        // skipped.
        t.schedules.createSchedule(
                "skipping",
                io.temporal.client.schedules.Schedule.newBuilder()
                        .setAction(io.temporal.client.schedules.ScheduleActionStartWorkflow.newBuilder()
                                .setWorkflowType("StuckWorkflow")
                                .setOptions(io.temporal.client.WorkflowOptions.newBuilder()
                                        .setWorkflowId("skipping")
                                        .setTaskQueue("nobody-polls-" + t.taskQueue())
                                        .build())
                                .build())
                        .setSpec(io.temporal.client.schedules.ScheduleSpec.newBuilder()
                                .setIntervals(List.of(
                                        new io.temporal.client.schedules.ScheduleIntervalSpec(Duration.ofSeconds(1))))
                                .build())
                        .setPolicy(io.temporal.client.schedules.SchedulePolicy.newBuilder()
                                .setOverlap(io.temporal.api.enums.v1.ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP)
                                .build())
                        .build(),
                io.temporal.client.schedules.ScheduleOptions.newBuilder().build());
        try {
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> t.describe("skipping").orElseThrow().getInfo().getNumActionsSkippedOverlap() >= 2);
            Cli.Result listed = t.cli.run("list");
            String line = listed.out()
                    .lines()
                    .filter(l -> l.startsWith("skipping"))
                    .findFirst()
                    .orElseThrow();
            assertTrue(line.matches(".* \\d+ skipped, 0 missed .*"), line);
            Cli.Result described = t.cli.run("describe", "skipping");
            assertTrue(
                    described.out().matches("(?s).*Actions +1 taken, \\d+ skipped \\(overlap\\), 0 missed.*"),
                    described::toString);
        } finally {
            t.schedules.getHandle("skipping").delete();
            t.workflows
                    .listExecutions("WorkflowType = 'StuckWorkflow' AND ExecutionStatus = 'Running'")
                    .forEach(e -> t.workflows
                            .newUntypedWorkflowStub(e.getExecution().getWorkflowId())
                            .terminate("test over"));
        }
    }
}

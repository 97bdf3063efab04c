package ai.clawfactory.schedules;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.testing.TemporalDevServer;
import ai.clawfactory.testing.TemporalDevServerExtension;
import ai.clawfactory.testing.WorkerProcess;
import ai.clawfactory.testing.WorkerProcesses;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.schedules.ScheduleDescription;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * From OpenClaw to Temporal end to end: import the jobs a real gateway listed, sync them to the
 * real dev server, trigger runs, and see the packaged worker send the same turn (and wake) the
 * cron job sent to a WireMock gateway.
 */
@ExtendWith(TemporalDevServerExtension.class)
class ImportOpenClawIT {

    private static final Path WORKER_JAR = Path.of("../worker/target/clawfactory-worker.jar");

    @TempDir
    Path dir;

    @RegisterExtension
    final WorkerProcesses workers = new WorkerProcesses(WORKER_JAR);

    @RegisterExtension
    final ServerFixture t = new ServerFixture(workers::taskQueue);

    private WireMockServer gateway;
    private WorkerProcess worker;

    @BeforeEach
    void setUp() {
        gateway = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        gateway.start();
        gateway.stubFor(post(urlEqualTo("/hooks/agent"))
                .willReturn(okJson("{\"ok\":true,\"runId\":\"r-1\",\"completion\":{\"status\":\"ok\"}}")));
        gateway.stubFor(post(urlEqualTo("/hooks/wake"))
                .willReturn(okJson("{\"ok\":true,\"mode\":\"next-heartbeat\",\"eventOutcome\":\"queued\"}")));
    }

    @AfterEach
    void tearDown() {
        gateway.stop();
    }

    private void startWorker(TemporalDevServer server) throws IOException {
        Files.writeString(dir.resolve("token"), "import-it-token");
        worker = workers.builder(dir.resolve("worker.log"))
                .temporal(server.target())
                .definitions(t.defs)
                .sqliteLedger(dir.resolve("ledger.db"))
                .gateway(gateway.baseUrl(), dir.resolve("token"))
                .startReady();
    }

    private String trigger(String scheduleId) {
        Cli.Result r = t.cli.run("trigger", scheduleId);
        assertEquals(0, r.exitCode(), r::toString);
        String workflowId = r.out().trim().substring(r.out().indexOf("started ") + "started ".length());
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> t.workflows
                                        .newUntypedWorkflowStub(workflowId)
                                        .describe()
                                        .getStatus()
                                != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
                        || !worker.isAlive());
        assertTrue(worker.isAlive(), worker::output);
        assertEquals(
                WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED,
                t.workflows.newUntypedWorkflowStub(workflowId).describe().getStatus(),
                worker::output);
        return workflowId;
    }

    @Test
    void importedJobsSyncToSchedulesWhoseRunsSendTheSameTurnsAndWakes(TemporalDevServer server) throws Exception {
        Cli.Result imported = Cli.offline()
                .run(
                        "import",
                        "openclaw",
                        "--jobs-file",
                        fixture("cron-list.json").toString(),
                        "--out",
                        t.defs.toString(),
                        "--default-timezone",
                        "UTC");
        assertEquals(0, imported.exitCode(), imported::toString);

        Cli.Result synced = t.cli.run("sync", t.defs.toString());
        assertEquals(0, synced.exitCode(), synced::toString);
        assertTrue(synced.out().contains("Created 14, updated 0, deleted 0; 0 unchanged."), synced::toString);
        ScheduleDescription digest = t.describe("daily-digest").orElseThrow();
        assertEquals("Europe/Berlin", digest.getSchedule().getSpec().getTimeZoneName());
        assertTrue(
                t.describe("paused-job").orElseThrow().getSchedule().getState().isPaused());
        assertEquals(
                1, t.describe("reminder").orElseThrow().getSchedule().getState().getRemainingActions());

        startWorker(server);
        trigger("daily-digest");
        gateway.verify(
                1,
                postRequestedFor(urlEqualTo("/hooks/agent"))
                        .withRequestBody(matchingJsonPath(
                                "$.message",
                                com.github.tomakehurst.wiremock.client.WireMock.equalTo(
                                        "Summarise my inbox and calendar for today.")))
                        .withRequestBody(matchingJsonPath(
                                "$.name", com.github.tomakehurst.wiremock.client.WireMock.equalTo("daily-digest")))
                        .withRequestBody(matchingJsonPath(
                                "$.sessionMode", com.github.tomakehurst.wiremock.client.WireMock.equalTo("isolated")))
                        .withRequestBody(matchingJsonPath(
                                "$.deliver", com.github.tomakehurst.wiremock.client.WireMock.equalTo("true"))));

        trigger("exact-report");
        gateway.verify(
                1,
                postRequestedFor(urlEqualTo("/hooks/agent"))
                        .withRequestBody(matchingJsonPath(
                                "$.message",
                                com.github.tomakehurst.wiremock.client.WireMock.equalTo(
                                        "Weekday report with {{braces}}")))
                        .withRequestBody(matchingJsonPath(
                                "$.channel", com.github.tomakehurst.wiremock.client.WireMock.equalTo("telegram")))
                        .withRequestBody(matchingJsonPath(
                                "$.to", com.github.tomakehurst.wiremock.client.WireMock.equalTo("@ops"))));

        trigger("wake-main");
        gateway.verify(
                1,
                postRequestedFor(urlEqualTo("/hooks/wake"))
                        .withRequestBody(equalToJson("{\"text\":\"Check for new mail\",\"mode\":\"next-heartbeat\"}")));

        Cli.Result again = Cli.offline()
                .run(
                        "import",
                        "openclaw",
                        "--jobs-file",
                        fixture("cron-list.json").toString(),
                        "--out",
                        t.defs.toString(),
                        "--default-timezone",
                        "UTC");
        assertTrue(again.out().contains("Created 0, updated 0; 14 unchanged"), again::toString);
        Cli.Result resynced = t.cli.run("sync", t.defs.toString());
        assertTrue(resynced.out().contains("Created 0, updated 0, deleted 0; 14 unchanged."), resynced::toString);
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(ImportOpenClawIT.class.getResource("/openclaw/" + name).toURI());
    }
}

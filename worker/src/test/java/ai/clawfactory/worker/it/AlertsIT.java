package ai.clawfactory.worker.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.WorkflowIds;
import ai.clawfactory.core.definition.AlertAction;
import ai.clawfactory.core.definition.AlertsDefinition;
import ai.clawfactory.core.definition.HttpCallDefinition;
import ai.clawfactory.testing.TemporalDevServer;
import ai.clawfactory.testing.TemporalDevServerExtension;
import ai.clawfactory.testing.WorkerProcess;
import ai.clawfactory.worker.alert.AlertState;
import ai.clawfactory.worker.alert.AlertWorkflow;
import ai.clawfactory.worker.alert.RunOutcome;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Alerts and output checks with the packaged worker jar against the real dev server and a
 * WireMock gateway: one alert for two failures inside the cooldown, through the declared channel;
 * a worker restart in between changes nothing; one recovery notice; output checks decide runs.
 */
@ExtendWith(TemporalDevServerExtension.class)
class AlertsIT {

    @RegisterExtension
    final WorkerJarFixture it = new WorkerJarFixture();

    private final WireMockServer gateway = it.gateway;
    private WorkerProcess worker;
    private int starts;

    @BeforeEach
    void setUp() throws IOException {
        it.define("flaky.yaml", """
                name: FlakyWorkflow
                steps:
                  - id: execute
                    retry: { maximumAttempts: 1 }
                    agentTurn: { name: flaky-execute, message: "Do the thing" }
                """);
        it.define("checked.yaml", """
                name: CheckedWorkflow
                input: { mode: delivered }
                steps:
                  - id: notify
                    retry: { maximumAttempts: 1 }
                    agentTurn: { name: "checked-{{input.mode}}", message: "Tell me ({{input.mode}})", expect: { reply: true } }
                alerts: false
                """.replace("name: \"checked-{{input.mode}}\"", "name: checked"));
        Files.writeString(it.dir.resolve("alerts.yaml"), """
                alerts:
                  after: 1
                  cooldown: 1h
                  onFailure:
                    agentTurn: { name: ops-alert, message: "{{workflow.type}} failed at {{failure.step}}: {{failure.message}} {{failure.url}}", channel: telegram, to: "@ops", deliver: true }
                  onRecovery:
                    agentTurn: { name: ops-recovered, message: "{{workflow.type}} recovered", channel: telegram, to: "@ops", deliver: true }
                """);
        it.define("burst.yaml", """
                name: BurstWorkflow
                steps:
                  - id: execute
                    retry: { maximumAttempts: 1 }
                    agentTurn: { name: flaky-execute, message: "Burst" }
                """);
        it.define("stuck.yaml", """
                name: StuckWorkflow
                steps:
                  - id: hold
                    wait: 1h
                schedule: { id: stuck-every-second, interval: 1m, timezone: UTC, overlap: skip, alertOnSkip: true }
                """);
    }

    private void startWorker(TemporalDevServer server) {
        startWorker(server, Map.of());
    }

    private void startWorker(TemporalDevServer server, Map<String, String> env) {
        WorkerProcess.Builder b = it.worker(server.target(), "worker-" + (++starts))
                .env("GATEWAY_HEARTBEAT", "500ms")
                .env("WORKER_HTTP_PORT", "-1")
                .env("ALERTS_DEFAULT_FILE", it.dir.resolve("alerts.yaml").toString())
                .env("ALERTS_UI_URL", "http://ui.example:8233")
                .env("ALERTS_SKIP_CHECK_INTERVAL", "1s");
        env.forEach(b::env);
        worker = b.startReady();
    }

    /** A client of {@code server}'s namespace {@code default}. */
    static WorkflowClient client(TemporalDevServer server) {
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(server.target())
                .build());
        return WorkflowClient.newInstance(
                stubs,
                WorkflowClientOptions.newBuilder().setNamespace("default").build());
    }

    private static String ok(String runId, String disposition) {
        return "{\"ok\":true,\"runId\":\"" + runId + "\",\"completion\":{\"status\":\"ok\""
                + (disposition == null ? "" : ",\"replyDisposition\":\"" + disposition + "\"") + "}}";
    }

    private static RequestPatternBuilder turnsNamed(String name) {
        return postRequestedFor(urlEqualTo("/hooks/agent")).withRequestBody(matchingJsonPath("$.name", equalTo(name)));
    }

    private void flakyAnswers(int status) {
        gateway.stubFor(post(urlEqualTo("/hooks/agent"))
                .withRequestBody(matchingJsonPath("$.name", equalTo("flaky-execute")))
                .willReturn(
                        status == 200
                                ? okJson(ok("r-flaky", null))
                                : aResponse()
                                        .withStatus(status)
                                        .withBody("{\"ok\":false,\"error\":\"unknown agentId\"}")));
    }

    private static boolean ended(WorkflowClient client, String id) {
        var status = client.getWorkflowServiceStubs()
                .blockingStub()
                .describeWorkflowExecution(
                        io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder()
                                .setNamespace("default")
                                .setExecution(io.temporal.api.common.v1.WorkflowExecution.newBuilder()
                                        .setWorkflowId(id))
                                .build())
                .getWorkflowExecutionInfo()
                .getStatus();
        return status != io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    }

    private WorkflowStub run(WorkflowClient client, String type, String id, Map<String, Object> input) {
        WorkflowStub stub = client.newUntypedWorkflowStub(
                type,
                WorkflowOptions.newBuilder()
                        .setTaskQueue(it.taskQueue())
                        .setWorkflowId(id)
                        .build());
        if (input.isEmpty()) {
            stub.start();
        } else {
            stub.start(input);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> ended(client, id));
        return stub;
    }

    private AlertState alertState(WorkflowClient client, String type) {
        return client.newWorkflowStub(AlertWorkflow.class, WorkflowIds.alertsWorkflowId(type))
                .alertState();
    }

    @Test
    void twoFailuresGiveOneAlertARestartChangesNothingAndASuccessGivesOneRecoveryNotice(TemporalDevServer server)
            throws Exception {
        gateway.stubFor(post(urlEqualTo("/hooks/agent")).atPriority(10).willReturn(okJson(ok("r-alert", "delivered"))));
        flakyAnswers(400);
        WorkflowClient client = client(server);
        startWorker(server);

        WorkflowStub first = run(client, "FlakyWorkflow", "flaky-1", Map.of());
        run(client, "FlakyWorkflow", "flaky-2", Map.of());
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            AlertState s = alertState(client, "FlakyWorkflow");
            return s != null && s.consecutiveFailures() == 2 && s.pending().isEmpty();
        });
        List<LoggedRequest> alerts = gateway.findAll(turnsNamed("ops-alert"));
        assertEquals(1, alerts.size(), "one alert for two failures inside the cooldown");
        String body = alerts.get(0).getBodyAsString();
        assertTrue(
                body.contains("\"channel\":\"telegram\"")
                        && body.contains("\"to\":\"@ops\"")
                        && body.contains("\"deliver\":true"),
                body);
        assertTrue(
                body.contains(
                        "FlakyWorkflow failed at execute: Step 'execute' of FlakyWorkflow failed after 1 attempt(s)"),
                body);
        assertTrue(
                body.contains("http://ui.example:8233/namespaces/default/workflows/flaky-1/"
                        + first.getExecution().getRunId() + "/history"),
                body);
        assertTrue(!body.contains("it-token"), body);

        // The worker is killed (SIGKILL, no drain) between the failures and the success: the state is in
        // the alert workflow's history, so the new process carries on from it.
        worker.kill();
        startWorker(server);
        run(client, "FlakyWorkflow", "flaky-3", Map.of());
        await().atMost(Duration.ofSeconds(60))
                .until(() -> alertState(client, "FlakyWorkflow").consecutiveFailures() == 3);
        assertEquals(1, gateway.findAll(turnsNamed("ops-alert")).size(), "still inside the cooldown after the restart");

        flakyAnswers(200);
        run(client, "FlakyWorkflow", "flaky-4", Map.of());
        run(client, "FlakyWorkflow", "flaky-5", Map.of());
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            AlertState s = alertState(client, "FlakyWorkflow");
            return s.recentRuns().size() == 5 && s.pending().isEmpty();
        });
        AlertState s = alertState(client, "FlakyWorkflow");
        assertEquals(0, s.consecutiveFailures());
        assertEquals(1, s.recoveriesSent());
        List<LoggedRequest> recoveries = gateway.findAll(turnsNamed("ops-recovered"));
        assertEquals(1, recoveries.size(), "one recovery notice");
        assertTrue(recoveries.get(0).getBodyAsString().contains("FlakyWorkflow recovered"));
        assertEquals(1, gateway.findAll(turnsNamed("ops-alert")).size());
    }

    @Test
    void aSilentCompletionFailsAStepThatExpectsAReply(TemporalDevServer server) throws Exception {
        gateway.stubFor(post(urlEqualTo("/hooks/agent"))
                .withRequestBody(matchingJsonPath("$.message", equalTo("Tell me (delivered)")))
                .willReturn(okJson(ok("r-d", "delivered"))));
        gateway.stubFor(post(urlEqualTo("/hooks/agent"))
                .withRequestBody(matchingJsonPath("$.message", equalTo("Tell me (silent)")))
                .willReturn(okJson(ok("r-s", "silent"))));
        WorkflowClient client = client(server);
        startWorker(server);
        run(client, "CheckedWorkflow", "checked-delivered", Map.of()).getResult(Object.class);
        WorkflowStub silent = run(client, "CheckedWorkflow", "checked-silent", Map.of("mode", "silent"));
        var e = org.junit.jupiter.api.Assertions.assertThrows(
                io.temporal.client.WorkflowFailedException.class, () -> silent.getResult(Object.class));
        String m = String.valueOf(e.getCause().getMessage());
        assertTrue(
                m.contains(
                        "Output check of step 'notify' failed: expected a reply (reply: true) but the gateway reports "
                                + "replyDisposition 'silent'"),
                m);
        // alerts: false in the file: the worker's defaults do not apply, no alert workflow is started.
        assertEquals(0, gateway.findAll(turnsNamed("ops-alert")).size());
    }

    @Test
    void fireSkippedBecauseARunIsStillGoingIsAlertedWhenTheScheduleDeclaresIt(TemporalDevServer server)
            throws Exception {
        gateway.stubFor(post(urlEqualTo("/hooks/agent")).willReturn(okJson(ok("r-alert", "delivered"))));
        WorkflowClient client = client(server);
        ScheduleClient schedules = ScheduleClient.newInstance(
                client.getWorkflowServiceStubs(),
                ScheduleClientOptions.newBuilder().setNamespace("default").build());
        // Every second, skip on overlap: the first run holds for an hour, the following fires are skipped.
        schedules.createSchedule(
                "stuck-every-second",
                Schedule.newBuilder()
                        .setAction(ScheduleActionStartWorkflow.newBuilder()
                                .setWorkflowType("StuckWorkflow")
                                .setOptions(WorkflowOptions.newBuilder()
                                        .setWorkflowId("stuck")
                                        .setTaskQueue(it.taskQueue())
                                        .build())
                                .build())
                        .setSpec(ScheduleSpec.newBuilder()
                                .setIntervals(List.of(new ScheduleIntervalSpec(Duration.ofSeconds(1))))
                                .build())
                        .setPolicy(SchedulePolicy.newBuilder()
                                .setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP)
                                .build())
                        .build(),
                ScheduleOptions.newBuilder().build());
        try {
            startWorker(server);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !gateway.findAll(turnsNamed("ops-alert")).isEmpty());
            String body = gateway.findAll(turnsNamed("ops-alert")).get(0).getBodyAsString();
            assertTrue(
                    body.contains(
                            "StuckWorkflow failed at (schedule stuck-every-second): Schedule stuck-every-second did not start"),
                    body);
            assertTrue(body.contains("skipped because a run was still going (overlap: skip)"), body);
            assertTrue(body.contains("http://ui.example:8233/namespaces/default/schedules/stuck-every-second"), body);
            // Later skips are reported too, but the cooldown keeps it to one alert.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> alertState(client, "StuckWorkflow").consecutiveFailures() >= 2);
            assertEquals(1, gateway.findAll(turnsNamed("ops-alert")).size());
        } finally {
            schedules.getHandle("stuck-every-second").delete();
            client.newUntypedWorkflowStub(WorkflowIds.alertsWorkflowId("StuckWorkflow"))
                    .terminate("test over");
        }
    }

    @Test
    void runsFailingAtOnceGiveOneAlert(TemporalDevServer server) throws Exception {
        gateway.stubFor(post(urlEqualTo("/hooks/agent")).atPriority(10).willReturn(okJson(ok("r-alert", "delivered"))));
        flakyAnswers(500);
        WorkflowClient client = client(server);
        startWorker(server);
        List<String> ids = List.of("burst-1", "burst-2", "burst-3", "burst-4");
        for (String id : ids) {
            client.newUntypedWorkflowStub(
                            "BurstWorkflow",
                            WorkflowOptions.newBuilder()
                                    .setTaskQueue(it.taskQueue())
                                    .setWorkflowId(id)
                                    .build())
                    .start();
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> ids.stream().allMatch(id -> ended(client, id)));
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            AlertState s = alertState(client, "BurstWorkflow");
            return s != null && s.consecutiveFailures() == 4 && s.pending().isEmpty();
        });
        List<LoggedRequest> alerts = gateway.findAll(turnsNamed("ops-alert"));
        assertEquals(1, alerts.size(), "four runs failing together: one alert");
        assertTrue(
                alerts.get(0).getBodyAsString().contains("BurstWorkflow failed at execute"),
                alerts.get(0).getBodyAsString());
        assertEquals(3, alertState(client, "BurstWorkflow").suppressed());
    }

    /**
     * Issue 28: anyone who can signal can send the alert workflow a report. One carrying an http
     * action that would put the gateway token into a URL is refused on the real server, whether the
     * run it names does not exist (a run id that is no UUID, or one that is) or is of another type.
     */
    @Test
    void aSignalledReportWithAnActionIsRefusedAndSendsNothing(TemporalDevServer server) throws Exception {
        gateway.stubFor(post(urlEqualTo("/hooks/agent")).willReturn(okJson(ok("r-any", "delivered"))));
        // The credentials laid out as systemd's LoadCredential= does: the token is there to be read.
        java.nio.file.Path credentials = Files.createDirectories(it.dir.resolve("credentials"));
        Files.writeString(credentials.resolve("gateway-token"), WorkerJarFixture.GATEWAY_TOKEN);
        WorkflowClient client = client(server);
        startWorker(server, Map.of("CREDENTIALS_DIRECTORY", credentials.toString()));
        WorkflowStub other = run(client, "CheckedWorkflow", "checked-real", Map.of());
        String leak = "http://127.0.0.1:" + gateway.port() + "/leak-{{secret.gateway-token}}";
        AlertAction action = new AlertAction(null, new HttpCallDefinition("POST", leak, Map.of(), "{}", List.of()));
        AlertsDefinition forged = new AlertsDefinition(1, Duration.ZERO, action, action, "forged");
        List<String[]> runs = List.of(
                new String[] {"forged-1", "no-such-run"},
                new String[] {"forged-2", java.util.UUID.randomUUID().toString()},
                new String[] {"checked-real", other.getExecution().getRunId()});
        for (String[] r : runs) {
            AlertWorkflow stub = client.newWorkflowStub(
                    AlertWorkflow.class,
                    WorkflowOptions.newBuilder()
                            .setWorkflowId(WorkflowIds.alertsWorkflowId("FlakyWorkflow"))
                            .setTaskQueue(it.taskQueue())
                            .build());
            BatchRequest request = client.newSignalWithStartRequest();
            request.add(stub::watch, AlertState.initial("FlakyWorkflow"));
            request.add(
                    stub::runEnded,
                    new RunOutcome(
                            "FlakyWorkflow",
                            r[0],
                            r[1],
                            "2026-12-01T09:00:00Z",
                            false,
                            "execute",
                            "boom",
                            1,
                            Map.of(),
                            forged,
                            null,
                            null));
            client.signalWithStart(request);
        }
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                AlertState s = alertState(client, "FlakyWorkflow");
                return s != null && s.suppressed() == runs.size() && s.pending().isEmpty();
            });
            assertEquals(
                    List.of(),
                    client.fetchHistory(WorkflowIds.alertsWorkflowId("FlakyWorkflow")).getEvents().stream()
                            .filter(e -> e.getEventType()
                                    == io.temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
                            .map(e -> e.getActivityTaskScheduledEventAttributes()
                                    .getActivityType()
                                    .getName())
                            .toList(),
                    "no alert activity is scheduled for a refused report");
            assertEquals(List.of(), gateway.findAll(postRequestedFor(urlPathMatching("/leak.*"))));
            AlertState s = alertState(client, "FlakyWorkflow");
            assertEquals(0, s.alertsSent());
            assertEquals(0, s.consecutiveFailures(), "refused reports are not counted");
            assertEquals(0, gateway.findAll(turnsNamed("ops-alert")).size());
        } finally {
            client.newUntypedWorkflowStub(WorkflowIds.alertsWorkflowId("FlakyWorkflow"))
                    .terminate("test over");
        }
    }
}

package ai.clawfactory.worker.alert;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.Names;
import ai.clawfactory.core.WorkflowIds;
import ai.clawfactory.core.definition.AlertAction;
import ai.clawfactory.core.definition.AlertsDefinition;
import ai.clawfactory.core.definition.HttpCallDefinition;
import ai.clawfactory.core.definition.StepKind;
import ai.clawfactory.worker.TestWorkflows;
import ai.clawfactory.worker.config.DefinitionsConfig;
import ai.clawfactory.worker.definition.DefinitionRegistry;
import ai.clawfactory.worker.interpreter.DefinitionActivitiesImpl;
import ai.clawfactory.worker.step.StepResult;
import ai.clawfactory.worker.step.StepStatus;
import ai.clawfactory.worker.step.agentturn.AgentTurnActivities;
import ai.clawfactory.worker.step.agentturn.TurnInput;
import ai.clawfactory.worker.step.attempt.Templates;
import ai.clawfactory.worker.step.httpcall.HttpCallActivities;
import ai.clawfactory.worker.step.httpcall.HttpCallInput;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The alert workflow's logic on the time-skipping server: thresholds, cooldown, recovery, de-duplication, continue-as-new. */
class AlertWorkflowTest {

    static final String ALERTS_YAML = """
            alerts:
              after: %d
              cooldown: 1h
              onFailure:
                agentTurn: { name: ops-alert, message: "{{workflow.type}} failed at {{failure.step}} after {{failure.attempts}}: {{failure.message}} {{failure.url}}", channel: telegram, to: "@ops", deliver: true }
              onRecovery:
                agentTurn: { name: ops-recovered, message: "{{workflow.type}} recovered (last failure: {{failure.message}})", channel: telegram, to: "@ops", deliver: true }
            """;

    /** Records alert turns (rendered, as the real activity would send them); fails steps of runs whose id starts with "fail". */
    static final class Turns implements AgentTurnActivities {
        final List<TurnInput> alerts = new CopyOnWriteArrayList<>();
        final List<String> messages = new CopyOnWriteArrayList<>();

        @Override
        public StepResult agentTurn(TurnInput in) {
            if (in.stepId().startsWith("alerts.")) {
                alerts.add(in);
                messages.add(new Templates(null).render(in.turn().message(), in.context()));
                return new StepResult(
                        in.stepId(), StepKind.AGENT_TURN, StepStatus.OK, "alert-run", "sent", null, 200, null, 1);
            }
            if (in.context().workflowId().startsWith("fail")) {
                throw ApplicationFailure.newNonRetryableFailure(
                        "gateway answered 400: unknown agentId", Names.FAILURE_GATEWAY_PERMANENT);
            }
            return new StepResult(in.stepId(), StepKind.AGENT_TURN, StepStatus.OK, "r", "ok", null, 200, null, 1);
        }
    }

    /** Records every HTTP call (an alert's or a forged one) and answers 200. */
    static final class Http implements HttpCallActivities {
        final List<HttpCallInput> calls = new CopyOnWriteArrayList<>();

        @Override
        public StepResult httpCall(HttpCallInput in) {
            calls.add(in);
            return new StepResult(in.stepId(), StepKind.HTTP, StepStatus.OK, null, "{}", null, 200, null, 1);
        }
    }

    @TempDir
    Path dir;

    @RegisterExtension
    final TestWorkflowExtension temporal =
            TestWorkflows.interpreter(AlertWorkflowImpl.class).build();

    private TestWorkflowEnvironment env;
    private WorkflowClient client;
    private String taskQueue;
    private final Turns turns = new Turns();
    private final Http http = new Http();

    /** Runs the tests declare to exist (run id → type); any other run is looked up on the test server. */
    private final Map<String, String> knownRuns = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp(TestWorkflowEnvironment env, Worker worker) throws Exception {
        registerActivities(dir, env, worker, turns, http, knownRuns);
        env.start();
        this.env = env;
        client = env.getWorkflowClient();
        taskQueue = worker.getTaskQueue();
    }

    /**
     * The definitions (Alerted: alert after 1 failure; AlertedAfterTwo: after 2; Silenced:
     * {@code alerts: false}; Plain: no alerts) and the activities, the report check included: it
     * takes a run in {@code knownRuns} as existing, and asks the test server about any other.
     */
    static void registerActivities(
            Path dir, TestWorkflowEnvironment env, Worker worker, Turns turns, Http http, Map<String, String> knownRuns)
            throws IOException {
        Path defs = Files.createDirectories(dir.resolve("defs"));
        String steps = "steps:\n  - id: execute\n    retry: { maximumAttempts: 1 }\n    agentTurn: { message: go }\n";
        Files.writeString(defs.resolve("alerted.yaml"), "name: Alerted\n" + steps + ALERTS_YAML.formatted(1));
        Files.writeString(
                defs.resolve("alerted-after-two.yaml"), "name: AlertedAfterTwo\n" + steps + ALERTS_YAML.formatted(2));
        Files.writeString(defs.resolve("silenced.yaml"), "name: Silenced\n" + steps + "alerts: false\n");
        Files.writeString(defs.resolve("plain.yaml"), "name: Plain\n" + steps);
        DefinitionRegistry registry = new DefinitionRegistry(new DefinitionsConfig(defs.toString(), null));
        RunLookup server = RunLookup.of(env::getWorkflowClient);
        worker.registerActivitiesImplementations(
                turns,
                http,
                new DefinitionActivitiesImpl(registry, () -> false),
                new RunReportActivitiesImpl(env::getWorkflowClient, "http://ui.test:8233/"),
                new ReportCheckActivitiesImpl(
                        registry,
                        () -> null,
                        (workflowId, runId) -> knownRuns.containsKey(runId)
                                ? knownRuns.get(runId)
                                : server.workflowType(workflowId, runId),
                        "http://ui.test:8233/",
                        "default"));
    }

    /** A report of a run that exists (as far as the report check is concerned). */
    private RunOutcome outcome(String type, String runId, boolean ok) {
        knownRuns.put(runId, type);
        return new RunOutcome(
                type,
                "wf-" + runId,
                runId,
                "2026-12-01T09:00:00Z",
                ok,
                ok ? null : "execute",
                ok ? null : "boom " + runId,
                ok ? 0 : 3,
                Map.of(),
                null,
                "http://ui/" + runId,
                null);
    }

    private RunOutcome outcome(String runId, boolean ok) {
        return outcome("Alerted", runId, ok);
    }

    private void report(RunOutcome o) {
        signal(o.workflowType(), o);
    }

    private AlertState awaitHandled(int reports) {
        return awaitHandled("Alerted", reports);
    }

    private AlertState awaitHandled(String type, int reports) {
        AlertWorkflow stub = client.newWorkflowStub(AlertWorkflow.class, WorkflowIds.alertsWorkflowId(type));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            AlertState s = stub.alertState();
            return s != null
                    && s.pending().isEmpty()
                    && s.recentRuns().size() >= Math.min(reports, AlertState.RECENT_RUNS);
        });
        return stub.alertState();
    }

    private List<String> sentSteps() {
        return turns.alerts.stream().map(TurnInput::stepId).toList();
    }

    @Test
    void twoFailuresInsideTheCooldownGiveOneAlertAndTheNextSuccessOneRecoveryNotice() {
        report(outcome("r1", false));
        report(outcome("r2", false));
        AlertState s = awaitHandled(2);
        assertEquals(2, s.consecutiveFailures());
        assertEquals(1, s.alertsSent());
        assertEquals(List.of("alerts.onFailure"), sentSteps());
        TurnInput alert = turns.alerts.get(0);
        assertEquals("telegram", alert.turn().channel());
        assertEquals("@ops", alert.turn().to());
        // The link is the worker's (ALERTS_UI_URL), not the report's "http://ui/r1".
        assertEquals(
                "Alerted failed at execute after 3: boom r1 http://ui.test:8233/namespaces/default/workflows/wf-r1/r1/history",
                turns.messages.get(0));
        report(outcome("r3", true));
        report(outcome("r4", true));
        s = awaitHandled(4);
        assertEquals(0, s.consecutiveFailures());
        assertEquals(1, s.recoveriesSent());
        assertEquals(List.of("alerts.onFailure", "alerts.onRecovery"), sentSteps());
        assertEquals("Alerted recovered (last failure: boom r2)", turns.messages.get(1));
        assertEquals("wf-r3", turns.alerts.get(1).context().workflowId());
    }

    @Test
    void aFailureAfterTheCooldownAlertsAgain() {
        report(outcome("r1", false));
        awaitHandled(1);
        env.sleep(Duration.ofMinutes(61));
        report(outcome("r2", false));
        AlertState s = awaitHandled(2);
        assertEquals(2, s.alertsSent());
        assertEquals(List.of("alerts.onFailure", "alerts.onFailure"), sentSteps());
    }

    @Test
    void afterCountsConsecutiveFailuresOnlyAndASuccessResetsThem() {
        report(outcome("AlertedAfterTwo", "r1", false));
        report(outcome("AlertedAfterTwo", "r2", true));
        report(outcome("AlertedAfterTwo", "r3", false));
        AlertState s = awaitHandled("AlertedAfterTwo", 3);
        assertEquals(1, s.consecutiveFailures());
        assertEquals(List.of(), sentSteps(), "no alert below the threshold, no recovery notice without an alert");
        report(outcome("AlertedAfterTwo", "r4", false));
        s = awaitHandled("AlertedAfterTwo", 4);
        assertEquals(List.of("alerts.onFailure"), sentSteps());
        assertEquals(2, s.suppressed());
    }

    @Test
    void aRepeatedReportOfOneRunIsCountedOnce() {
        report(outcome("AlertedAfterTwo", "r1", false));
        report(outcome("AlertedAfterTwo", "r1", false));
        AlertState s = awaitHandled("AlertedAfterTwo", 1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.newWorkflowStub(
                                AlertWorkflow.class, WorkflowIds.alertsWorkflowId("AlertedAfterTwo"))
                        .alertState()
                        .pending()
                        .isEmpty());
        s = client.newWorkflowStub(AlertWorkflow.class, WorkflowIds.alertsWorkflowId("AlertedAfterTwo"))
                .alertState();
        assertEquals(1, s.consecutiveFailures());
        assertEquals(List.of(), sentSteps());
    }

    @Test
    void stateSurvivesContinueAsNew() {
        int n = AlertWorkflowImpl.EVENTS_PER_RUN + 5;
        for (int i = 0; i < n; i++) {
            report(outcome("c" + i, false));
        }
        AlertWorkflow stub = client.newWorkflowStub(AlertWorkflow.class, WorkflowIds.alertsWorkflowId("Alerted"));
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            AlertState s = stub.alertState();
            return s != null && s.consecutiveFailures() == n;
        });
        AlertState s = stub.alertState();
        assertEquals(1, s.alertsSent());
        assertEquals(List.of("alerts.onFailure"), sentSteps());
        String first = client.fetchHistory(WorkflowIds.alertsWorkflowId("Alerted"))
                .getHistory()
                .getEvents(0)
                .getWorkflowExecutionStartedEventAttributes()
                .getContinuedExecutionRunId();
        assertTrue(!first.isEmpty(), "the current run continued from an earlier one");
    }

    @Test
    void interpreterRunsReportTheirEndAndTheFailureReachesTheAlert() {
        WorkflowStub failing = client.newUntypedWorkflowStub(
                "Alerted",
                WorkflowOptions.newBuilder()
                        .setTaskQueue(taskQueue)
                        .setWorkflowId("fail-1")
                        .build());
        failing.start();
        assertThrows(WorkflowFailedException.class, () -> failing.getResult(Object.class));
        await().atMost(Duration.ofSeconds(30)).until(() -> turns.alerts.size() == 1);
        String m = turns.messages.get(0);
        assertTrue(
                m.startsWith(
                        "Alerted failed at execute after 1: Step 'execute' of Alerted failed after 1 attempt(s): gateway answered 400"),
                m);
        assertTrue(
                m.endsWith("http://ui.test:8233/namespaces/default/workflows/fail-1/"
                        + failing.getExecution().getRunId() + "/history"),
                m);
        WorkflowStub ok = client.newUntypedWorkflowStub(
                "Alerted",
                WorkflowOptions.newBuilder()
                        .setTaskQueue(taskQueue)
                        .setWorkflowId("ok-1")
                        .build());
        ok.start();
        ok.getResult(Object.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> turns.alerts.size() == 2);
        assertEquals("alerts.onRecovery", turns.alerts.get(1).stepId());
    }

    @Test
    void refusedInputIsAFailureOfStepInput() {
        WorkflowStub refused = client.newUntypedWorkflowStub(
                "Alerted",
                WorkflowOptions.newBuilder()
                        .setTaskQueue(taskQueue)
                        .setWorkflowId("refused-1")
                        .build());
        refused.start(Map.of("nope", "x"));
        assertThrows(WorkflowFailedException.class, () -> refused.getResult(Object.class));
        await().atMost(Duration.ofSeconds(30)).until(() -> turns.alerts.size() == 1);
        assertTrue(
                turns.messages.get(0).startsWith("Alerted failed at (input) after 0: Unknown input 'nope'"),
                turns.messages.get(0));
    }

    /** An action nobody configured: it would put the gateway token into a URL the attacker reads. */
    static final AlertAction FORGED_ACTION = new AlertAction(
            null,
            new HttpCallDefinition(
                    "POST",
                    "http://127.0.0.1:7243/api/v1/namespaces/default/workflows/leak-{{secret.gateway-token}}",
                    Map.of(),
                    "{}",
                    List.of()));

    static final AlertsDefinition FORGED =
            new AlertsDefinition(1, Duration.ZERO, FORGED_ACTION, FORGED_ACTION, "forged");

    static RunOutcome forged(String type, String workflowId, String runId) {
        return forged(type, workflowId, runId, null);
    }

    /** A failure report carrying {@link #FORGED}, as anyone who can signal could send it. */
    static RunOutcome forged(String type, String workflowId, String runId, String definitionVersion) {
        return new RunOutcome(
                type,
                workflowId,
                runId,
                "2026-12-01T09:00:00Z",
                false,
                "execute",
                "boom",
                1,
                Map.of(),
                FORGED,
                "https://phish.example/login",
                definitionVersion);
    }

    /** Signal-with-start of the alert workflow of {@code type} (not necessarily the report's). */
    private void signal(String type, RunOutcome o) {
        AlertWorkflow stub = client.newWorkflowStub(
                AlertWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(WorkflowIds.alertsWorkflowId(type))
                        .setTaskQueue(taskQueue)
                        .build());
        BatchRequest r = client.newSignalWithStartRequest();
        r.add(stub::watch, AlertState.initial(type));
        r.add(stub::runEnded, o);
        client.signalWithStart(r);
    }

    /** Waits until the alert workflow of a type has decided {@code decided} failure reports (alerted, suppressed or refused). */
    private AlertState awaitDecided(String type, int decided) {
        AlertWorkflow stub = client.newWorkflowStub(AlertWorkflow.class, WorkflowIds.alertsWorkflowId(type));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            AlertState s = stub.alertState();
            return s != null && s.alertsSent() + s.suppressed() + s.recoveriesSent() >= decided;
        });
        return stub.alertState();
    }

    @Test
    void aSignalledReportOfARunThatDoesNotExistSendsNothingItCarries() {
        signal("Alerted", forged("Alerted", "forged-1", "no-such-run"));
        signal("Alerted", forged("Alerted", "forged-2", UUID.randomUUID().toString()));
        AlertState s = awaitDecided("Alerted", 2);
        assertEquals(List.of(), http.calls, "the forged http action must not run");
        assertEquals(List.of(), turns.alerts, "a report of a run that does not exist alerts nobody");
        assertEquals(0, s.alertsSent());
        assertEquals(2, s.suppressed());
        assertEquals(0, s.consecutiveFailures(), "a refused report is not counted as a failure");
    }

    @Test
    void aReportOfARealRunOfAnotherTypeSendsNothing() {
        WorkflowStub plain = client.newUntypedWorkflowStub(
                "Plain",
                WorkflowOptions.newBuilder()
                        .setTaskQueue(taskQueue)
                        .setWorkflowId("plain-1")
                        .build());
        plain.start();
        plain.getResult(Object.class);
        signal("Alerted", forged("Alerted", "plain-1", plain.getExecution().getRunId()));
        AlertState s = awaitDecided("Alerted", 1);
        assertEquals(List.of(), http.calls);
        assertEquals(List.of(), turns.alerts);
        assertEquals(1, s.suppressed());
    }

    @Test
    void aReportSentToTheAlertWorkflowOfAnotherTypeSendsNothing() {
        knownRuns.put("x1", "AlertedAfterTwo");
        signal("Alerted", forged("AlertedAfterTwo", "wf-x1", "x1"));
        AlertState s = awaitDecided("Alerted", 1);
        assertEquals(List.of(), http.calls);
        assertEquals(List.of(), turns.alerts);
        assertEquals(1, s.suppressed());
    }

    @Test
    void aReportForATypeWithoutAlertsSendsNothing() {
        knownRuns.put("s1", "Silenced");
        knownRuns.put("p1", "Plain");
        signal("Silenced", forged("Silenced", "wf-s1", "s1"));
        signal("Plain", forged("Plain", "wf-p1", "p1"));
        assertEquals(1, awaitDecided("Silenced", 1).suppressed());
        assertEquals(1, awaitDecided("Plain", 1).suppressed());
        assertEquals(List.of(), http.calls);
        assertEquals(List.of(), turns.alerts);
    }

    @Test
    void aSignalledReportWithAnActionSendsTheWorkersConfiguredAlertInstead() {
        knownRuns.put("f1", "Alerted");
        signal("Alerted", forged("Alerted", "wf-f1", "f1"));
        AlertState s = awaitDecided("Alerted", 1);
        assertEquals(List.of(), http.calls, "the forged http action must not run");
        assertEquals(List.of("alerts.onFailure"), sentSteps(), "the alert of Alerted's definition runs");
        assertEquals("@ops", turns.alerts.get(0).turn().to());
        assertEquals(1, s.alertsSent());
        assertTrue(
                turns.messages.get(0).endsWith(" http://ui.test:8233/namespaces/default/workflows/wf-f1/f1/history"),
                "the alert links the worker's page of the run, whatever the report says: " + turns.messages.get(0));
    }

    @Test
    void aReportForATypeTheWorkerDoesNotKnowSendsNothing() {
        signal("NoSuchType", forged("NoSuchType", "wf-u1", "u1"));
        AlertState s = awaitDecided("NoSuchType", 1);
        assertEquals(List.of(), http.calls);
        assertEquals(List.of(), turns.alerts);
        assertEquals(1, s.suppressed());
    }

    @Test
    void aStartArgumentWhosePendingReportsCarryAnActionSendsNothingItCarries() {
        knownRuns.put("p1", "Alerted");
        AlertWorkflow stub = client.newWorkflowStub(
                AlertWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(WorkflowIds.alertsWorkflowId("Alerted"))
                        .setTaskQueue(taskQueue)
                        .build());
        WorkflowClient.start(
                stub::watch, AlertState.initial("Alerted").withPending(List.of(forged("Alerted", "wf-p1", "p1"))));
        AlertState s = awaitDecided("Alerted", 1);
        assertEquals(List.of(), http.calls, "the carried http action must not run");
        assertEquals(List.of("alerts.onFailure"), sentSteps(), "the alert of Alerted's definition runs");
        assertEquals(1, s.alertsSent());
    }
}

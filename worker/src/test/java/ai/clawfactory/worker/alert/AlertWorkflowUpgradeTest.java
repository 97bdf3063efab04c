package ai.clawfactory.worker.alert;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.WorkflowIds;
import ai.clawfactory.worker.TestWorkflows;
import ai.clawfactory.worker.step.agentturn.TurnInput;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An alert workflow started by the code before change {@value AlertWorkflowImpl#CHANGE_OWN_ALERTS}
 * (emulated: its version pinned to the default, so no marker and the old commands) hears a report
 * after the deploy: that report is checked against the worker's definitions at once, not at the
 * workflow's next continue-as-new, and the history, old part and new, replays on the new code.
 */
class AlertWorkflowUpgradeTest {

    private final PinnedOwnAlertsVersion beforeTheDeploy = new PinnedOwnAlertsVersion(Workflow.DEFAULT_VERSION);

    @TempDir
    Path dir;

    @RegisterExtension
    final TestWorkflowExtension temporal = TestWorkflows.interpreter(AlertWorkflowImpl.class)
            .setWorkerFactoryOptions(WorkerFactoryOptions.newBuilder()
                    .setWorkerInterceptors(beforeTheDeploy)
                    .build())
            .build();

    private final AlertWorkflowTest.Turns turns = new AlertWorkflowTest.Turns();
    private final AlertWorkflowTest.Http http = new AlertWorkflowTest.Http();

    @Test
    void aReportAfterTheDeployIsCheckedAtOnceAndTheWholeHistoryReplays(TestWorkflowEnvironment env, Worker worker)
            throws Exception {
        Map<String, String> knownRuns = new ConcurrentHashMap<>(Map.of("f1", "Alerted", "ok1", "Alerted"));
        AlertWorkflowTest.registerActivities(dir, env, worker, turns, http, knownRuns);
        env.start();
        WorkflowClient client = env.getWorkflowClient();
        AlertWorkflow alerts = client.newWorkflowStub(AlertWorkflow.class, WorkflowIds.alertsWorkflowId("Alerted"));

        // Before the deploy the code ran the block a report carried (what this change closes).
        RunReportActivitiesImpl.signalWithStart(
                client, worker.getTaskQueue(), AlertWorkflowTest.forged("Alerted", "wf-f1", "f1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> alerts.alertState().alertsSent() == 1);
        assertEquals(1, http.calls.size(), "the emulated old code runs the carried action");

        beforeTheDeploy.pin(null);
        RunOutcome ok = AlertWorkflowTest.forged("Alerted", "wf-ok1", "ok1");
        RunReportActivitiesImpl.signalWithStart(
                client,
                worker.getTaskQueue(),
                new RunOutcome(
                        ok.workflowType(),
                        ok.workflowId(),
                        ok.runId(),
                        ok.startTime(),
                        true,
                        null,
                        null,
                        0,
                        Map.of(),
                        ok.alerts(),
                        null,
                        null));
        await().atMost(Duration.ofSeconds(30)).until(() -> alerts.alertState().recoveriesSent() == 1);
        assertEquals(1, http.calls.size(), "the report after the deploy does not run the action it carries");
        assertEquals(
                List.of("alerts.onRecovery"),
                turns.alerts.stream().map(TurnInput::stepId).toList());
        assertEquals("Alerted recovered (last failure: boom)", turns.messages.get(0), "Alerted's own notice");

        WorkflowExecutionHistory history = client.fetchHistory(WorkflowIds.alertsWorkflowId("Alerted"));
        assertEquals(
                1,
                history.getEvents().stream()
                        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED
                                && e.getMarkerRecordedEventAttributes()
                                        .getMarkerName()
                                        .equals("Version"))
                        .count(),
                "one version marker: the report after the deploy's own");
        WorkflowReplayer.replayWorkflowExecution(history, AlertWorkflowImpl.class);
        assertTrue(
                history.getEvents().stream()
                        .anyMatch(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
                                && e.getActivityTaskScheduledEventAttributes()
                                        .getActivityType()
                                        .getName()
                                        .equals("HttpCall")),
                "the old part of the history ran the carried action, and still replays");
    }
}

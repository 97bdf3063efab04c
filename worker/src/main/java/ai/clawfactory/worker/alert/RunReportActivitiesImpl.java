package ai.clawfactory.worker.alert;

import ai.clawfactory.core.WebUi;
import ai.clawfactory.core.WorkflowIds;
import io.micronaut.context.BeanProvider;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.function.Supplier;

/**
 * Signal-with-start of {@code clawfactory-alerts/<type>} on the run's own task queue: the alert
 * workflow starts with the first report and then hears every run of the type.
 */
@Singleton
public class RunReportActivitiesImpl implements RunReportActivities {

    private final Supplier<WorkflowClient> client;
    private final String uiUrl;

    @Inject
    public RunReportActivitiesImpl(BeanProvider<WorkflowClient> client, AlertsConfig config) {
        this(client::get, config.uiUrl());
    }

    public RunReportActivitiesImpl(Supplier<WorkflowClient> client, String uiUrl) {
        this.client = client;
        this.uiUrl = uiUrl.endsWith("/") ? uiUrl.substring(0, uiUrl.length() - 1) : uiUrl;
    }

    @Override
    public void reportRun(RunOutcome outcome) {
        ActivityInfo info = Activity.getExecutionContext().getInfo();
        RunOutcome o = outcome.withUrl(runUrl(uiUrl, info.getNamespace(), outcome.workflowId(), outcome.runId()));
        signalWithStart(client.get(), info.getActivityTaskQueue(), o);
    }

    /** Hands a report to the type's alert workflow, starting it if it is not running. */
    public static void signalWithStart(WorkflowClient c, String taskQueue, RunOutcome o) {
        AlertWorkflow stub = c.newWorkflowStub(
                AlertWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(WorkflowIds.alertsWorkflowId(o.workflowType()))
                        .setTaskQueue(taskQueue)
                        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                        .setStaticSummary("alerts of " + o.workflowType())
                        .build());
        BatchRequest request = c.newSignalWithStartRequest();
        request.add(stub::watch, AlertState.initial(o.workflowType()));
        request.add(stub::runEnded, o);
        c.signalWithStart(request);
    }

    /** The run's page in the Web UI. */
    static String runUrl(String base, String namespace, String workflowId, String runId) {
        return WebUi.runUrl(base, namespace, workflowId, runId);
    }

    /** A schedule's page in the Web UI. */
    static String scheduleUrl(String base, String namespace, String scheduleId) {
        return WebUi.scheduleUrl(base, namespace, scheduleId);
    }
}

package ai.clawfactory.worker.alert;

import ai.clawfactory.core.Names;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One long-lived workflow per alerted workflow type (id {@code clawfactory-alerts/<type>}): every
 * run of the type reports its end here (signal-with-start), and this workflow alone decides, one
 * report at a time, whether a person is told. Its history is the durable alert state.
 */
@WorkflowInterface
public interface AlertWorkflow {

    @WorkflowMethod(name = Names.WORKFLOW_ALERTS)
    void watch(AlertState state);

    @SignalMethod(name = Names.SIGNAL_RUN_ENDED)
    void runEnded(RunOutcome outcome);

    @QueryMethod(name = Names.QUERY_ALERT_STATE)
    AlertState alertState();
}

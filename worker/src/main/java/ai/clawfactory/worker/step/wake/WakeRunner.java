package ai.clawfactory.worker.step.wake;

import ai.clawfactory.core.definition.WakeDefinition;
import ai.clawfactory.worker.step.StepCall;
import ai.clawfactory.worker.step.StepResult;
import ai.clawfactory.worker.step.activity.ActivityRunner;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;

/**
 * The {@code wake} kind, workflow side: one {@code Wake} activity per attempt. A kind added after
 * the first release: histories of older definitions never reach it.
 */
public final class WakeRunner extends ActivityRunner<WakeDefinition> {

    public WakeRunner() {
        super(WakeDefinition.class);
    }

    @Override
    protected StepResult call(WakeDefinition wake, StepCall c, ActivityOptions options) {
        return Workflow.newActivityStub(WakeActivities.class, options)
                .wake(new WakeInput(c.context(), c.stepId(), c.attempt(), c.timeout(), wake));
    }
}

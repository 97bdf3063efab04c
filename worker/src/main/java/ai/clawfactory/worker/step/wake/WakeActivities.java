package ai.clawfactory.worker.step.wake;

import ai.clawfactory.core.Names;
import ai.clawfactory.worker.step.StepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Wakes the gateway's main session ({@code POST /hooks/wake}) and records it in the ledger. */
@ActivityInterface
public interface WakeActivities {

    @ActivityMethod(name = Names.ACTIVITY_WAKE)
    StepResult wake(WakeInput input);
}

package ai.clawfactory.worker.step;

import ai.clawfactory.core.Names;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Wakes the gateway's main session ({@code POST /hooks/wake}) and records it in the ledger. */
@ActivityInterface
public interface WakeActivities {

    @ActivityMethod(name = Names.ACTIVITY_WAKE)
    StepResult wake(WakeInput input);
}

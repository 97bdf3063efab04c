package ai.clawfactory.worker.step;

import ai.clawfactory.core.Names;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Makes one plain HTTP call of an {@code http} step and records it in the ledger. */
@ActivityInterface
public interface HttpCallActivities {

    @ActivityMethod(name = Names.ACTIVITY_HTTP_CALL)
    StepResult httpCall(HttpCallInput input);
}

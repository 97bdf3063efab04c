package ai.clawfactory.worker.step.httpcall;

import ai.clawfactory.core.Names;
import ai.clawfactory.worker.step.StepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Makes one plain HTTP call of an {@code http} step and records it in the ledger. */
@ActivityInterface
public interface HttpCallActivities {

    @ActivityMethod(name = Names.ACTIVITY_HTTP_CALL)
    StepResult httpCall(HttpCallInput input);
}

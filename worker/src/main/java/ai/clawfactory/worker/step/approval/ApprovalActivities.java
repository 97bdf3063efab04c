package ai.clawfactory.worker.step.approval;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The activities of an approval step: one renders what the person is asked (and the link and the
 * command that decide it) when the step opens, one records the decision in the ledger when it ends.
 */
@ActivityInterface
public interface ApprovalActivities {

    /** Activity type of opening an approval (kept here: the approval contract in core does not change its shape). */
    String ACTIVITY_OPEN = "ApprovalOpen";
    /** Activity type of recording an approval's decision in the ledger. */
    String ACTIVITY_RECORD = "ApprovalRecord";

    @ActivityMethod(name = ACTIVITY_OPEN)
    ApprovalOpened open(ApprovalInput input);

    @ActivityMethod(name = ACTIVITY_RECORD)
    void record(ApprovalRecord record);
}

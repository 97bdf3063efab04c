package ai.clawfactory.worker.alert;

import ai.clawfactory.core.Names;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** A run tells its type's alert workflow how it ended (signal-with-start: the alert workflow starts on first use). */
@ActivityInterface
public interface RunReportActivities {

    @ActivityMethod(name = Names.ACTIVITY_REPORT_RUN)
    void reportRun(RunOutcome outcome);
}

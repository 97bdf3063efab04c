package ai.clawfactory.worker.alert;

import ai.clawfactory.core.Names;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Run by the alert workflow as a local activity for every report (its answer is recorded in
 * history, so a replay uses the same answer): is the report one this worker should alert on, and
 * with which alerts block. The block always comes from the worker's definitions or its defaults
 * file, never from the report or the workflow's start argument.
 */
@ActivityInterface
public interface ReportCheckActivities {

    @ActivityMethod(name = Names.ACTIVITY_CHECK_REPORT)
    ReportCheck checkReport(ReportCheckInput input);
}

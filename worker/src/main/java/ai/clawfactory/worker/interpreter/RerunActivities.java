package ai.clawfactory.worker.interpreter;

import ai.clawfactory.core.Names;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Runs as a local activity at the start of a re-run, so what it carries over from the old run is
 * recorded in the new run's history (a replay reads it from there, never from the old run again).
 */
@ActivityInterface
public interface RerunActivities {

    @ActivityMethod(name = Names.ACTIVITY_CARRY_OVER)
    CarriedOver carryOver(CarryOverRequest request);
}

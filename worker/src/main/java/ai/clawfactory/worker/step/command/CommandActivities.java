package ai.clawfactory.worker.step.command;

import ai.clawfactory.core.Names;
import ai.clawfactory.worker.step.StepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Runs one attempt of a {@code command} step (one command or an exec block) and records it in the ledger. */
@ActivityInterface
public interface CommandActivities {

    @ActivityMethod(name = Names.ACTIVITY_COMMAND)
    StepResult command(CommandInput input);
}

package ai.clawfactory.worker.interpreter;

import ai.clawfactory.core.Names;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Runs as a local activity so the definition a run uses is recorded in its history. */
@ActivityInterface
public interface DefinitionActivities {

    @ActivityMethod(name = Names.ACTIVITY_LOAD_DEFINITION)
    LoadedDefinition loadDefinition(String workflowType);
}

package ai.clawfactory.worker.definition;

import ai.clawfactory.core.definition.DefinitionFolder;
import ai.clawfactory.worker.config.DefinitionsConfig;
import jakarta.inject.Singleton;

/**
 * The workflow definitions the worker serves: core's {@link DefinitionFolder} on the folder of
 * {@code definitions.dir} (DEFINITIONS_DIR), re-read whenever a file in it changes.
 */
@Singleton
public class DefinitionRegistry extends DefinitionFolder {

    public DefinitionRegistry(DefinitionsConfig config) {
        super(config.dir(), config.defaultTimezone());
    }
}

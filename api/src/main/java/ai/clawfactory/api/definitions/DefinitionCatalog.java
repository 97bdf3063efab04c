package ai.clawfactory.api.definitions;

import ai.clawfactory.core.definition.DefinitionFolder;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

/**
 * The definitions the API checks starts against: the same folder the worker serves
 * ({@code DEFINITIONS_DIR}), re-read when a file changes. The worker checks again when the run
 * starts (and pins its own copy); this check only refuses a bad start at the door.
 */
@Singleton
public final class DefinitionCatalog extends DefinitionFolder {

    DefinitionCatalog(
            @Value("${definitions.dir:definitions}") String dir,
            @Nullable @Value("${definitions.default-timezone:}") String defaultTimezone) {
        super(dir, defaultTimezone == null || defaultTimezone.isBlank() ? null : defaultTimezone);
    }
}

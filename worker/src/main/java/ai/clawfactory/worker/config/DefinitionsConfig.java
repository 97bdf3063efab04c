package ai.clawfactory.worker.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * How the worker reads its definitions: the same settings the schedules CLI reads, so a file that
 * passes {@code validate} and {@code sync} also loads in the worker.
 *
 * @param dir             folder of workflow definitions (DEFINITIONS_DIR)
 * @param defaultTimezone zone of schedules that name none (SCHEDULES_DEFAULT_TIMEZONE); unset, a
 *                        schedule must name its timezone
 */
@ConfigurationProperties("definitions")
public record DefinitionsConfig(
        @Bindable(defaultValue = "definitions") String dir,
        @Nullable String defaultTimezone) {

    public DefinitionsConfig {
        Settings.notBlank(dir, "definitions.dir", "DEFINITIONS_DIR");
    }
}

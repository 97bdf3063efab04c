package ai.clawfactory.worker.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;

/**
 * @param dir folder of workflow definitions (DEFINITIONS_DIR)
 */
@ConfigurationProperties("definitions")
public record DefinitionsConfig(@NotBlank @Bindable(defaultValue = "definitions") String dir) {
}

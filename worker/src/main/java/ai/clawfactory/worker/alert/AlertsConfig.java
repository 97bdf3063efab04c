package ai.clawfactory.worker.alert;

import ai.clawfactory.worker.config.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Alerts settings of the worker.
 *
 * @param defaultFile a YAML file holding an {@code alerts:} block used by every definition without
 *                    one (ALERTS_DEFAULT_FILE); unset, only definitions with their own block alert
 * @param uiUrl       base URL of the Temporal Web UI for {@code {{failure.url}}} (ALERTS_UI_URL)
 */
@ConfigurationProperties("alerts")
public record AlertsConfig(
        @Nullable String defaultFile,

        @Bindable(defaultValue = "http://localhost:8233") String uiUrl) {

    public AlertsConfig {
        Settings.notBlank(uiUrl, "alerts.ui-url", "ALERTS_UI_URL");
    }
}

package ai.clawfactory.worker.alert;

import ai.clawfactory.core.definition.AlertsDefinition;
import ai.clawfactory.core.definition.DefinitionException;
import ai.clawfactory.core.definition.DefinitionLoader;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's default {@code alerts:} block (ALERTS_DEFAULT_FILE), read once at start. A file
 * with problems stops the worker with each problem as {@code file:line:column}: alerts that
 * silently do nothing are what this feature exists to prevent.
 */
@Singleton
public class AlertDefaults implements Supplier<AlertsDefinition> {

    private static final Logger LOG = LoggerFactory.getLogger(AlertDefaults.class);

    private final AlertsDefinition defaults;

    public AlertDefaults(AlertsConfig config) {
        this.defaults = read(config.defaultFile());
    }

    static AlertsDefinition read(String file) {
        if (file == null || file.isBlank()) {
            return null;
        }
        Path p = Path.of(file.trim());
        String text;
        try {
            text = Files.readString(p);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "ALERTS_DEFAULT_FILE " + p + " cannot be read (" + e.getMessage() + "); fix the path or unset it");
        }
        try {
            AlertsDefinition a = DefinitionLoader.fromEnvironment().parseAlertsFile(p.toString(), text);
            LOG.info(
                    "Default alerts from {}: after {} failed run(s), cooldown {}, onFailure {}, onRecovery {}",
                    p,
                    a.after(),
                    a.cooldown(),
                    a.onFailure() == null ? "none" : a.onFailure().kind(),
                    a.onRecovery() == null ? "none" : a.onRecovery().kind());
            return a;
        } catch (DefinitionException e) {
            throw new IllegalStateException("ALERTS_DEFAULT_FILE " + p + " has problems:\n" + e.getMessage());
        }
    }

    /** The defaults, or null when none are configured. */
    @Override
    public AlertsDefinition get() {
        return defaults;
    }
}

package ai.clawfactory.worker.config;

import io.micronaut.context.env.Environment;
import io.micronaut.core.value.PropertyResolver;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses a setting whose text is not of its type. Micronaut binds a value it cannot convert as
 * if it were unset, so {@code TEMPORAL_CONNECT_TIMEOUT=soon} would run with the default 15 s and
 * {@code WORKER_WORKFLOW_POLLERS=abc} with 2, and it reads any word but yes/true/on/y as false.
 * Checked once at start, with the same conversions the binding uses; a refusal is one line
 * naming the setting and its variable ({@code Cannot start: …}).
 */
@Singleton
public class SettingsCheck {

    /** A setting read as {@code type}, with the variable application.yml maps to it. */
    record Typed(String property, String variable, Class<?> type) {}

    static final List<Typed> TYPED = List.of(
            new Typed("temporal.connect-timeout", "TEMPORAL_CONNECT_TIMEOUT", Duration.class),
            new Typed("temporal.drain-timeout", "WORKER_DRAIN_TIMEOUT", Duration.class),
            new Typed("temporal.worker.max-concurrent-activities", "WORKER_MAX_ACTIVITIES", Integer.class),
            new Typed("temporal.worker.max-concurrent-workflow-tasks", "WORKER_MAX_WORKFLOW_TASKS", Integer.class),
            new Typed("temporal.worker.max-concurrent-local-activities", "WORKER_MAX_LOCAL_ACTIVITIES", Integer.class),
            new Typed("temporal.worker.workflow-pollers", "WORKER_WORKFLOW_POLLERS", Integer.class),
            new Typed("temporal.worker.activity-pollers", "WORKER_ACTIVITY_POLLERS", Integer.class),
            new Typed("temporal.worker.workflow-cache-size", "WORKER_WORKFLOW_CACHE", Integer.class),
            new Typed("temporal.worker.max-workflow-threads", "WORKER_MAX_WORKFLOW_THREADS", Integer.class),
            new Typed("temporal.worker.virtual-threads", "WORKER_VIRTUAL_THREADS", Boolean.class),
            new Typed("observe.port", "WORKER_HTTP_PORT", Integer.class),
            new Typed("alerts.skip-check-interval", "ALERTS_SKIP_CHECK_INTERVAL", Duration.class),
            new Typed("gateway.connect-timeout", "GATEWAY_CONNECT_TIMEOUT", Duration.class),
            new Typed("gateway.heartbeat", "GATEWAY_HEARTBEAT", Duration.class),
            new Typed("gateway.allow-insecure", "GATEWAY_ALLOW_INSECURE", Boolean.class),
            new Typed("ledger.retention", "LEDGER_RETENTION", Duration.class),
            new Typed("ledger.abandon-after", "LEDGER_ABANDON_AFTER", Duration.class),
            new Typed("ledger.fault-retry", "LEDGER_FAULT_RETRY", Duration.class),
            new Typed("commands.allow-shell", "COMMANDS_ALLOW_SHELL", Boolean.class),
            new Typed("commands.kill-grace", "COMMANDS_KILL_GRACE", Duration.class));

    /** The words Micronaut reads as true or false; any other word would silently be false. */
    static final Set<String> BOOLEANS = Set.of("true", "false", "yes", "no", "on", "off", "y", "n");

    public SettingsCheck(Environment environment) {
        check(environment);
    }

    /** Throws {@link IllegalArgumentException} for the first setting whose text is not of its type. */
    static void check(PropertyResolver settings) {
        for (Typed t : TYPED) {
            Optional<String> text = settings.getProperty(t.property(), String.class);
            if (text.isEmpty() || text.get().isBlank()) {
                continue; // unset or empty: the record's own check or default applies
            }
            String value = text.get().trim();
            boolean ok = t.type() == Boolean.class
                    ? BOOLEANS.contains(value.toLowerCase(Locale.ROOT))
                    : settings.getProperty(t.property(), t.type()).isPresent();
            if (!ok) {
                throw new IllegalArgumentException(
                        t.property() + " (" + t.variable() + ") is '" + value + "', not " + expected(t.type()));
            }
        }
    }

    private static String expected(Class<?> type) {
        if (type == Duration.class) {
            return "a duration: a number and a unit, e.g. 500ms, 15s, 2m, 1h, 30d";
        }
        if (type == Integer.class) {
            return "a whole number";
        }
        return "true or false";
    }
}

package ai.clawfactory.core.definition;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads an {@code alerts} block: when to tell a person, and the agent turn or HTTP call that does. */
final class AlertsReader {
    /** The kinds an alert may be, as the schema's {@code $defs/alertAction} lists them. */
    static final Set<String> ACTION_KINDS = DefinitionSchema.properties("alertAction");

    private AlertsReader() {}

    /**
     * {@code alerts: {after, cooldown, onFailure, onRecovery}}, or {@code alerts: false} (no
     * alerts, not even the worker's defaults: an {@link AlertsDefinition} with neither action).
     * Templates may read {@code input.*} (of {@code input}), {@code workflow.*} and {@code failure.*}.
     */
    static AlertsDefinition read(YamlCursor at, Map<String, String> input) {
        String file = at.problems().file();
        if ("false".equals(at.text())) {
            return new AlertsDefinition(
                    AlertsDefinition.DEFAULT_AFTER, AlertsDefinition.DEFAULT_COOLDOWN, null, null, file);
        }
        if (!at.isMapping()) {
            return null;
        }
        Integer after = at.whole("after"); // 1 to 1000, as the schema says
        Duration cooldown = at.duration("cooldown", AlertsDefinition.DEFAULT_COOLDOWN);
        TemplateScope scope = TemplateScope.ofAlerts(input);
        return new AlertsDefinition(
                after == null ? AlertsDefinition.DEFAULT_AFTER : after,
                cooldown,
                action(at.get("onFailure"), scope),
                action(at.get("onRecovery"), scope),
                file);
    }

    /** An alert's (or an approval's {@code notify:}) agent turn or HTTP call, read as that kind reads it; null when it has a problem. */
    static AlertAction action(YamlCursor at, TemplateScope scope) {
        if (at == null || !at.isMapping()) {
            return null;
        }
        List<String> kinds = ACTION_KINDS.stream().filter(at::has).toList();
        if (kinds.size() != 1) {
            return null; // the schema says an alert has exactly one of them
        }
        StepAction action = StepSlices.read(StepKind.ofKey(kinds.get(0)), at.get(kinds.get(0)), scope);
        return action == null ? null : AlertAction.of(action);
    }
}

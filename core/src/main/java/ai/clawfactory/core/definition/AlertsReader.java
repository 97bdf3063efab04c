package ai.clawfactory.core.definition;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** Reads an {@code alerts} block: when to tell a person, and the agentTurn or http call that does. */
abstract class AlertsReader extends StepReader {
    AlertsReader(String file, String text, String defaultTimezone) {
        super(file, text, defaultTimezone);
    }

    /**
     * {@code alerts: {after, cooldown, onFailure, onRecovery}}, or {@code alerts: false} (no
     * alerts, not even the worker's defaults: an {@link AlertsDefinition} with neither action).
     */
    AlertsDefinition alerts(Node n, Map<String, String> input) {
        String path = "alerts";
        if (n instanceof ScalarNode s && "false".equals(s.getValue())) {
            return new AlertsDefinition(
                    AlertsDefinition.DEFAULT_AFTER, AlertsDefinition.DEFAULT_COOLDOWN, null, null, file);
        }
        MappingNode m = mapping(n, path);
        if (m == null) {
            return null;
        }
        Map<String, Node> k = keys(m, path, "after", "cooldown", "onFailure", "onRecovery");
        int after = AlertsDefinition.DEFAULT_AFTER;
        if (k.containsKey("after")) {
            Integer v = whole(scalar(k.get("after"), path + ".after")); // 1 to 1000, as the schema says
            after = v == null ? after : v;
        }
        Duration cooldown = duration(k, "cooldown", path, AlertsDefinition.DEFAULT_COOLDOWN);
        if (cooldown != null && cooldown.isNegative()) {
            problem(k.get("cooldown"), path + ".cooldown", "must not be negative");
        }
        inAlerts = true;
        try {
            AlertAction onFailure =
                    k.containsKey("onFailure") ? alertAction(k.get("onFailure"), path + ".onFailure", input) : null;
            AlertAction onRecovery =
                    k.containsKey("onRecovery") ? alertAction(k.get("onRecovery"), path + ".onRecovery", input) : null;
            return new AlertsDefinition(after, cooldown, onFailure, onRecovery, file);
        } finally {
            inAlerts = false;
        }
    }

    AlertAction alertAction(Node n, String path, Map<String, String> input) {
        MappingNode m = mapping(n, path);
        if (m == null) {
            return null;
        }
        Map<String, Node> k = keys(m, path, "agentTurn", "http");
        if (k.size() != 1) {
            return null; // the schema says an alert has exactly one of them
        }
        if (k.containsKey("agentTurn")) {
            return new AlertAction(
                    agentTurn(k.get("agentTurn"), path + ".agentTurn", input, List.of(), List.of()), null);
        }
        return new AlertAction(null, httpCall(k.get("http"), path + ".http", input, List.of(), List.of()));
    }
}

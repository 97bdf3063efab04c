package ai.clawfactory.core.definition;

/**
 * What an alert does: exactly one of an agent turn (delivered to a channel) or an HTTP call.
 * Templates may read {@code {{workflow.*}}}, {@code {{input.*}}} and {@code {{failure.*}}} (see
 * {@link AlertsDefinition#FAILURE_FIELDS}).
 */
public record AlertAction(AgentTurnDefinition agentTurn, HttpCallDefinition http) {

    /** {@code agentTurn} or {@code http}. */
    public String kind() {
        return agentTurn != null ? "agentTurn" : "http";
    }
}

package ai.clawfactory.core.definition;

/**
 * What an alert does: exactly one of an agent turn (delivered to a channel) or an HTTP call.
 * Templates may read {@code {{workflow.*}}}, {@code {{input.*}}} and {@code {{failure.*}}} (see
 * {@link AlertsDefinition#FAILURE_FIELDS}).
 */
public record AlertAction(AgentTurnDefinition agentTurn, HttpCallDefinition http) {

    /** An alert doing {@code action}: an agent turn or an HTTP call (no other kind may alert). */
    public static AlertAction of(StepAction action) {
        if (action instanceof AgentTurnDefinition t) {
            return new AlertAction(t, null);
        }
        if (action instanceof HttpCallDefinition h) {
            return new AlertAction(null, h);
        }
        throw new IllegalArgumentException("an alert is an agentTurn or an http call, not " + action.kind());
    }

    /** What the alert does, typed: its agent turn, or else its HTTP call. */
    public StepAction action() {
        return agentTurn != null ? agentTurn : http;
    }

    /** {@code agentTurn} or {@code http} ({@link StepKind#key()}). */
    public String kind() {
        return action() == null ? StepKind.HTTP.key() : action().kind().key();
    }
}

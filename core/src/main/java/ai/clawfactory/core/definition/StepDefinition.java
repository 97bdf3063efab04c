package ai.clawfactory.core.definition;

import java.time.Duration;

/**
 * One step. Exactly one of {@code agentTurn}, {@code waitFor} (YAML key {@code wait}), {@code http} and
 * {@code wake} is set.
 *
 * @param id                unique within the workflow; part of the turn's idempotency key
 * @param when              a condition on input and earlier steps, or null for always
 * @param timeout           start-to-close timeout of one attempt (turns and HTTP calls)
 * @param retry             retry policy of the step's activity
 * @param continueOnFailure when true a failed step is recorded and the workflow goes on
 */
public record StepDefinition(
        String id,
        String when,
        Duration timeout,
        RetryDefinition retry,
        boolean continueOnFailure,
        AgentTurnDefinition agentTurn,
        WaitDefinition waitFor,
        HttpCallDefinition http,
        WakeDefinition wake) {

    /** A step of the kinds that existed before {@code wake}. */
    public StepDefinition(
            String id,
            String when,
            Duration timeout,
            RetryDefinition retry,
            boolean continueOnFailure,
            AgentTurnDefinition agentTurn,
            WaitDefinition waitFor,
            HttpCallDefinition http) {
        this(id, when, timeout, retry, continueOnFailure, agentTurn, waitFor, http, null);
    }

    /** The kind of step, as written in the file. */
    public String kind() {
        if (agentTurn != null) {
            return "agentTurn";
        }
        if (waitFor != null) {
            return "wait";
        }
        if (wake != null) {
            return "wake";
        }
        return "http";
    }
}

package ai.clawfactory.worker.step.agentturn;

import ai.clawfactory.core.definition.AgentTurnDefinition;
import ai.clawfactory.worker.step.TurnContext;
import java.time.Duration;

/**
 * One attempt of an agent turn. The message is still a template: the activity renders it, so
 * large earlier outputs are read from the ledger instead of travelling through Temporal.
 *
 * @param generation grows after the gateway settled a turn as failed, so the retry gets a new
 *                   idempotency key and really runs again
 */
public record TurnInput(
        TurnContext context, String stepId, int attempt, int generation, Duration timeout, AgentTurnDefinition turn) {}

package ai.clawfactory.worker.gateway;

import ai.clawfactory.core.definition.AgentTurnDefinition;
import java.time.Duration;

/**
 * One agent turn ready to send: the message is already rendered.
 *
 * @param idempotencyKey stable per workflow run, step and generation
 * @param readTimeout    how long to wait for the answer (the step's timeout less a margin)
 */
public record TurnRequest(String idempotencyKey, AgentTurnDefinition turn, Duration readTimeout) {}

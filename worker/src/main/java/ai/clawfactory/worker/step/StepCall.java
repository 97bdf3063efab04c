package ai.clawfactory.worker.step;

import java.time.Duration;

/**
 * One call of a step kind's activity, the parts every kind's input record carries: the run's
 * context, the step (or alert) id, the attempt and the timeout. Workflow side only, never written
 * into history (each kind's input record is).
 *
 * @param generation grows after the gateway settled an agent turn as failed (a new idempotency key)
 */
public record StepCall(TurnContext context, String stepId, int attempt, int generation, Duration timeout) {}

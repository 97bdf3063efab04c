package ai.clawfactory.worker.interpreter;

/**
 * One step (or one item of a fan-out, {@code research[2]}) running or waiting now, as the
 * {@code status} query lists it.
 *
 * @param stepId       the step's id, or the item's ({@code research[2]})
 * @param kind         the step's kind while an attempt runs or it waits, {@code backoff} between attempts
 * @param attempt      attempt number (1-based), 0 before the first
 * @param nextWakeTime ISO-8601 instant its wait or backoff ends, or null
 */
public record ActiveStep(String stepId, String kind, int attempt, String nextWakeTime) {}

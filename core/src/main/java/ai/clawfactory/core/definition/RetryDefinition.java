package ai.clawfactory.core.definition;

import java.time.Duration;

/** Exponential backoff of a step's activity. {@code maximumAttempts} counts the first try. */
public record RetryDefinition(
        Duration initialInterval, double backoffCoefficient, Duration maximumInterval, int maximumAttempts) {

    /**
     * The original's policy: 30 s, doubling, at most 5 min apart, 3 attempts; the schema's
     * {@code $defs/retry} defaults say the same (SchemaKeysTest keeps them in step; a wire record
     * does not read the schema).
     */
    public static final RetryDefinition DEFAULT =
            new RetryDefinition(Duration.ofSeconds(30), 2.0, Duration.ofMinutes(5), 3);
}

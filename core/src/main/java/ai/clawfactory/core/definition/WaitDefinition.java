package ai.clawfactory.core.definition;

import java.time.Duration;

/**
 * A durable wait: either a fixed duration, or until the next local time of day in a timezone.
 *
 * @param duration how long to wait, or null
 * @param until    {@code HH:mm} local time, or null
 * @param timezone IANA zone for {@code until}
 */
public record WaitDefinition(Duration duration, String until, String timezone) implements StepAction {

    @Override
    public StepKind kind() {
        return StepKind.WAIT;
    }
}

package ai.clawfactory.worker.step;

import ai.clawfactory.core.Names;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;

/**
 * The delay the far side asked for before the next attempt (HTTP {@code Retry-After}), carried as
 * the first detail of a {@link Names#FAILURE_GATEWAY_TRANSIENT} failure. On the wire it stays what
 * histories already hold: the delay in milliseconds as a bare JSON number, 0 when none was asked.
 *
 * @param millis the delay in milliseconds; 0 or less means none
 */
public record RetryAfter(long millis) {

    /** No delay asked for: the step's own backoff applies. */
    public static final RetryAfter NONE = new RetryAfter(0);

    /** From a failure detail: the bare number of milliseconds. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static RetryAfter ofMillis(long millis) {
        return new RetryAfter(millis);
    }

    /** The delay asked for, or {@link #NONE} for null. */
    public static RetryAfter of(Duration delay) {
        return delay == null ? NONE : new RetryAfter(delay.toMillis());
    }

    /** Written as the bare number of milliseconds. */
    @JsonValue
    @Override
    public long millis() {
        return millis;
    }

    /** The delay, or null when none was asked for. */
    public Duration delay() {
        return millis <= 0 ? null : Duration.ofMillis(millis);
    }

    /** The delay a failure carries as its first detail, or null when it carries none. */
    public static Duration delayOf(ApplicationFailure failure) {
        if (failure.getDetails().getSize() == 0) {
            return null;
        }
        RetryAfter r = failure.getDetails().get(0, RetryAfter.class);
        return r == null ? null : r.delay();
    }
}

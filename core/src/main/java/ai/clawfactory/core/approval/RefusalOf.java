package ai.clawfactory.core.approval;

import io.temporal.failure.ApplicationFailure;
import java.util.Set;

/**
 * Finds the refusal in the failure a sender of the {@code decide} Update gets back. The Java SDK
 * turns an {@code ApplicationFailure} thrown by an Update validator into one whose type is the
 * SDK's own exception class, so the worker's validator throws a wrapper whose cause is the typed
 * refusal; this walks the cause chain to it.
 */
public final class RefusalOf {

    /** Every type in {@link Refusals}. */
    public static final Set<String> TYPES = Set.of(
            Refusals.NO_SUCH_APPROVAL,
            Refusals.AMBIGUOUS,
            Refusals.ALREADY_DECIDED,
            Refusals.TIMED_OUT,
            Refusals.CHANNEL_NOT_ALLOWED,
            Refusals.BAD_DECISION);

    private RefusalOf() {}

    /** The refusal (an {@code ApplicationFailure} of a {@link Refusals} type) in {@code e}'s cause chain, or null. */
    public static ApplicationFailure in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ApplicationFailure f && TYPES.contains(f.getType())) {
                return f;
            }
        }
        return null;
    }
}

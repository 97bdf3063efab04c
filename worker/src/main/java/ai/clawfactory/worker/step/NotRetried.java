package ai.clawfactory.worker.step;

import ai.clawfactory.core.Names;
import java.util.List;

/**
 * The failure types of a step's activity that no retry can change: every activity stub of a step
 * or an alert lists them in its {@code RetryOptions.setDoNotRetry}.
 */
public final class NotRetried {

    /** A permanent answer of the far side, a request it would refuse, our own misconfiguration. */
    public static final List<String> FAILURE_TYPES =
            List.of(Names.FAILURE_GATEWAY_PERMANENT, Names.FAILURE_INVALID_REQUEST, Names.FAILURE_CONFIGURATION);

    private NotRetried() {}

    /** {@link #FAILURE_TYPES} as {@code setDoNotRetry} takes them. */
    public static String[] failureTypes() {
        return FAILURE_TYPES.toArray(String[]::new);
    }
}

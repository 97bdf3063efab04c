package ai.clawfactory.worker.step.attempt;

import ai.clawfactory.core.Names;
import ai.clawfactory.worker.http.GatewayException;
import ai.clawfactory.worker.ledger.TurnAttempt;
import ai.clawfactory.worker.secret.Redactor;
import ai.clawfactory.worker.step.RetryAfter;
import io.temporal.failure.ApplicationFailure;

/**
 * How a call's outcome becomes a Temporal failure and a ledger status: the failure types the
 * step runners retry on (or not), with the Retry-After delay as a typed detail. Messages pass the
 * attempt's {@link Redactor} first.
 */
public final class Failures {

    private Failures() {}

    /** The failure a {@link GatewayException} becomes: permanent and configuration ones are not retried. */
    public static ApplicationFailure toFailure(GatewayException e, Redactor r) {
        String m = r.apply(e.getMessage());
        return switch (e.category()) {
            case PERMANENT -> ApplicationFailure.newNonRetryableFailure(m, Names.FAILURE_GATEWAY_PERMANENT);
            case CONFIGURATION -> ApplicationFailure.newNonRetryableFailure(m, Names.FAILURE_CONFIGURATION);
            case AGENT_ERROR -> ApplicationFailure.newFailure(m, Names.FAILURE_AGENT_RUN);
            default -> ApplicationFailure.newFailure(m, Names.FAILURE_GATEWAY_TRANSIENT, RetryAfter.of(e.retryAfter()));
        };
    }

    /** A failure nobody classified (a bug or a fault of ours): retryable, without a delay. */
    static ApplicationFailure unexpected(String redactedMessage) {
        return ApplicationFailure.newFailure("unexpected: " + redactedMessage, Names.FAILURE_GATEWAY_TRANSIENT);
    }

    /** A request refused before sending (too large, not a valid URL, host not allowed): not retried. */
    static ApplicationFailure invalidRequest(String redactedMessage) {
        return ApplicationFailure.newNonRetryableFailure(redactedMessage, Names.FAILURE_INVALID_REQUEST);
    }

    /** The ledger status of an attempt that failed this way. */
    static String ledgerStatus(GatewayException e) {
        return switch (e.category()) {
            case PERMANENT -> TurnAttempt.PERMANENT_ERROR;
            case AGENT_ERROR -> TurnAttempt.AGENT_ERROR;
            case CONFIGURATION -> TurnAttempt.INVALID;
            default -> TurnAttempt.TRANSIENT_ERROR;
        };
    }
}

package ai.clawfactory.worker.step.attempt;

import ai.clawfactory.worker.gateway.TokenSource;
import ai.clawfactory.worker.http.GatewayException;
import ai.clawfactory.worker.secret.Redactor;
import java.time.Duration;

/** What every kind that calls the gateway (agent turns, wakes) shares around its request. */
public final class GatewayCalls {

    /** The gateway's body limit. */
    public static final int MAX_BODY_BYTES = 256 * 1024;

    /** How much sooner than the attempt's timeout the gateway's answer is given up on. */
    private static final Duration READ_MARGIN = Duration.ofSeconds(5);

    private GatewayCalls() {}

    /** The read timeout of a call in an attempt of {@code timeout}: a margin less, so the attempt can record the timeout. */
    public static Duration readTimeout(Duration timeout) {
        return timeout.compareTo(READ_MARGIN.multipliedBy(2)) > 0 ? timeout.minus(READ_MARGIN) : timeout;
    }

    /** Redacts the gateway token (when one is configured and readable; a broken token file fails in the call itself). */
    public static Redactor tokenRedactor(TokenSource tokens) {
        try {
            return Redactor.of(tokens.token());
        } catch (GatewayException e) {
            return Redactor.NONE;
        }
    }
}

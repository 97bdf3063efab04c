package ai.clawfactory.worker.http;

import java.time.Duration;

/**
 * A call that did not complete: a turn or wake the gateway did not settle, an {@code http} step's
 * answer, or a network fault on the way. The category decides what happens next; the message says
 * what failed, with which status and an excerpt of the body, and never contains the token.
 */
public class GatewayException extends RuntimeException {

    /** What a failure means for retrying. */
    public enum Category {
        /** 4xx other than 408/429: the same request will fail again; fix the definition or gateway config. */
        PERMANENT,
        /** 408, 429, 5xx, timeouts, resets, malformed answers: try again, same idempotency key. */
        TRANSIENT,
        /** The gateway ran the agent and it settled as an error: a retry needs a new idempotency key. */
        AGENT_ERROR,
        /** Our side is misconfigured (e.g. no token): retrying cannot help. */
        CONFIGURATION
    }

    private final Category category;
    private final Integer httpStatus;
    private final Duration retryAfter;
    private final String runId;

    public GatewayException(Category category, String message, Integer httpStatus, Duration retryAfter, String runId) {
        super(message, null, false, false);
        this.category = category;
        this.httpStatus = httpStatus;
        this.retryAfter = retryAfter;
        this.runId = runId;
    }

    public static GatewayException transientFailure(String message, Integer status, Duration retryAfter) {
        return new GatewayException(Category.TRANSIENT, message, status, retryAfter, null);
    }

    public static GatewayException permanent(String message, Integer status) {
        return new GatewayException(Category.PERMANENT, message, status, null, null);
    }

    public Category category() {
        return category;
    }

    public Integer httpStatus() {
        return httpStatus;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    public String runId() {
        return runId;
    }
}

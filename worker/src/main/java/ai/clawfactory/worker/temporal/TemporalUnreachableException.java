package ai.clawfactory.worker.temporal;

/** Temporal did not answer within the configured time; start-up stops with this one-line reason. */
public class TemporalUnreachableException extends RuntimeException {
    public TemporalUnreachableException(String message) {
        super(message);
    }
}

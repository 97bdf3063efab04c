package ai.clawfactory.schedules;

/** The Temporal server did not answer; nothing was read or changed. */
final class TemporalUnreachableException extends RuntimeException {
    TemporalUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}

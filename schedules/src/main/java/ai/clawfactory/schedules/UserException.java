package ai.clawfactory.schedules;

/** A failure to report as one clear message (no stack trace), with the exit code scripts rely on. */
final class UserException extends RuntimeException {
    private final int exitCode;

    UserException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}

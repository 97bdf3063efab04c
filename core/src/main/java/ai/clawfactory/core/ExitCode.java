package ai.clawfactory.core;

/**
 * The exit codes of every process this project ships: the worker and its {@code turns} commands,
 * {@code schedules}, {@code validate}, {@code import}. Scripts and systemd units read them
 * ({@code RestartPreventExitStatus=2} on the schedules unit: a bad file is not fixed by a restart).
 */
public enum ExitCode {
    /** Done. */
    OK(0),
    /** The command ran and did not succeed (a sync with failures, a missing ledger, a crash). */
    FAILED(1),
    /** The input or the configuration is invalid (a definition, a setting, an argument): fix it first. */
    INVALID(2),
    /** Temporal could not be reached in time. */
    UNREACHABLE(3),
    /** What was named (a schedule, a run) does not exist. */
    NOT_FOUND(4),
    /** A second stop signal ended the process before it had drained (128 + SIGINT). */
    FORCED_STOP(130);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    /** The process exit status. */
    public int code() {
        return code;
    }
}

package ai.clawfactory.worker.step;

import java.time.Instant;

/**
 * What a {@link StepRunner} sees of the run its step is in, and where it reports what it is
 * doing: the interpreter implements it, keeping the status query's answer and the Web UI's
 * current details. None of these calls is a command.
 */
public interface StepRun {

    /** The run, its input and the results of the steps before this one. */
    TurnContext context();

    /** Whether commands carry summaries for the Web UI (runs started at change {@code ui-metadata} 1 or later). */
    boolean summaries();

    /** Attempt {@code attempt} (1-based) of the step starts now. */
    void attempting(int attempt);

    /**
     * The step waits until {@code wakeTime}, doing {@code doing}: a wait step, or a backoff
     * between attempts when {@code backoff}. A {@code skipWait} signalled before is forgotten.
     */
    void pausing(Instant wakeTime, String doing, boolean backoff);

    /** Whether {@code skipWait} was signalled since {@link #pausing}. */
    boolean skipRequested();

    /** The wait is over (ran out or skipped). */
    void resumed();

    /** The step was cancelled: its result, before the cancellation ends the run. */
    void cancelled(StepResult result);
}

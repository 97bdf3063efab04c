package ai.clawfactory.worker.step.wait;

import ai.clawfactory.core.Names;
import ai.clawfactory.core.definition.Describe;
import ai.clawfactory.core.definition.StepDefinition;
import ai.clawfactory.core.definition.StepKind;
import ai.clawfactory.core.definition.WaitDefinition;
import ai.clawfactory.worker.step.StepResult;
import ai.clawfactory.worker.step.StepRun;
import ai.clawfactory.worker.step.StepRunner;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.slf4j.Logger;

/**
 * The {@code wait} kind: a durable timer that {@code skipWait} ends early. The same timer waits out
 * the backoff between two attempts of the other kinds ({@link #pause}). No activity: the wait is
 * in history, so it survives restarts and deploys.
 */
public final class WaitRunner implements StepRunner {

    private static final Logger LOG = Workflow.getLogger(WaitRunner.class);

    @Override
    public StepResult run(StepDefinition step, StepRun run) {
        pause(run, step.id(), durationOf(step.waitFor()), Describe.step(step), Describe.what(step), false);
        return StepResult.ok(step.id(), StepKind.WAIT, 1);
    }

    /**
     * Waits {@code d} durably; {@code skipWait} ends the wait early. Runs started at change
     * {@code ui-metadata} 1 or later get a timer with {@code summary}; older ones replay the
     * {@code Workflow.await} they were written with.
     */
    public static void pause(StepRun run, String stepId, Duration d, String summary, String doing, boolean backoff) {
        run.pausing(Instant.ofEpochMilli(Workflow.currentTimeMillis()).plus(d), doing, backoff);
        boolean skipped;
        if (run.summaries()) {
            // The same commands as Workflow.await(d, condition): a timer, cancelled when skipped.
            Promise<?>[] timer = new Promise<?>[1];
            CancellationScope scope = Workflow.newCancellationScope(() -> {
                timer[0] = Workflow.newTimer(
                        d, TimerOptions.newBuilder().setSummary(summary).build());
                Workflow.await(() -> timer[0].isCompleted() || run.skipRequested());
            });
            scope.run();
            skipped = !timer[0].isCompleted();
            if (skipped) {
                scope.cancel();
            }
        } else {
            skipped = Workflow.await(d, run::skipRequested);
        }
        if (skipped) {
            LOG.info("Wait in step '{}' ended early by {}", stepId, Names.SIGNAL_SKIP_WAIT);
        }
        run.resumed();
    }

    /** How long the wait lasts from now: its duration, or until its next time of day in its zone. */
    static Duration durationOf(WaitDefinition wait) {
        if (wait.duration() != null) {
            return wait.duration();
        }
        ZoneId zone = ZoneId.of(wait.timezone());
        ZonedDateTime now = Instant.ofEpochMilli(Workflow.currentTimeMillis()).atZone(zone);
        ZonedDateTime next = now.with(LocalTime.parse(wait.until()));
        if (!next.isAfter(now)) {
            next = next.plusDays(1);
        }
        return Duration.between(now, next);
    }
}

package ai.clawfactory.worker.step.activity;

import ai.clawfactory.core.Names;
import ai.clawfactory.core.definition.Describe;
import ai.clawfactory.core.definition.Durations;
import ai.clawfactory.core.definition.RetryDefinition;
import ai.clawfactory.core.definition.StepAction;
import ai.clawfactory.core.definition.StepDefinition;
import ai.clawfactory.core.definition.StepKind;
import ai.clawfactory.worker.step.NotRetried;
import ai.clawfactory.worker.step.RetryAfter;
import ai.clawfactory.worker.step.StepCall;
import ai.clawfactory.worker.step.StepResult;
import ai.clawfactory.worker.step.StepRun;
import ai.clawfactory.worker.step.StepRunner;
import ai.clawfactory.worker.step.wait.WaitRunner;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * The workflow side of a kind that is one activity per attempt (agent turn, http, wake): a kind
 * says only how to call its activity ({@link #call}: the stub, the input record); this class is the
 * attempt loop around it and the entry for alerts ({@link #send}).
 *
 * <p>Steps are retried here, one activity per attempt, rather than by server-side activity
 * retries: the {@code status} query can then report the attempt, a settled agent error gets a
 * fresh idempotency key (the gateway would otherwise replay the same error), {@code Retry-After}
 * sets the next delay exactly, and {@code skipWait} can cut a backoff short (the backoff is the
 * wait kind's timer).
 *
 * @param <A> the kind's action in the definition model
 */
public abstract class ActivityRunner<A extends StepAction> implements StepRunner {

    private static final Logger LOG = Workflow.getLogger(ActivityRunner.class);
    private static final Duration MAX_HEARTBEAT_TIMEOUT = Duration.ofSeconds(20);

    private final Class<A> action;

    protected ActivityRunner(Class<A> action) {
        this.action = action;
    }

    /** Calls the kind's activity once for {@code action}, with {@code options}. */
    protected abstract StepResult call(A action, StepCall call, ActivityOptions options);

    /**
     * One call of the activity for an alert doing {@code action}: {@code options} (server-side
     * retries) are the alert's own.
     */
    public final StepResult send(StepAction action, StepCall call, ActivityOptions options) {
        return call(this.action.cast(action), call, options);
    }

    @Override
    public final StepResult run(StepDefinition step, StepRun run) {
        StepKind kind = StepRunner.kindOf(step);
        A what = action.cast(step.action());
        RetryDefinition retry = step.retry();
        ActivityOptions options = ActivityOptions.newBuilder()
                .setStartToCloseTimeout(step.timeout())
                .setHeartbeatTimeout(
                        step.timeout().compareTo(MAX_HEARTBEAT_TIMEOUT) < 0 ? step.timeout() : MAX_HEARTBEAT_TIMEOUT)
                .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
                // One activity per attempt; the loop below retries (see the class comment).
                .setRetryOptions(RetryOptions.newBuilder()
                        .setMaximumAttempts(1)
                        .setDoNotRetry(NotRetried.failureTypes())
                        .build())
                .build();
        int generation = 0;
        String lastError = null;
        for (int attempt = 1; attempt <= retry.maximumAttempts(); attempt++) {
            run.attempting(attempt);
            ActivityOptions attemptOptions = options;
            if (run.summaries()) {
                attemptOptions = ActivityOptions.newBuilder(options)
                        .setSummary(Describe.step(step)
                                + (retry.maximumAttempts() > 1
                                        ? " (attempt " + attempt + " of " + retry.maximumAttempts() + ")"
                                        : ""))
                        .build();
            }
            try {
                return call(
                                what,
                                new StepCall(run.context(), step.id(), attempt, generation, step.timeout()),
                                attemptOptions)
                        .withAttempts(attempt);
            } catch (ActivityFailure f) {
                if (f.getCause() instanceof CanceledFailure
                        || CancellationScope.current().isCancelRequested()) {
                    run.cancelled(StepResult.cancelled(step.id(), kind, attempt));
                    throw f;
                }
                Duration retryAfter = null;
                if (f.getCause() instanceof ApplicationFailure af) {
                    lastError = af.getOriginalMessage();
                    if (af.isNonRetryable()) {
                        LOG.warn("Step '{}' attempt {} failed permanently: {}", step.id(), attempt, lastError);
                        return StepResult.failed(step.id(), kind, lastError, attempt);
                    }
                    if (Names.FAILURE_AGENT_RUN.equals(af.getType())) {
                        generation++;
                    }
                    retryAfter = RetryAfter.delayOf(af);
                } else if (f.getCause() instanceof TimeoutFailure t) {
                    lastError = "timed out (" + t.getTimeoutType() + ") after " + step.timeout();
                } else {
                    lastError =
                            f.getCause() == null ? f.getMessage() : f.getCause().getMessage();
                }
                if (attempt >= retry.maximumAttempts()) {
                    break;
                }
                Duration delay = retryAfter != null ? retryAfter : backoff(retry, attempt);
                LOG.info("Step '{}' attempt {} failed ({}); retrying in {}", step.id(), attempt, lastError, delay);
                WaitRunner.pause(
                        run,
                        step.id(),
                        delay,
                        step.id() + ": retry in " + Durations.format(delay) + " (attempt " + attempt + " of "
                                + retry.maximumAttempts() + " failed: " + abbreviate(lastError, 120) + ")",
                        "retry in " + Durations.format(delay) + " after attempt " + attempt + " failed",
                        true);
            }
        }
        return StepResult.failed(step.id(), kind, lastError, retry.maximumAttempts());
    }

    /** Delay before attempt {@code n + 1}: initial × coefficient^(n-1), capped. */
    static Duration backoff(RetryDefinition retry, int n) {
        double millis = retry.initialInterval().toMillis() * Math.pow(retry.backoffCoefficient(), n - 1);
        long capped = (long) Math.min(millis, retry.maximumInterval().toMillis());
        return Duration.ofMillis(capped);
    }

    private static String abbreviate(String text, int max) {
        if (text == null) {
            return "";
        }
        String line = text.lines().findFirst().orElse("");
        return line.length() <= max ? line : line.substring(0, max - 1) + "…";
    }
}

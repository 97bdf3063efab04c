package ai.clawfactory.worker.step.attempt;

import ai.clawfactory.core.definition.StepKind;
import ai.clawfactory.worker.config.GatewayConfig;
import ai.clawfactory.worker.config.LedgerConfig;
import ai.clawfactory.worker.gateway.GatewayReply;
import ai.clawfactory.worker.http.GatewayException;
import ai.clawfactory.worker.ledger.LedgerFaults;
import ai.clawfactory.worker.ledger.TurnAttempt;
import ai.clawfactory.worker.ledger.TurnLedger;
import ai.clawfactory.worker.secret.Redactor;
import ai.clawfactory.worker.step.StepResult;
import ai.clawfactory.worker.step.StepStatus;
import ai.clawfactory.worker.step.TurnContext;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every attempt of a gateway turn or HTTP step does around the call itself: short-circuit a
 * key that already completed, record the attempt, heartbeat while the call is in flight (so
 * cancellation and worker death are noticed), record the outcome, and turn failures into
 * Temporal failures of the right type. Everything the far side wrote (run id, output, error
 * bodies) and everything recorded about the request passes the attempt's {@link Redactor} first,
 * so neither the gateway token nor a step's secrets reach the ledger, a log line or Temporal.
 * <p>
 * The seams: this class is the ledgered attempt; {@link InFlightCalls} runs the call and
 * heartbeats, {@link LedgerRetry} rides out ledger faults, {@link Failures} maps outcomes to
 * Temporal failures.
 */
@Singleton
public class AttemptRunner {

    /** Outputs up to this many characters travel inline; longer ones by ledger reference. */
    public static final int INLINE_OUTPUT_LIMIT = 4096;
    /** Answers longer than this are not kept in heartbeat details (Temporal payloads stay small). */
    static final int MAX_KEPT_OUTPUT = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(AttemptRunner.class);

    private final TurnLedger ledger;
    private final LedgerConfig ledgerConfig;
    private final InFlightCalls calls;

    public AttemptRunner(TurnLedger ledger, GatewayConfig config, LedgerConfig ledgerConfig) {
        this.ledger = ledger;
        this.ledgerConfig = ledgerConfig;
        this.calls = new InFlightCalls(config);
    }

    /**
     * An attempt that knows its key, step, what it sends and which secrets to keep out of records,
     * and for a command step the bundle its row points at.
     */
    public record Attempt(
            String key,
            TurnContext context,
            String stepId,
            StepKind stepKind,
            int attempt,
            String kind,
            String request,
            Redactor redactor,
            String bundle) {

        /** An attempt without a bundle. */
        public Attempt(
                String key,
                TurnContext context,
                String stepId,
                StepKind stepKind,
                int attempt,
                String kind,
                String request,
                Redactor redactor) {
            this(key, context, stepId, stepKind, attempt, kind, request, redactor, null);
        }
    }

    /**
     * A gateway answer kept in the attempt's heartbeat details while the ledger cannot record it:
     * the next attempt (same key) records it instead of calling again. Values are redacted.
     */
    public record AnsweredTurn(String key, boolean skipped, Integer httpStatus, String runId, String output) {}

    public StepResult run(Attempt a, Supplier<GatewayReply> call) {
        ActivityExecutionContext activity = Activity.getExecutionContext();
        Redactor r = a.redactor();
        LedgerRetry retry = new LedgerRetry(a, activity, ledgerConfig);
        // Read before any heartbeat of this attempt replaces the previous attempt's details.
        var kept = keptAnswer(activity, a.key());
        var done = retry.call("looking up earlier attempts", kept.orElse(null), () -> ledger.completed(a.key()));
        if (done.isPresent()) {
            LOG.info(
                    "Step '{}' of {} already completed under key {} (attempt {} of the ledger); not calling again",
                    a.stepId(),
                    a.context().workflowId(),
                    a.key(),
                    done.get().attempt());
            return result(a, done.get());
        }
        if (kept.isPresent()) {
            // An earlier attempt got the answer but could not record it: record it now, call nothing.
            AnsweredTurn k = kept.get();
            LOG.info(
                    "Step '{}' of {}: recording the answer an earlier attempt could not write to the ledger; not calling again",
                    a.stepId(),
                    a.context().workflowId());
            TurnAttempt row = start(a, retry, k);
            return recordAnswer(a, retry, row, k);
        }
        TurnAttempt row = start(a, retry, null);
        GatewayReply reply;
        try {
            reply = calls.call(call, activity);
        } catch (ActivityCompletionException e) {
            finishQuietly(
                    row,
                    TurnAttempt.CANCELLED,
                    null,
                    null,
                    "cancelled or timed out while in flight: " + e.getClass().getSimpleName());
            LOG.info(
                    "Step '{}' of {} cancelled while in flight",
                    a.stepId(),
                    a.context().workflowId());
            throw e;
        } catch (GatewayException e) {
            retry.callOrGiveUp(
                    "recording the failed attempt",
                    () -> ledger.finish(
                            row,
                            Failures.ledgerStatus(e),
                            e.httpStatus(),
                            r.apply(e.runId()),
                            null,
                            r.apply(e.getMessage())));
            throw Failures.toFailure(e, r);
        } catch (RuntimeException e) {
            String message = r.apply(e.toString());
            RuntimeException logged = new RuntimeException(message);
            logged.setStackTrace(e.getStackTrace());
            LOG.warn(
                    "Step '{}' of {}: unexpected error", a.stepId(), a.context().workflowId(), logged);
            finishQuietly(row, TurnAttempt.TRANSIENT_ERROR, null, null, "unexpected: " + message);
            throw Failures.unexpected(message);
        }
        AnsweredTurn answer = new AnsweredTurn(
                a.key(), reply.skipped(), reply.httpStatus(), r.apply(reply.runId()), r.apply(reply.output()));
        return recordAnswer(a, retry, row, answer);
    }

    /** The attempt's ledger row, as "running" (ledger faults waited out, {@code keep} riding along). */
    private TurnAttempt start(Attempt a, LedgerRetry retry, AnsweredTurn keep) {
        Redactor r = a.redactor();
        return retry.call("recording the attempt", keep, () -> row(a, r.apply(a.request())));
    }

    /** Writes the attempt's row as "running", with {@code request} (already redacted) or none. */
    private TurnAttempt row(Attempt a, String request) {
        return ledger.start(
                a.key(),
                a.context().workflowId(),
                a.context().runId(),
                a.context().workflowType(),
                a.stepId(),
                a.attempt(),
                a.kind(),
                request,
                a.bundle());
    }

    /** Records the gateway's answer; while the ledger cannot take it, the answer rides in the heartbeat. */
    private StepResult recordAnswer(Attempt a, LedgerRetry retry, TurnAttempt row, AnsweredTurn answer) {
        String status = answer.skipped() ? TurnAttempt.SKIPPED : TurnAttempt.OK;
        AnsweredTurn carried = answer.output() == null || answer.output().length() <= MAX_KEPT_OUTPUT ? answer : null;
        TurnAttempt finished;
        try {
            finished = retry.call(
                    "recording the answer",
                    carried,
                    () -> ledger.finish(row, status, answer.httpStatus(), answer.runId(), answer.output(), null));
        } catch (ApplicationFailure gaveUp) {
            if (answer.output() == null || answer.output().length() <= INLINE_OUTPUT_LIMIT) {
                // The result fits into history: the run goes on without the ledger row (it stays
                // 'running' and is marked abandoned later); no retry, no second call.
                LOG.error(
                        "Step '{}' of {} answered, but the ledger could not record it: {}. Continuing with the answer.",
                        a.stepId(),
                        a.context().workflowId(),
                        gaveUp.getOriginalMessage());
                return new StepResult(
                        a.stepId(),
                        a.stepKind(),
                        answer.skipped() ? StepStatus.SKIPPED : StepStatus.OK,
                        answer.runId(),
                        answer.output(),
                        null,
                        answer.httpStatus(),
                        null,
                        a.attempt());
            }
            throw gaveUp;
        }
        LOG.info(
                "Step '{}' of {} {} (attempt {}, gateway run {})",
                a.stepId(),
                a.context().workflowId(),
                answer.skipped() ? "skipped by the agent" : "completed",
                a.attempt(),
                finished.gatewayRunId());
        return result(a, finished);
    }

    private static Optional<AnsweredTurn> keptAnswer(ActivityExecutionContext activity, String key) {
        try {
            return activity.getHeartbeatDetails(AnsweredTurn.class).filter(k -> key.equals(k.key()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Best effort: the attempt fails anyway; a row left running is marked abandoned later. */
    private void finishQuietly(TurnAttempt row, String status, Integer httpStatus, String runId, String error) {
        try {
            ledger.finish(row, status, httpStatus, runId, null, error);
        } catch (RuntimeException e) {
            LOG.warn(
                    "Could not record how attempt {} of step '{}' ended: {}",
                    row.attempt(),
                    row.stepId(),
                    LedgerFaults.isLedgerFault(e) ? LedgerFaults.describe(e) : e.toString());
        }
    }

    /** Records a request refused before sending (e.g. too large) and fails without retry. */
    public ApplicationFailure refuse(Attempt a, String message) {
        return Failures.invalidRequest(recordInvalid(a, message));
    }

    /** Records an attempt that cannot run because of our configuration (e.g. a missing secret) and fails without retry. */
    public ApplicationFailure misconfigured(Attempt a, GatewayException e) {
        recordInvalid(a, e.getMessage());
        return Failures.toFailure(e, a.redactor());
    }

    /** Records an attempt that was never sent, as invalid; returns the redacted message. */
    private String recordInvalid(Attempt a, String message) {
        TurnAttempt row = row(a, null);
        String m = a.redactor().apply(message);
        ledger.finish(row, TurnAttempt.INVALID, null, null, null, m);
        return m;
    }

    private static StepResult result(Attempt a, TurnAttempt row) {
        // Rows written before redaction existed pass the redactor again on their way into history.
        String output = a.redactor().apply(row.output());
        boolean inline = output == null || output.length() <= INLINE_OUTPUT_LIMIT;
        return new StepResult(
                a.stepId(),
                a.stepKind(),
                TurnAttempt.SKIPPED.equals(row.status()) ? StepStatus.SKIPPED : StepStatus.OK,
                a.redactor().apply(row.gatewayRunId()),
                inline ? output : null,
                inline ? null : row.id(),
                row.httpStatus(),
                null,
                a.attempt());
    }

    @PreDestroy
    void close() {
        calls.close();
    }
}

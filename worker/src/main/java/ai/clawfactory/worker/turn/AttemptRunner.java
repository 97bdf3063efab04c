package ai.clawfactory.worker.turn;

import ai.clawfactory.core.Names;
import ai.clawfactory.worker.config.GatewayConfig;
import ai.clawfactory.worker.gateway.GatewayException;
import ai.clawfactory.worker.gateway.GatewayReply;
import ai.clawfactory.worker.interpreter.StepResult;
import ai.clawfactory.worker.ledger.TurnAttempt;
import ai.clawfactory.worker.ledger.TurnLedger;
import ai.clawfactory.worker.secret.Redactor;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.client.ActivityWorkerShutdownException;
import io.temporal.failure.ApplicationFailure;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What every attempt of a gateway turn or HTTP step does around the call itself: short-circuit a
 * key that already completed, record the attempt, heartbeat while the call is in flight (so
 * cancellation and worker death are noticed), record the outcome, and turn failures into
 * Temporal failures of the right type. Everything the far side wrote (run id, output, error
 * bodies) and everything recorded about the request passes the attempt's {@link Redactor} first,
 * so neither the gateway token nor a step's secrets reach the ledger, a log line or Temporal.
 */
@Singleton
public class AttemptRunner {

    /** Outputs up to this many characters travel inline; longer ones by ledger reference. */
    public static final int INLINE_OUTPUT_LIMIT = 4096;
    /** Type of a retryable gateway failure. */
    public static final String FAILURE_TRANSIENT = "GatewayTransientError";

    private static final Logger LOG = LoggerFactory.getLogger(AttemptRunner.class);

    private final TurnLedger ledger;
    private final GatewayConfig config;
    private final ExecutorService calls;

    public AttemptRunner(TurnLedger ledger, GatewayConfig config) {
        this.ledger = ledger;
        this.config = config;
        AtomicInteger n = new AtomicInteger();
        this.calls = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "gateway-call-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** An attempt that knows its key, step, what it sends and which secrets to keep out of records. */
    public record Attempt(String key, TurnContext context, String stepId, String stepKind, int attempt,
                          String kind, String request, Redactor redactor) {
    }

    public StepResult run(Attempt a, Supplier<GatewayReply> call) {
        var done = ledger.completed(a.key());
        if (done.isPresent()) {
            LOG.info("Step '{}' of {} already completed under key {} (attempt {} of the ledger); not calling again",
                    a.stepId(), a.context().workflowId(), a.key(), done.get().attempt());
            return result(a, done.get());
        }
        Redactor r = a.redactor();
        TurnAttempt row = ledger.start(a.key(), a.context().workflowId(), a.context().runId(), a.context().workflowType(),
                a.stepId(), a.attempt(), a.kind(), r.apply(a.request()));
        ActivityExecutionContext activity = Activity.getExecutionContext();
        Future<GatewayReply> future = calls.submit(call::get);
        GatewayReply reply;
        try {
            reply = await(future, activity);
        } catch (ActivityCompletionException e) {
            future.cancel(true);
            ledger.finish(row, TurnAttempt.CANCELLED, null, null, null, "cancelled or timed out while in flight: "
                    + e.getClass().getSimpleName());
            LOG.info("Step '{}' of {} cancelled while in flight", a.stepId(), a.context().workflowId());
            throw e;
        } catch (GatewayException e) {
            String status = switch (e.category()) {
                case PERMANENT -> TurnAttempt.PERMANENT_ERROR;
                case AGENT_ERROR -> TurnAttempt.AGENT_ERROR;
                case CONFIGURATION -> TurnAttempt.INVALID;
                default -> TurnAttempt.TRANSIENT_ERROR;
            };
            ledger.finish(row, status, e.httpStatus(), r.apply(e.runId()), null, r.apply(e.getMessage()));
            throw toFailure(e, r);
        } catch (RuntimeException e) {
            String message = r.apply(e.toString());
            RuntimeException logged = new RuntimeException(message);
            logged.setStackTrace(e.getStackTrace());
            LOG.warn("Step '{}' of {}: unexpected error", a.stepId(), a.context().workflowId(), logged);
            ledger.finish(row, TurnAttempt.TRANSIENT_ERROR, null, null, null, "unexpected: " + message);
            throw ApplicationFailure.newFailure("unexpected: " + message, FAILURE_TRANSIENT);
        }
        TurnAttempt finished = ledger.finish(row, reply.skipped() ? TurnAttempt.SKIPPED : TurnAttempt.OK,
                reply.httpStatus(), r.apply(reply.runId()), r.apply(reply.output()), null);
        LOG.info("Step '{}' of {} {} (attempt {}, gateway run {})", a.stepId(), a.context().workflowId(),
                reply.skipped() ? "skipped by the agent" : "completed", a.attempt(), finished.gatewayRunId());
        return result(a, finished);
    }

    /** Records a request refused before sending (e.g. too large) and fails without retry. */
    public ApplicationFailure refuse(Attempt a, String message) {
        TurnAttempt row = ledger.start(a.key(), a.context().workflowId(), a.context().runId(), a.context().workflowType(),
                a.stepId(), a.attempt(), a.kind(), null);
        String m = a.redactor().apply(message);
        ledger.finish(row, TurnAttempt.INVALID, null, null, null, m);
        return ApplicationFailure.newNonRetryableFailure(m, Names.FAILURE_INVALID_REQUEST);
    }

    /** Records an attempt that cannot run because of our configuration (e.g. a missing secret) and fails without retry. */
    public ApplicationFailure misconfigured(Attempt a, GatewayException e) {
        TurnAttempt row = ledger.start(a.key(), a.context().workflowId(), a.context().runId(), a.context().workflowType(),
                a.stepId(), a.attempt(), a.kind(), null);
        String m = a.redactor().apply(e.getMessage());
        ledger.finish(row, TurnAttempt.INVALID, null, null, null, m);
        return toFailure(e, a.redactor());
    }

    private GatewayReply await(Future<GatewayReply> future, ActivityExecutionContext activity) {
        long beat = Math.max(200, config.heartbeat().toMillis());
        boolean draining = false;
        while (true) {
            try {
                return draining ? future.get() : future.get(beat, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                try {
                    activity.heartbeat(null);
                } catch (ActivityWorkerShutdownException shutdown) {
                    // The worker is draining (SIGTERM): let the call finish so its answer is recorded.
                    LOG.info("Worker shutting down; letting the in-flight gateway call finish");
                    draining = true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                future.cancel(true);
                throw GatewayException.transientFailure("interrupted while waiting for the gateway", null, null);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof GatewayException g) {
                    throw g;
                }
                throw GatewayException.transientFailure("gateway call failed: " + e.getCause(), null, null);
            }
        }
    }

    static ApplicationFailure toFailure(GatewayException e, Redactor r) {
        String m = r.apply(e.getMessage());
        return switch (e.category()) {
            case PERMANENT -> ApplicationFailure.newNonRetryableFailure(m, Names.FAILURE_GATEWAY_PERMANENT);
            case CONFIGURATION -> ApplicationFailure.newNonRetryableFailure(m, Names.FAILURE_CONFIGURATION);
            case AGENT_ERROR -> ApplicationFailure.newFailure(m, Names.FAILURE_AGENT_RUN);
            default -> ApplicationFailure.newFailure(m, FAILURE_TRANSIENT,
                    e.retryAfter() == null ? 0L : e.retryAfter().toMillis());
        };
    }

    private static StepResult result(Attempt a, TurnAttempt row) {
        // Rows written before redaction existed pass the redactor again on their way into history.
        String output = a.redactor().apply(row.output());
        boolean inline = output == null || output.length() <= INLINE_OUTPUT_LIMIT;
        return new StepResult(a.stepId(), a.stepKind(),
                TurnAttempt.SKIPPED.equals(row.status()) ? StepResult.SKIPPED : StepResult.OK,
                a.redactor().apply(row.gatewayRunId()), inline ? output : null, inline ? null : row.id(), row.httpStatus(),
                null, a.attempt());
    }

    @PreDestroy
    void close() {
        calls.shutdownNow();
    }
}

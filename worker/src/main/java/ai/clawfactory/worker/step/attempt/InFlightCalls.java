package ai.clawfactory.worker.step.attempt;

import ai.clawfactory.worker.config.GatewayConfig;
import ai.clawfactory.worker.gateway.GatewayReply;
import ai.clawfactory.worker.http.GatewayException;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.client.ActivityWorkerShutdownException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a call on its own thread and heartbeats every {@code gateway.heartbeat} while it is in
 * flight, so cancellation, a timeout or the worker's death is noticed. A cancelled attempt cancels
 * the call; a worker draining for shutdown lets it finish so its answer can be recorded.
 */
final class InFlightCalls {

    /** Logged under the runner's name, where operators already look for attempts. */
    private static final Logger LOG = LoggerFactory.getLogger(AttemptRunner.class);

    private final GatewayConfig config;
    private final ExecutorService calls;

    InFlightCalls(GatewayConfig config) {
        this.config = config;
        AtomicInteger n = new AtomicInteger();
        this.calls = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "gateway-call-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The call's reply, heartbeating meanwhile.
     *
     * @throws ActivityCompletionException when the attempt was cancelled or timed out (the call is cancelled)
     * @throws GatewayException            when the call failed (anything unclassified becomes transient)
     */
    GatewayReply call(Supplier<GatewayReply> call, ActivityExecutionContext activity) {
        Future<GatewayReply> future = calls.submit(call::get);
        try {
            return await(future, activity);
        } catch (ActivityCompletionException e) {
            future.cancel(true);
            throw e;
        }
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
                } catch (RuntimeException refused) {
                    if (!(refused instanceof RejectedExecutionException
                            || refused.getCause() instanceof RejectedExecutionException)) {
                        throw refused;
                    }
                    // The same drain, seen a moment earlier: the SDK has already shut down the
                    // executor that sends heartbeats, before it marks the worker as shutting down.
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

    void close() {
        calls.shutdownNow();
    }
}

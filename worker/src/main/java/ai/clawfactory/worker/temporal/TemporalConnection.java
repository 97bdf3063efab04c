package ai.clawfactory.worker.temporal;

import ai.clawfactory.worker.config.TemporalConfig;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import jakarta.inject.Singleton;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The connection to Temporal, opened on a thread of its own as soon as the worker starts wiring:
 * loading the gRPC stack and reaching the server (about as long as the whole bare SDK worker
 * takes to start) overlaps with setting up the ledger, the definitions and the HTTP client on the
 * other core. {@link #await()} hands over the connected stubs, or the one-line reason it failed.
 */
@Singleton
public class TemporalConnection {

    private final CompletableFuture<WorkflowServiceStubs> stubs;

    TemporalConnection(TemporalConfig config) {
        stubs = CompletableFuture.supplyAsync(() -> connect(config), task -> {
            Thread t = new Thread(task, "temporal-connect");
            t.setDaemon(true);
            t.start();
        });
    }

    /** The connected stubs; throws {@link TemporalUnreachableException} when the server could not be reached in time. */
    WorkflowServiceStubs await() {
        try {
            return stubs.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static WorkflowServiceStubs connect(TemporalConfig config) {
        WorkflowServiceStubsOptions options = WorkflowServiceStubsOptions.newBuilder()
                .setTarget(config.address())
                .build();
        try {
            return WorkflowServiceStubs.newConnectedServiceStubs(options, config.connectTimeout());
        } catch (RuntimeException e) {
            throw new TemporalUnreachableException("Cannot reach Temporal at " + config.address() + " within "
                    + config.connectTimeout().toSeconds() + " s (" + rootMessage(e) + "). Start it with "
                    + "'./clawfactory dev' or 'systemctl start clawfactory-temporal', or set TEMPORAL_ADDRESS.");
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}

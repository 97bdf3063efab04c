package ai.clawfactory.worker.temporal;

import ai.clawfactory.core.temporal.TemporalClientSettings;
import ai.clawfactory.worker.config.TemporalConfig;
import ai.clawfactory.worker.metrics.Metrics;
import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The connection to Temporal, opened on a thread of its own as soon as the worker starts wiring:
 * loading the gRPC stack and reaching the server (about as long as the whole bare SDK worker
 * takes to start) overlaps with setting up the ledger, the definitions and the HTTP client on the
 * other core. {@link #await()} hands over the connected stubs, or the one-line reason it failed.
 * <p>
 * Where and how it connects follows Temporal's standard client configuration
 * ({@link TemporalClientSettings}: TOML profile, {@code TEMPORAL_*} variables, API key and TLS);
 * {@code temporal.address} / {@code temporal.namespace} apply where neither says.
 */
@Singleton
public class TemporalConnection {

    private final CompletableFuture<WorkflowServiceStubs> stubs;
    private final TemporalClientSettings settings;
    /** The SDK's metrics (temporal_*), reported into our registry every 10 s. */
    private final Scope metricsScope;

    TemporalConnection(TemporalConfig config, Metrics metrics) {
        // Read up front (files, profile): a bad setting fails wiring at once with its one line.
        settings = TemporalClientSettings.fromEnvironment(config.address(), config.namespace());
        metricsScope = new RootScopeBuilder()
                .reporter(new MicrometerClientStatsReporter(metrics.registry()))
                .reportEvery(com.uber.m3.util.Duration.ofSeconds(10));
        stubs = CompletableFuture.supplyAsync(() -> connect(config, settings, metricsScope), task -> {
            Thread t = new Thread(task, "temporal-connect");
            t.setDaemon(true);
            t.start();
        });
    }

    /** Where the worker connects (address and namespace after profiles and variables). */
    public TemporalClientSettings settings() {
        return settings;
    }

    /** The connected stubs, or null while the connection is still being made (or failed). */
    public WorkflowServiceStubs connectedNow() {
        return stubs.isDone() && !stubs.isCompletedExceptionally() ? stubs.join() : null;
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

    @PreDestroy
    void close() {
        try {
            metricsScope.close();
        } catch (com.uber.m3.tally.ScopeCloseException e) {
            // Nothing left to report to: the process is stopping.
        }
    }

    private static WorkflowServiceStubs connect(
            TemporalConfig config, TemporalClientSettings settings, Scope metricsScope) {
        WorkflowServiceStubsOptions options =
                settings.stubsOptions().setMetricsScope(metricsScope).build();
        try {
            return WorkflowServiceStubs.newConnectedServiceStubs(options, config.connectTimeout());
        } catch (RuntimeException e) {
            String line = settings.connectFailure(e, config.connectTimeout());
            throw new TemporalUnreachableException(
                    TemporalClientSettings.isCredentialOrTlsFailure(e)
                            ? line
                            : line
                                    + ". Start it with './clawfactory dev' or 'systemctl start clawfactory-temporal', or set TEMPORAL_ADDRESS.");
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

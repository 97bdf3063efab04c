package ai.clawfactory.worker.temporal;

import ai.clawfactory.worker.config.TemporalConfig;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import jakarta.inject.Singleton;

/** The Temporal SDK objects, created once and closed with the application. */
@Factory
public class TemporalFactory {

    /** Waits for the connection {@link TemporalConnection} opened when wiring began. */
    @Singleton
    @Bean(preDestroy = "shutdown")
    WorkflowServiceStubs serviceStubs(TemporalConnection connection) {
        return connection.await();
    }

    @Singleton
    WorkflowClient workflowClient(WorkflowServiceStubs stubs, TemporalConnection connection) {
        return WorkflowClient.newInstance(
                stubs,
                WorkflowClientOptions.newBuilder()
                        .setNamespace(connection.settings().namespace())
                        .build());
    }

    /**
     * Cached workflows (up to {@code workflow-cache-size}) each keep a thread while parked. On
     * Java 21+ these are virtual threads ({@link WorkflowThreads}; WORKER_VIRTUAL_THREADS=false
     * for platform threads), and {@code max-workflow-threads} then bounds nothing: the SDK runs
     * them on an unbounded virtual-thread executor, and the cache size alone bounds the memory.
     */
    @Singleton
    WorkerFactory workerFactory(
            WorkflowClient client,
            TemporalConfig config,
            @Value("${temporal.worker.virtual-threads:true}") boolean virtualThreads) {
        TemporalConfig.WorkerSizing sizing = config.worker();
        return WorkerFactory.newInstance(
                client,
                WorkerFactoryOptions.newBuilder()
                        .setWorkflowCacheSize(sizing.workflowCacheSize())
                        .setMaxWorkflowThreadCount(sizing.maxWorkflowThreads())
                        .setUsingVirtualWorkflowThreads(WorkflowThreads.virtual(virtualThreads))
                        .build());
    }
}

package ai.clawfactory.worker.temporal;

import ai.clawfactory.worker.config.TemporalConfig;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import jakarta.inject.Singleton;

/** The Temporal SDK objects, created once and closed with the application. */
@Factory
public class TemporalFactory {

    @Singleton
    @Bean(preDestroy = "shutdown")
    WorkflowServiceStubs serviceStubs(TemporalConfig config) {
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

    @Singleton
    WorkflowClient workflowClient(WorkflowServiceStubs stubs, TemporalConfig config) {
        return WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder()
                .setNamespace(config.namespace())
                .build());
    }

    @Singleton
    WorkerFactory workerFactory(WorkflowClient client, TemporalConfig config) {
        TemporalConfig.WorkerSizing sizing = config.worker();
        return WorkerFactory.newInstance(client, WorkerFactoryOptions.newBuilder()
                .setWorkflowCacheSize(sizing.workflowCacheSize())
                .setMaxWorkflowThreadCount(sizing.maxWorkflowThreads())
                .build());
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

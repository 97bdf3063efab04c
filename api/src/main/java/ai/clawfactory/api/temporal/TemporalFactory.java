package ai.clawfactory.api.temporal;

import ai.clawfactory.core.Names;
import ai.clawfactory.core.temporal.TemporalClientSettings;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Temporal clients, from the same settings as the worker and the schedules CLI
 * ({@link TemporalClientSettings}: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TLS, API key). The
 * stubs connect lazily: the API starts while Temporal is away and answers 503 until it is back.
 */
@Factory
public class TemporalFactory {

    private static final Logger LOG = LoggerFactory.getLogger(TemporalFactory.class);

    /** Client identity Temporal shows for the runs the API starts, cancels or triggers. */
    public static final String IDENTITY = "clawfactory-api";

    @Singleton
    TemporalClientSettings settings() {
        return TemporalClientSettings.fromEnvironment(Names.DEFAULT_ADDRESS, Names.NAMESPACE);
    }

    @Singleton
    @Bean(preDestroy = "shutdown")
    WorkflowServiceStubs serviceStubs(TemporalClientSettings settings) {
        LOG.info("Temporal at {}", settings.describe());
        return WorkflowServiceStubs.newServiceStubs(settings.stubsOptions().build());
    }

    @Singleton
    WorkflowClient workflowClient(WorkflowServiceStubs stubs, TemporalClientSettings settings) {
        return WorkflowClient.newInstance(
                stubs,
                WorkflowClientOptions.newBuilder()
                        .setNamespace(settings.namespace())
                        .setIdentity(IDENTITY)
                        .build());
    }

    @Singleton
    ScheduleClient scheduleClient(WorkflowServiceStubs stubs, TemporalClientSettings settings) {
        return ScheduleClient.newInstance(
                stubs,
                ScheduleClientOptions.newBuilder()
                        .setNamespace(settings.namespace())
                        .setIdentity(IDENTITY)
                        .build());
    }
}

package ai.clawfactory.worker.config;

import ai.clawfactory.core.Names;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * Where the worker finds Temporal and how big it is. Defaults suit a 2-core VM; every value can be
 * overridden from the environment (see application.yml for the variable names).
 *
 * @param address        host:port of the frontend (TEMPORAL_ADDRESS)
 * @param namespace      TEMPORAL_NAMESPACE
 * @param taskQueue      TEMPORAL_TASK_QUEUE
 * @param connectTimeout how long start-up waits for Temporal before exiting with an error
 * @param drainTimeout   how long SIGTERM waits for in-flight activities before exiting
 * @param worker         slot and cache sizes
 */
@ConfigurationProperties("temporal")
public record TemporalConfig(
        @NotBlank @Bindable(defaultValue = Names.DEFAULT_ADDRESS)
        String address,

        @NotBlank @Bindable(defaultValue = Names.NAMESPACE) String namespace,
        @NotBlank @Bindable(defaultValue = Names.TASK_QUEUE) String taskQueue,
        @NotNull @Bindable(defaultValue = "15s") Duration connectTimeout,
        @NotNull @Bindable(defaultValue = "60s") Duration drainTimeout,
        @Valid @NotNull WorkerSizing worker) {

    /**
     * Worker sizing. The SDK's defaults (200 slots per kind, cache 600, 600 threads) are for big
     * hosts; these fit 2 cores, where agent turns are I/O-bound waits on the gateway.
     */
    @ConfigurationProperties("worker")
    public record WorkerSizing(
            @Min(1) @Bindable(defaultValue = "16") int maxConcurrentActivities,
            @Min(1) @Bindable(defaultValue = "4") int maxConcurrentWorkflowTasks,
            @Min(1) @Bindable(defaultValue = "4") int maxConcurrentLocalActivities,
            @Min(1) @Bindable(defaultValue = "2") int workflowPollers,
            @Min(1) @Bindable(defaultValue = "2") int activityPollers,
            @Min(1) @Bindable(defaultValue = "200") int workflowCacheSize,
            @Min(2) @Bindable(defaultValue = "400") int maxWorkflowThreads) {}
}

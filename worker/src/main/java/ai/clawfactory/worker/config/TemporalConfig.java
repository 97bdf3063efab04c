package ai.clawfactory.worker.config;

import ai.clawfactory.core.Names;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
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
        @Bindable(defaultValue = Names.DEFAULT_ADDRESS) String address,
        @Bindable(defaultValue = Names.NAMESPACE) String namespace,
        @Bindable(defaultValue = Names.TASK_QUEUE) String taskQueue,
        @Bindable(defaultValue = "15s") Duration connectTimeout,
        @Bindable(defaultValue = "60s") Duration drainTimeout,
        WorkerSizing worker) {

    public TemporalConfig {
        Settings.notBlank(address, "temporal.address", "TEMPORAL_ADDRESS");
        Settings.notBlank(namespace, "temporal.namespace", "TEMPORAL_NAMESPACE");
        Settings.notBlank(taskQueue, "temporal.task-queue", "TEMPORAL_TASK_QUEUE");
        Settings.required(connectTimeout, "temporal.connect-timeout", "TEMPORAL_CONNECT_TIMEOUT");
        Settings.required(drainTimeout, "temporal.drain-timeout", "WORKER_DRAIN_TIMEOUT");
        Settings.required(worker, "temporal.worker", "WORKER_*");
    }

    /**
     * Worker sizing. The SDK's defaults (200 slots per kind, cache 600, 600 threads) are for big
     * hosts; these fit 2 cores, where agent turns are I/O-bound waits on the gateway.
     */
    @ConfigurationProperties("worker")
    public record WorkerSizing(
            @Bindable(defaultValue = "16") int maxConcurrentActivities,
            @Bindable(defaultValue = "4") int maxConcurrentWorkflowTasks,
            @Bindable(defaultValue = "4") int maxConcurrentLocalActivities,
            @Bindable(defaultValue = "2") int workflowPollers,
            @Bindable(defaultValue = "2") int activityPollers,
            @Bindable(defaultValue = "200") int workflowCacheSize,
            @Bindable(defaultValue = "400") int maxWorkflowThreads) {

        public WorkerSizing {
            Settings.atLeast(
                    maxConcurrentActivities, 1, "temporal.worker.max-concurrent-activities", "WORKER_MAX_ACTIVITIES");
            Settings.atLeast(
                    maxConcurrentWorkflowTasks,
                    1,
                    "temporal.worker.max-concurrent-workflow-tasks",
                    "WORKER_MAX_WORKFLOW_TASKS");
            Settings.atLeast(
                    maxConcurrentLocalActivities,
                    1,
                    "temporal.worker.max-concurrent-local-activities",
                    "WORKER_MAX_LOCAL_ACTIVITIES");
            Settings.atLeast(workflowPollers, 1, "temporal.worker.workflow-pollers", "WORKER_WORKFLOW_POLLERS");
            Settings.atLeast(activityPollers, 1, "temporal.worker.activity-pollers", "WORKER_ACTIVITY_POLLERS");
            Settings.atLeast(workflowCacheSize, 1, "temporal.worker.workflow-cache-size", "WORKER_WORKFLOW_CACHE");
            Settings.atLeast(
                    maxWorkflowThreads, 2, "temporal.worker.max-workflow-threads", "WORKER_MAX_WORKFLOW_THREADS");
        }
    }
}

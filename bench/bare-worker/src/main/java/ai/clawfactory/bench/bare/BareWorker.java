package ai.clawfactory.bench.bare;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.RetryOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmark's baseline: the Temporal SDK alone, with the worker's sizing (the same environment
 * variables and defaults as {@code worker/src/main/resources/application.yml}), serving
 * {@value #TWO_TURN} (turn, short wait, turn) with activities that do nothing. What the real
 * worker adds on top of this — Micronaut, definitions, the ledger, HTTP to the gateway — is what
 * the benchmark's ratios measure.
 */
public final class BareWorker {

    /** Workflow type of the no-op two-turn shape. */
    public static final String TWO_TURN = "BareTwoTurnWorkflow";
    /** Workflow type of the no-op parked shape (one turn, then a one-hour wait). */
    public static final String PARKED = "BareParkWorkflow";

    private static final Logger LOG = LoggerFactory.getLogger(BareWorker.class);

    private BareWorker() {}

    @WorkflowInterface
    public interface BareTwoTurnWorkflow {
        /** Turn, wait {@code waitMillis}, turn. */
        @WorkflowMethod(name = TWO_TURN)
        String run(long waitMillis);
    }

    @WorkflowInterface
    public interface BareParkWorkflow {
        /** One turn, then a one-hour wait. */
        @WorkflowMethod(name = PARKED)
        String run();
    }

    @ActivityInterface
    public interface NoopActivities {
        String turn(String step);
    }

    public static final class NoopActivitiesImpl implements NoopActivities {
        @Override
        public String turn(String step) {
            return step;
        }
    }

    private static NoopActivities activities() {
        return Workflow.newActivityStub(
                NoopActivities.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofMinutes(10))
                        .setRetryOptions(
                                RetryOptions.newBuilder().setMaximumAttempts(3).build())
                        .build());
    }

    public static final class BareTwoTurnWorkflowImpl implements BareTwoTurnWorkflow {
        @Override
        public String run(long waitMillis) {
            NoopActivities a = activities();
            a.turn("execute");
            Workflow.sleep(Duration.ofMillis(waitMillis));
            return a.turn("synthesize");
        }
    }

    public static final class BareParkWorkflowImpl implements BareParkWorkflow {
        @Override
        public String run() {
            activities().turn("execute");
            Workflow.sleep(Duration.ofHours(1));
            return "woke";
        }
    }

    private static int env(String name, int fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
    }

    public static void main(String[] args) throws InterruptedException {
        long t0 = System.nanoTime();
        String address = System.getenv().getOrDefault("TEMPORAL_ADDRESS", "127.0.0.1:7233");
        String namespace = System.getenv().getOrDefault("TEMPORAL_NAMESPACE", "default");
        String taskQueue = System.getenv().getOrDefault("TEMPORAL_TASK_QUEUE", "bare");
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newConnectedServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(address).build(), Duration.ofSeconds(15));
        WorkflowClient client = WorkflowClient.newInstance(
                stubs,
                WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
        WorkerFactory factory = WorkerFactory.newInstance(
                client,
                WorkerFactoryOptions.newBuilder()
                        .setWorkflowCacheSize(env("WORKER_WORKFLOW_CACHE", 200))
                        .setMaxWorkflowThreadCount(env("WORKER_MAX_WORKFLOW_THREADS", 400))
                        .build());
        Worker worker = factory.newWorker(
                taskQueue,
                WorkerOptions.newBuilder()
                        .setMaxConcurrentActivityExecutionSize(env("WORKER_MAX_ACTIVITIES", 16))
                        .setMaxConcurrentWorkflowTaskExecutionSize(env("WORKER_MAX_WORKFLOW_TASKS", 4))
                        .setMaxConcurrentLocalActivityExecutionSize(env("WORKER_MAX_LOCAL_ACTIVITIES", 4))
                        .setMaxConcurrentWorkflowTaskPollers(env("WORKER_WORKFLOW_POLLERS", 2))
                        .setMaxConcurrentActivityTaskPollers(env("WORKER_ACTIVITY_POLLERS", 2))
                        .build());
        worker.registerWorkflowImplementationTypes(BareTwoTurnWorkflowImpl.class, BareParkWorkflowImpl.class);
        worker.registerActivitiesImplementations(new NoopActivitiesImpl());
        factory.start();
        LOG.info(
                "Bare worker polling task queue '{}' on {}; started in {} ms",
                taskQueue,
                address,
                (System.nanoTime() - t0) / 1_000_000);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            factory.shutdown();
                            factory.awaitTermination(30, TimeUnit.SECONDS);
                            stubs.shutdown();
                            stopped.countDown();
                        },
                        "shutdown"));
        stopped.await();
    }
}

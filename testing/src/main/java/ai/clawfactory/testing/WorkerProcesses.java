package ai.clawfactory.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker processes of one test, as a JUnit 5 extension on an instance field:
 * <pre>{@code
 * @RegisterExtension
 * final WorkerProcesses workers = new WorkerProcesses(Path.of("target/clawfactory-worker.jar"));
 * ...
 * WorkerProcess w = workers.builder(dir.resolve("worker.log")).temporal(server.target()).startReady();
 * }</pre>
 * Each test gets its own task queue ({@link #taskQueue()}, see {@link TaskQueues}), which every
 * builder sets as TEMPORAL_TASK_QUEUE. When the test fails, every process's log is printed; right
 * after the test method (before {@code @AfterEach}, so still with the test's gateway up) every
 * process still running is stopped, each with a bounded wait.
 *
 * <p>On a static field, the processes belong to the test class instead: one task queue for the
 * class, logs printed when any of its tests fails, the processes stopped after its last test.
 */
public final class WorkerProcesses
        implements BeforeAllCallback,
                BeforeEachCallback,
                AfterTestExecutionCallback,
                AfterEachCallback,
                AfterAllCallback {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerProcesses.class);

    private final Path jar;
    private final List<WorkerProcess> started = new ArrayList<>();
    private String taskQueue;
    private boolean classScope;

    public WorkerProcesses(Path jar) {
        this.jar = jar;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        classScope = true;
        taskQueue = TaskQueues.forTest(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!classScope) {
            taskQueue = TaskQueues.forTest(context);
        }
    }

    /** This test's task queue. */
    public String taskQueue() {
        if (taskQueue == null) {
            throw new IllegalStateException("WorkerProcesses must be registered with @RegisterExtension");
        }
        return taskQueue;
    }

    /** A builder for the jar, on this test's task queue, whose processes this extension stops after the test. */
    public WorkerProcess.Builder builder(Path log) {
        return WorkerProcess.builder(jar, log).taskQueue(taskQueue()).onStart(started::add);
    }

    /** Every process started so far in this test, oldest first. */
    public List<WorkerProcess> started() {
        return List.copyOf(started);
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            for (WorkerProcess p : started) {
                LOG.error(
                        "{} test failed; output of {} ({}, {}):\n{}",
                        context.getDisplayName(),
                        p.name(),
                        p.logFile(),
                        p.isAlive() ? "running" : "exited",
                        p.output());
            }
        }
        if (!classScope) {
            stopAll();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!classScope) {
            stopAll();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopAll();
    }

    private void stopAll() {
        for (WorkerProcess p : started) {
            p.stop();
        }
    }
}

package ai.clawfactory.worker;

import ai.clawfactory.worker.interpreter.InterpreterWorkflow;
import io.temporal.testing.TestWorkflowExtension;

/**
 * The time-skipping test server for workflow tests, through temporal-testing's
 * {@link TestWorkflowExtension} on an instance field:
 * <pre>{@code
 * @RegisterExtension
 * final TestWorkflowExtension temporal = TestWorkflows.interpreter().build();
 *
 * @BeforeEach
 * void setUp(TestWorkflowEnvironment env, Worker worker) {
 *     worker.registerActivitiesImplementations(...);
 *     env.start();
 * }
 * }</pre>
 * Each test gets a new environment and a worker on a task queue of its own ({@code worker.getTaskQueue()},
 * or a {@code WorkflowOptions} parameter that carries it); the extension closes the environment after the
 * test and prints the workflow histories when it fails.
 */
public final class TestWorkflows {

    private TestWorkflows() {}

    /**
     * The interpreter (and {@code more} workflow types) registered, namespace {@code default} as on
     * the dev server, and not started: the activities usually need the test's folder or context,
     * so the test registers them in {@code @BeforeEach} and then starts the environment.
     */
    public static TestWorkflowExtension.Builder interpreter(Class<?>... more) {
        return TestWorkflowExtension.newBuilder()
                .setNamespace("default")
                .registerWorkflowImplementationTypes(InterpreterWorkflow.class)
                .registerWorkflowImplementationTypes(more)
                .setDoNotStart(true);
    }
}

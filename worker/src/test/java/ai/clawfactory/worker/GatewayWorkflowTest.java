package ai.clawfactory.worker;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.micronaut.context.ApplicationContext;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.io.IOException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Base of the workflow tests with the real activities against WireMock: the time-skipping server
 * ({@link TestWorkflows#interpreter}) and a {@link GatewayTestbed}, in the order that stops the
 * environment before the context closes. A test writes its definitions ({@code bed.define}) and
 * calls {@link #startWorker}; then {@link #client} starts runs on {@link #taskQueue}.
 */
public abstract class GatewayWorkflowTest {

    @RegisterExtension
    @Order(1)
    protected final GatewayTestbed bed = new GatewayTestbed();

    @RegisterExtension
    @Order(2)
    protected final TestWorkflowExtension temporal = TestWorkflows.interpreter().build();

    protected final WireMockServer wm = bed.wm;
    protected WorkflowClient client;
    protected String taskQueue;
    protected ApplicationContext ctx;
    private TestWorkflowEnvironment env;
    private Worker worker;

    @BeforeEach
    void testEnvironment(TestWorkflowEnvironment env, Worker worker) {
        this.env = env;
        this.worker = worker;
        client = env.getWorkflowClient();
        taskQueue = worker.getTaskQueue();
    }

    /** The worker context on WireMock as gateway {@code kind} with {@code token}, its activities on the started worker. */
    protected ApplicationContext startWorker(String kind, String token) throws IOException {
        return startWorker(kind, token, java.util.Map.of());
    }

    /** As {@link #startWorker(String, String)}, with {@code extra} properties on top. */
    protected ApplicationContext startWorker(String kind, String token, java.util.Map<String, Object> extra)
            throws IOException {
        ctx = bed.start(env, worker, kind, token, extra);
        return ctx;
    }
}

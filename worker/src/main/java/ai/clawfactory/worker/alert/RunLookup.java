package ai.clawfactory.worker.alert;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import java.util.function.Supplier;

/** Which workflow type a run is of, as the Temporal server knows it. */
@FunctionalInterface
public interface RunLookup {

    /**
     * The type of run {@code runId} of workflow {@code workflowId}, or null when the server knows no
     * such run; throws when the server cannot be asked (the caller retries).
     */
    String workflowType(String workflowId, String runId);

    /** Asks the server ({@code DescribeWorkflowExecution}) in the client's namespace. */
    static RunLookup of(Supplier<WorkflowClient> client) {
        return (workflowId, runId) -> {
            WorkflowClient c = client.get();
            try {
                return c.getWorkflowServiceStubs()
                        .blockingStub()
                        .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                                .setNamespace(c.getOptions().getNamespace())
                                .setExecution(WorkflowExecution.newBuilder()
                                        .setWorkflowId(workflowId)
                                        .setRunId(runId))
                                .build())
                        .getWorkflowExecutionInfo()
                        .getType()
                        .getName();
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                // INVALID_ARGUMENT: a run id that is not a run id at all (the server wants a UUID).
                if (code == Status.Code.NOT_FOUND || code == Status.Code.INVALID_ARGUMENT) {
                    return null;
                }
                throw e;
            }
        };
    }
}

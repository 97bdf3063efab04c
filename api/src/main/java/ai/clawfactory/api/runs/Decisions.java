package ai.clawfactory.api.runs;

import ai.clawfactory.api.problem.ApiProblem;
import ai.clawfactory.api.temporal.TemporalErrors;
import ai.clawfactory.core.Names;
import ai.clawfactory.core.approval.Decision;
import ai.clawfactory.core.approval.DecisionResult;
import ai.clawfactory.core.approval.RefusalOf;
import ai.clawfactory.core.approval.Refusals;
import io.grpc.StatusRuntimeException;
import io.micronaut.http.HttpStatus;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Sends a decision on a run's approval step, the run's {@code decide} Update, for every way in
 * (the REST route, the MCP tools): the run answers at once with the decision as recorded, or a
 * {@link Refusals refusal} that becomes problem+json (404, 409, 403 or 400) naming the field.
 */
@Singleton
public final class Decisions {

    private final Runs runs;
    private final WorkflowClient client;

    Decisions(Runs runs, WorkflowClient client) {
        this.runs = runs;
        this.client = client;
    }

    /** Decides on run {@code workflowId} (already checked by {@link RunIds#checkRunId}); throws {@link ApiProblem}. */
    public DecisionResult decide(String workflowId, Decision decision) {
        WorkflowExecutionInfo info = runs.describe(workflowId);
        if (info.getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
            throw closed(workflowId);
        }
        try {
            return client.newUntypedWorkflowStub(
                            workflowId, Optional.of(info.getExecution().getRunId()), Optional.empty())
                    .update(Names.UPDATE_DECIDE, DecisionResult.class, decision);
        } catch (WorkflowUpdateException e) {
            ApplicationFailure refusal = RefusalOf.in(e);
            if (refusal == null) {
                throw ApiProblem.of(
                        HttpStatus.CONFLICT,
                        "not-decided",
                        "Decision not taken",
                        "The run did not take the decision: " + e.getCause().getMessage(),
                        "/step");
            }
            throw refused(refusal);
        } catch (WorkflowNotFoundException e) {
            throw closed(workflowId);
        } catch (StatusRuntimeException e) {
            throw TemporalErrors.unavailable("sending the decision", e);
        }
    }

    private static ApiProblem closed(String workflowId) {
        return ApiProblem.of(
                HttpStatus.CONFLICT,
                "run-closed",
                "Run already closed",
                "Run " + workflowId + " has ended; nothing is waiting for a decision.",
                "id");
    }

    /** A refusal of the run's validator as problem+json: 404, 409, 403 or 400, naming the field at fault. */
    static ApiProblem refused(ApplicationFailure refusal) {
        String detail = refusal.getOriginalMessage() + ".";
        return switch (refusal.getType()) {
            case Refusals.NO_SUCH_APPROVAL ->
                ApiProblem.of(HttpStatus.NOT_FOUND, "no-such-approval", "No such approval pending", detail, "/step");
            case Refusals.AMBIGUOUS ->
                ApiProblem.of(HttpStatus.CONFLICT, "ambiguous-approval", "Several approvals pending", detail, "/step");
            case Refusals.ALREADY_DECIDED ->
                ApiProblem.of(HttpStatus.CONFLICT, "already-decided", "Already decided", detail, "/step");
            case Refusals.TIMED_OUT ->
                ApiProblem.of(HttpStatus.CONFLICT, "approval-timed-out", "Approval timed out", detail, "/step");
            case Refusals.CHANNEL_NOT_ALLOWED ->
                ApiProblem.of(HttpStatus.FORBIDDEN, "channel-not-allowed", "Channel not allowed", detail, "/step");
            default -> ApiProblem.of(HttpStatus.BAD_REQUEST, "bad-decision", "Invalid decision", detail, "/note");
        };
    }
}

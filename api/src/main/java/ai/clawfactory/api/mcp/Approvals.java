package ai.clawfactory.api.mcp;

import ai.clawfactory.api.problem.ApiProblem;
import ai.clawfactory.api.temporal.TemporalErrors;
import ai.clawfactory.core.Names;
import ai.clawfactory.core.approval.Channels;
import ai.clawfactory.core.approval.Decision;
import ai.clawfactory.core.approval.DecisionResult;
import ai.clawfactory.core.approval.Refusals;
import io.grpc.Status;
import io.micronaut.http.HttpStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * Approve or reject a pending {@code approval} step of a run through the {@link Names#UPDATE_DECIDE}
 * Update, on channel {@code mcp}: the run answers at once whether the decision counted. A refusal
 * ({@link Refusals}) becomes an {@link ApiProblem} with the status the API uses for it and a
 * message saying what to do.
 */
@Singleton
final class Approvals {

    /** The problem status of each refusal type (as {@link Refusals} documents them). */
    private static final Map<String, HttpStatus> STATUS = Map.of(
            Refusals.NO_SUCH_APPROVAL, HttpStatus.NOT_FOUND,
            Refusals.AMBIGUOUS, HttpStatus.CONFLICT,
            Refusals.ALREADY_DECIDED, HttpStatus.CONFLICT,
            Refusals.TIMED_OUT, HttpStatus.CONFLICT,
            Refusals.CHANNEL_NOT_ALLOWED, HttpStatus.FORBIDDEN,
            Refusals.BAD_DECISION, HttpStatus.BAD_REQUEST);

    private final WorkflowClient client;

    Approvals(WorkflowClient client) {
        this.client = client;
    }

    DecisionResult decide(String runId, String step, boolean approve, String note, String who) {
        Decision decision = new Decision(step, approve, note, Channels.MCP, who);
        try {
            return client.newUntypedWorkflowStub(runId).update(Names.UPDATE_DECIDE, DecisionResult.class, decision);
        } catch (WorkflowUpdateException e) {
            throw refusal(runId, e);
        } catch (WorkflowNotFoundException e) {
            throw ApiProblem.notFound(
                    "id", "No running run has the id '" + runId + "'. list_runs with status running lists them.");
        } catch (RuntimeException e) {
            if (TemporalErrors.code(e).filter(c -> c == Status.Code.NOT_FOUND).isPresent()) {
                throw ApiProblem.notFound(
                        "id", "No running run has the id '" + runId + "'. list_runs with status running lists them.");
            }
            throw TemporalErrors.unavailable("deciding the approval", e);
        }
    }

    private static ApiProblem refusal(String runId, WorkflowUpdateException e) {
        String type = null;
        String message = null;
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof ApplicationFailure f) {
                type = f.getType();
                message = f.getOriginalMessage();
                break;
            }
        }
        HttpStatus status = type == null ? null : STATUS.get(type);
        if (status == null) {
            return ApiProblem.of(
                    HttpStatus.CONFLICT,
                    "decision-refused",
                    "Decision refused",
                    "Run " + runId + " refused the decision"
                            + (message == null ? "" : ": " + message)
                            + ". Check that the run waits at an approval step (get_run).",
                    "id");
        }
        String hint = switch (type) {
            case Refusals.NO_SUCH_APPROVAL -> " get_run shows the steps it waits at.";
            case Refusals.AMBIGUOUS -> " Name the step with 'step'.";
            case Refusals.CHANNEL_NOT_ALLOWED ->
                " The step's 'by:' leaves out mcp: a person decides it through the CLI or the API.";
            default -> "";
        };
        return ApiProblem.of(
                status,
                "decision-refused",
                "Decision refused (" + type + ")",
                (message == null ? type : message) + "." + hint,
                "step");
    }
}

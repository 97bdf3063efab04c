package ai.clawfactory.api.runs;

import ai.clawfactory.api.auth.Scope;
import ai.clawfactory.api.auth.TokenFilter;
import ai.clawfactory.api.problem.ApiProblem;
import ai.clawfactory.api.problem.Problem;
import ai.clawfactory.core.approval.Channels;
import ai.clawfactory.core.approval.Decision;
import ai.clawfactory.core.approval.DecisionResult;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Set;

/**
 * Decisions on a run's approval steps: {@code POST /api/v1/runs/{id}/approvals} sends the run's
 * {@code decide} Update as channel {@code api}, who = the token's name. Needs the {@code decide}
 * scope (the token filter requires it, this checks again). The run answers at once: the decision
 * as recorded, or why it did not count (problem+json naming the field).
 */
@Controller("/api/v1/runs")
@Tag(name = "runs")
@ExecuteOn(TaskExecutors.BLOCKING)
final class ApprovalsController {

    private final Decisions decisions;

    ApprovalsController(Decisions decisions) {
        this.decisions = decisions;
    }

    @Post(uri = "/{id}/approvals", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Approve or reject a pending approval step",
            description = "Decides one pending approval step of a running run (the run's decide Update, channel api,"
                    + " recorded with the token's name and the note). Needs a token with the decide scope. The"
                    + " answer says at once whether the decision counted. The step may be left out when exactly one"
                    + " approval is pending.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ApprovalRequest.class)))
    @ApiResponse(
            responseCode = "200",
            description = "The decision counted",
            content = @Content(schema = @Schema(implementation = DecisionResult.class)))
    @ApiResponse(
            responseCode = "400",
            description = "Malformed body: decision not approve or reject, a note over 2 KiB, an unknown member",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "403",
            description = "The token lacks the decide scope, or the step's by: does not list api",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "404",
            description = "No such run, or no such approval pending",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "409",
            description = "Already decided, timed out, several pending without a step named, or the run has ended",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    DecisionResult decide(@PathVariable String id, @Body String body, HttpRequest<?> request) {
        String workflowId = RunIds.checkRunId(id);
        Object scopes = request.getAttribute(TokenFilter.SCOPES).orElse(null);
        if (!(scopes instanceof Set<?> s) || !s.contains(Scope.DECIDE)) {
            throw ApiProblem.of(
                    HttpStatus.FORBIDDEN,
                    "forbidden",
                    "Scope missing",
                    "This token lacks the 'decide' scope this call needs. Use a token whose line in the token file"
                            + " lists it (TOKEN read,operate,decide).",
                    "Authorization");
        }
        ApprovalRequest asked = ApprovalRequest.read(body);
        String who = request.getAttribute(TokenFilter.CALLER, String.class).orElse("an api token");
        return decisions.decide(
                workflowId, new Decision(asked.step(), asked.approves(), asked.note(), Channels.API, who));
    }
}

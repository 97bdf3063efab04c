package ai.clawfactory.api.runs;

import ai.clawfactory.api.definitions.DefinitionCatalog;
import ai.clawfactory.api.problem.ApiProblem;
import ai.clawfactory.api.problem.Problem;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The runs: start (idempotent by key), list, get, cancel. */
@Controller("/api/v1/runs")
@Tag(name = "runs")
@ExecuteOn(TaskExecutors.BLOCKING)
final class RunsController {

    /** Most runs on one page. */
    static final int MAX_PAGE = 100;

    private final Runs runs;
    private final DefinitionCatalog definitions;

    RunsController(Runs runs, DefinitionCatalog definitions) {
        this.runs = runs;
        this.definitions = definitions;
    }

    /** What a start answers: the run's id (its path under /api/v1/runs/) and whether this call started it. */
    record Started(String id, String runId, String type, boolean created) {}

    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Start a run",
            description = "Starts a run of a defined workflow type with its input, checked against the definition."
                    + " With an Idempotency-Key the same key (for the same type) always names the same run:"
                    + " a repeated call answers 200 with that run instead of starting another.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = StartRequest.class)))
    @ApiResponse(
            responseCode = "201",
            description = "Started",
            content = @Content(schema = @Schema(implementation = Started.class)))
    @ApiResponse(
            responseCode = "200",
            description = "The key's run, started before",
            content = @Content(schema = @Schema(implementation = Started.class)))
    @ApiResponse(
            responseCode = "400",
            description = "Malformed body or key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "409",
            description = "The key names a run of another type",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "413",
            description = "Body over 64 KiB",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "422",
            description = "Unknown type or input the definition does not take",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    HttpResponse<Started> start(
            @Body String body,
            @Parameter(description = "1 to 200 characters of letters, digits and . _ ~ : -")
                    @Header("Idempotency-Key")
                    @Nullable
                    String idempotencyKey) {
        Runs.StartedRun s = runs.startChecked(body, idempotencyKey, definitions);
        Started answer = new Started(s.id(), s.runId(), s.type(), s.created());
        return (s.created() ? HttpResponse.<Started>created(answer) : HttpResponse.ok(answer))
                .header("Location", "/api/v1/runs/" + s.id());
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    @Operation(
            summary = "List runs",
            description =
                    "Runs, newest first, filtered by type, status, schedule and start time; paged with nextPageToken.")
    @ApiResponse(
            responseCode = "200",
            description = "A page of runs",
            content = @Content(schema = @Schema(implementation = Runs.Page.class)))
    @ApiResponse(
            responseCode = "400",
            description = "A filter that is not valid",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    Runs.Page list(
            @Parameter(description = "A workflow type") @QueryValue @Nullable String type,
            @Parameter(description = "running, completed, failed, canceled, terminated, timed_out, continued_as_new")
                    @QueryValue
                    @Nullable
                    String status,
            @Parameter(description = "The id of the schedule that started the runs") @QueryValue @Nullable
                    String schedule,
            @Parameter(description = "ISO-8601 instant: runs started at or after it") @QueryValue @Nullable
                    String startedAfter,
            @Parameter(description = "ISO-8601 instant: runs started before it") @QueryValue @Nullable
                    String startedBefore,
            @Parameter(description = "1 to 100 (default 20)") @QueryValue @Nullable String pageSize,
            @Parameter(description = "nextPageToken of the previous page") @QueryValue @Nullable String pageToken) {
        RunFilter filter = RunFilter.of(type, status, schedule, startedAfter, startedBefore);
        return runs.list(filter, pageSize(pageSize), pageToken);
    }

    @Get(uri = "/{id}", produces = MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Get a run",
            description = "The run's status; while it runs, its progress (the interpreter's status query: current step,"
                    + " attempt, next wake time, steps done); once closed, its result or failure; its turns from the"
                    + " turn ledger (newest first, at most 200), or ledger: unavailable.")
    @ApiResponse(
            responseCode = "200",
            description = "The run",
            content = @Content(schema = @Schema(implementation = RunView.class)))
    @ApiResponse(
            responseCode = "404",
            description = "No such run",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    RunView get(@PathVariable String id) {
        return runs.details(RunIds.checkRunId(id));
    }

    @Post(uri = "/{id}/cancel", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Cancel a run", description = "Asks a running run to cancel; it ends as canceled.")
    @ApiResponse(
            responseCode = "202",
            description = "Cancel requested",
            content = @Content(schema = @Schema(implementation = RunView.class)))
    @ApiResponse(
            responseCode = "404",
            description = "No such run",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "409",
            description = "The run is closed already",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    HttpResponse<RunView> cancel(@PathVariable String id) {
        return HttpResponse.accepted().body(runs.cancel(RunIds.checkRunId(id)));
    }

    private static int pageSize(String s) {
        if (s == null) {
            return 20;
        }
        try {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= MAX_PAGE) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the problem below
        }
        throw ApiProblem.badRequest("pageSize", "'pageSize' is a whole number from 1 to " + MAX_PAGE + ".");
    }
}

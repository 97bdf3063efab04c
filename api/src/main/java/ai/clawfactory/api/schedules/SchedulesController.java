package ai.clawfactory.api.schedules;

import ai.clawfactory.api.problem.ApiProblem;
import ai.clawfactory.api.problem.Problem;
import ai.clawfactory.api.temporal.TemporalErrors;
import ai.clawfactory.core.Names;
import ai.clawfactory.core.definition.NamePatterns;
import io.grpc.Status;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleListActionStartWorkflow;
import io.temporal.client.schedules.ScheduleListDescription;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** The schedules: list them; trigger, pause or unpause one. */
@Controller("/api/v1/schedules")
@Tag(name = "schedules")
@ExecuteOn(TaskExecutors.BLOCKING)
final class SchedulesController {

    /** Most schedules listed (one page of Temporal's list). */
    private static final int MAX = 200;

    /** A schedule: the type it starts, whether clawfactory manages it, paused, its next and recent runs. */
    record ScheduleView(
            String id,
            String workflowType,
            boolean managed,
            boolean paused,
            String note,
            List<String> nextRunTimes,
            List<String> recentRunIds) {}

    record Schedules(List<ScheduleView> schedules) {}

    /** What an action answers: the schedule and what was done. */
    record Done(String id, String action) {}

    private final ScheduleClient schedules;

    SchedulesController(ScheduleClient schedules) {
        this.schedules = schedules;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "List the schedules", description = "Every schedule in the namespace, sorted by id.")
    Schedules list() {
        try {
            List<ScheduleView> views = schedules
                    .listSchedules(MAX)
                    .limit(MAX)
                    .map(SchedulesController::view)
                    .sorted(Comparator.comparing(ScheduleView::id))
                    .collect(Collectors.toList());
            return new Schedules(views);
        } catch (RuntimeException e) {
            throw TemporalErrors.unavailable("listing the schedules", e);
        }
    }

    @Post(uri = "/{id}/trigger", produces = MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Trigger a schedule",
            description = "Starts its workflow now, as the schedule would (its overlap policy applies).")
    @ApiResponse(
            responseCode = "202",
            description = "Triggered",
            content = @Content(schema = @Schema(implementation = Done.class)))
    @ApiResponse(
            responseCode = "404",
            description = "No such schedule",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    HttpResponse<Done> trigger(@PathVariable String id) {
        handle(id, "triggering").trigger();
        return HttpResponse.accepted().body(new Done(id, "triggered"));
    }

    @Post(uri = "/{id}/pause", produces = MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Pause a schedule",
            description = "No further runs start until it is unpaused (a sync does not unpause it).")
    @ApiResponse(
            responseCode = "200",
            description = "Paused",
            content = @Content(schema = @Schema(implementation = Done.class)))
    @ApiResponse(
            responseCode = "404",
            description = "No such schedule",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    Done pause(@PathVariable String id) {
        handle(id, "pausing").pause("paused through the API at " + Instant.now());
        return new Done(id, "paused");
    }

    @Post(uri = "/{id}/unpause", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Unpause a schedule", description = "Runs start again as the schedule says.")
    @ApiResponse(
            responseCode = "200",
            description = "Unpaused",
            content = @Content(schema = @Schema(implementation = Done.class)))
    @ApiResponse(
            responseCode = "404",
            description = "No such schedule",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    Done unpause(@PathVariable String id) {
        handle(id, "unpausing").unpause("unpaused through the API at " + Instant.now());
        return new Done(id, "unpaused");
    }

    /** The schedule's handle after checking it exists (a handle alone is never 404). */
    private ScheduleHandle handle(String id, String doing) {
        if (!NamePatterns.isScheduleId(id)) {
            throw ApiProblem.badRequest(
                    "id", "A schedule id is letters, digits, '_', '.', '-', starting with a letter or digit.");
        }
        ScheduleHandle h = schedules.getHandle(id);
        try {
            ScheduleDescription d = h.describe();
            Objects.requireNonNull(d);
        } catch (RuntimeException e) {
            if (TemporalErrors.code(e).filter(c -> c == Status.Code.NOT_FOUND).isPresent()) {
                throw ApiProblem.notFound(
                        "id", "No schedule has the id '" + id + "'. GET /api/v1/schedules lists them.");
            }
            throw TemporalErrors.unavailable(doing + " the schedule", e);
        }
        return h;
    }

    private static ScheduleView view(ScheduleListDescription s) {
        String type = s.getSchedule().getAction() instanceof ScheduleListActionStartWorkflow a ? a.getWorkflow() : null;
        Object managedBy = null;
        try {
            managedBy = s.getMemo(Names.MEMO_MANAGED_BY, String.class);
        } catch (RuntimeException e) {
            // no memo
        }
        return new ScheduleView(
                s.getScheduleId(),
                type,
                Names.MANAGED_BY_VALUE.equals(managedBy),
                s.getSchedule().getState().isPaused(),
                emptyToNull(s.getSchedule().getState().getNote()),
                s.getInfo().getNextActionTimes().stream()
                        .limit(3)
                        .map(Instant::toString)
                        .toList(),
                s.getInfo().getRecentActions().stream()
                        .map(r -> r.getAction() instanceof ScheduleActionExecutionStartWorkflow w
                                ? w.getWorkflowId()
                                : null)
                        .filter(Objects::nonNull)
                        .toList());
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}

package ai.clawfactory.api.schedules;

import ai.clawfactory.api.problem.Problem;
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
import java.time.Instant;

/** The schedules: list them; trigger, pause or unpause one. */
@Controller("/api/v1/schedules")
@Tag(name = "schedules")
@ExecuteOn(TaskExecutors.BLOCKING)
final class SchedulesController {

    private final Schedules schedules;

    SchedulesController(Schedules schedules) {
        this.schedules = schedules;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "List the schedules", description = "Every schedule in the namespace, sorted by id.")
    Schedules.ScheduleList list() {
        return schedules.list();
    }

    @Post(uri = "/{id}/trigger", produces = MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Trigger a schedule",
            description = "Starts its workflow now, as the schedule would (its overlap policy applies).")
    @ApiResponse(
            responseCode = "202",
            description = "Triggered",
            content = @Content(schema = @Schema(implementation = Schedules.Done.class)))
    @ApiResponse(
            responseCode = "404",
            description = "No such schedule",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    HttpResponse<Schedules.Done> trigger(@PathVariable String id) {
        return HttpResponse.accepted().body(schedules.trigger(id));
    }

    @Post(uri = "/{id}/pause", produces = MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Pause a schedule",
            description = "No further runs start until it is unpaused (a sync does not unpause it).")
    @ApiResponse(
            responseCode = "200",
            description = "Paused",
            content = @Content(schema = @Schema(implementation = Schedules.Done.class)))
    @ApiResponse(
            responseCode = "404",
            description = "No such schedule",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    Schedules.Done pause(@PathVariable String id) {
        schedules.handle(id, "pausing").pause("paused through the API at " + Instant.now());
        return new Schedules.Done(id, "paused");
    }

    @Post(uri = "/{id}/unpause", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Unpause a schedule", description = "Runs start again as the schedule says.")
    @ApiResponse(
            responseCode = "200",
            description = "Unpaused",
            content = @Content(schema = @Schema(implementation = Schedules.Done.class)))
    @ApiResponse(
            responseCode = "404",
            description = "No such schedule",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    Schedules.Done unpause(@PathVariable String id) {
        schedules.handle(id, "unpausing").unpause("unpaused through the API at " + Instant.now());
        return new Schedules.Done(id, "unpaused");
    }
}

package ai.clawfactory.api.schedules;

import ai.clawfactory.api.problem.ApiProblem;
import ai.clawfactory.api.temporal.TemporalErrors;
import ai.clawfactory.core.Names;
import ai.clawfactory.core.definition.NamePatterns;
import io.grpc.Status;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleListActionStartWorkflow;
import io.temporal.client.schedules.ScheduleListDescription;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The schedules as the API and the MCP server show and use them: list them, and the handle of one
 * after checking it exists (404 when not). The controller and the MCP tools both call this.
 */
@Singleton
public final class Schedules {

    /** Most schedules listed (one page of Temporal's list). */
    private static final int MAX = 200;

    /** A schedule: the type it starts, whether clawfactory manages it, paused, its next and recent runs. */
    public record ScheduleView(
            String id,
            String workflowType,
            boolean managed,
            boolean paused,
            String note,
            List<String> nextRunTimes,
            List<String> recentRunIds) {}

    @io.swagger.v3.oas.annotations.media.Schema(name = "Schedules")
    public record ScheduleList(List<ScheduleView> schedules) {}

    /** What an action answers: the schedule and what was done. */
    public record Done(String id, String action) {}

    private final ScheduleClient schedules;

    Schedules(ScheduleClient schedules) {
        this.schedules = schedules;
    }

    /** Every schedule in the namespace (at most one page of Temporal's list), sorted by id. */
    public ScheduleList list() {
        try {
            List<ScheduleView> views = schedules
                    .listSchedules(MAX)
                    .limit(MAX)
                    .map(Schedules::view)
                    .sorted(Comparator.comparing(ScheduleView::id))
                    .collect(Collectors.toList());
            return new ScheduleList(views);
        } catch (RuntimeException e) {
            throw TemporalErrors.unavailable("listing the schedules", e);
        }
    }

    /** Starts the schedule's workflow now, as the schedule would (its overlap policy applies). */
    public Done trigger(String id) {
        handle(id, "triggering").trigger();
        return new Done(id, "triggered");
    }

    /** The schedule's handle after checking it exists (a handle alone is never 404). */
    public ScheduleHandle handle(String id, String doing) {
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

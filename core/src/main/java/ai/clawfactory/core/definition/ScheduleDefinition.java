package ai.clawfactory.core.definition;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A schedule declared next to its workflow. Exactly one way of saying when: {@code cron}
 * expressions (5 fields), an {@code interval} (with optional {@code offset}), or one instant
 * {@code at} (a one-shot: one run, then the schedule is removed unless {@code deleteAfterRun} is false).
 *
 * @param id             the Temporal schedule id
 * @param cron           cron expressions, evaluated in {@code timezone}
 * @param interval       a fixed interval, or null
 * @param offset         phase of the interval, or null
 * @param timezone       IANA timezone the cron expressions are read in
 * @param overlap        overlap policy: skip, bufferOne, bufferAll, cancelOther, terminateOther, allowAll
 * @param catchupWindow  how late a missed action may still run (e.g. after downtime)
 * @param jitter         random delay added to each action, or null
 * @param pauseOnFailure pause the schedule when a run fails
 * @param paused         create the schedule paused
 * @param workflowId     id prefix of started runs (Temporal appends the time)
 * @param input          input of started runs, merged over the workflow's defaults
 * @param note           note shown in the UI
 * @param workflow       the workflow type it starts: its own workflow's name, or the one a
 *                       schedule-only file names
 * @param source         the file it is declared in
 * @param at             the one instant a one-shot schedule runs at, or null
 * @param deleteAfterRun a one-shot schedule is deleted by the next sync after it ran (default true)
 * @param alertOnSkip    fires the server skipped (overlap) or missed (catch-up window) alert like a failed run
 */
public record ScheduleDefinition(
        String id,
        List<String> cron,
        Duration interval,
        Duration offset,
        String timezone,
        String overlap,
        Duration catchupWindow,
        Duration jitter,
        boolean pauseOnFailure,
        boolean paused,
        String workflowId,
        Map<String, String> input,
        String note,
        String workflow,
        String source,
        Instant at,
        boolean deleteAfterRun,
        boolean alertOnSkip) {

    /** A schedule without {@code alertOnSkip} (the fields before it). */
    public ScheduleDefinition(
            String id,
            List<String> cron,
            Duration interval,
            Duration offset,
            String timezone,
            String overlap,
            Duration catchupWindow,
            Duration jitter,
            boolean pauseOnFailure,
            boolean paused,
            String workflowId,
            Map<String, String> input,
            String note,
            String workflow,
            String source,
            Instant at,
            boolean deleteAfterRun) {
        this(
                id,
                cron,
                interval,
                offset,
                timezone,
                overlap,
                catchupWindow,
                jitter,
                pauseOnFailure,
                paused,
                workflowId,
                input,
                note,
                workflow,
                source,
                at,
                deleteAfterRun,
                false);
    }

    /** A recurring schedule (cron or interval). */
    public ScheduleDefinition(
            String id,
            List<String> cron,
            Duration interval,
            Duration offset,
            String timezone,
            String overlap,
            Duration catchupWindow,
            Duration jitter,
            boolean pauseOnFailure,
            boolean paused,
            String workflowId,
            Map<String, String> input,
            String note,
            String workflow,
            String source) {
        this(
                id,
                cron,
                interval,
                offset,
                timezone,
                overlap,
                catchupWindow,
                jitter,
                pauseOnFailure,
                paused,
                workflowId,
                input,
                note,
                workflow,
                source,
                null,
                false);
    }

    /** True for a one-shot schedule ({@code at}). */
    public boolean oneShot() {
        return at != null;
    }
}

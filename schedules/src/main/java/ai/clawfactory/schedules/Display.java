package ai.clawfactory.schedules;

import ai.clawfactory.core.definition.Durations;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.schedules.ScheduleActionExecution;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleCalendarSpec;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleRange;
import io.temporal.client.schedules.ScheduleSpec;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Rendering schedules for people. */
final class Display {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx", Locale.ROOT);

    private Display() {}

    static ZoneId zone(ScheduleSpec spec) {
        String tz = spec == null ? null : spec.getTimeZoneName();
        try {
            return tz == null || tz.isEmpty() ? ZoneOffset.UTC : ZoneId.of(tz);
        } catch (DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }

    static String time(Instant t, ZoneId zone) {
        return t == null ? "-" : TIME.format(t.atZone(zone));
    }

    static String timezone(ScheduleSpec spec) {
        return spec == null
                        || spec.getTimeZoneName() == null
                        || spec.getTimeZoneName().isEmpty()
                ? "UTC (unset)"
                : spec.getTimeZoneName();
    }

    /** A schedule spec as cron-like text, whatever form the server keeps it in. */
    static String spec(ScheduleSpec spec) {
        if (spec == null) {
            return "-";
        }
        List<String> parts = new ArrayList<>();
        if (spec.getCronExpressions() != null) {
            spec.getCronExpressions().forEach(c -> parts.add("cron \"" + c + "\""));
        }
        if (spec.getCalendars() != null) {
            for (ScheduleCalendarSpec c : spec.getCalendars()) {
                String once = once(c);
                if (once != null) {
                    parts.add(once);
                    continue;
                }
                parts.add("cron \""
                        + String.join(
                                " ",
                                ranges(c.getMinutes(), 0, 59),
                                ranges(c.getHour(), 0, 23),
                                ranges(c.getDayOfMonth(), 1, 31),
                                ranges(c.getMonth(), 1, 12),
                                ranges(c.getDayOfWeek(), 0, 6))
                        + "\"");
            }
        }
        if (spec.getIntervals() != null) {
            for (ScheduleIntervalSpec i : spec.getIntervals()) {
                parts.add("every " + Durations.format(i.getEvery())
                        + (i.getOffset() == null || i.getOffset().isZero()
                                ? ""
                                : " offset " + Durations.format(i.getOffset())));
            }
        }
        return parts.isEmpty() ? "(no times)" : String.join(" | ", parts);
    }

    /** {@code once at 2027-06-01T08:00:00Z} for a calendar entry naming one second of one year (a one-shot). */
    private static String once(ScheduleCalendarSpec c) {
        List<List<ScheduleRange>> fields =
                List.of(c.getYear(), c.getMonth(), c.getDayOfMonth(), c.getHour(), c.getMinutes(), c.getSeconds());
        int[] v = new int[6];
        for (int i = 0; i < 6; i++) {
            List<ScheduleRange> f = fields.get(i);
            if (f == null
                    || f.size() != 1
                    || Math.max(f.get(0).getEnd(), f.get(0).getStart())
                            != f.get(0).getStart()) {
                return null;
            }
            v[i] = f.get(0).getStart();
        }
        try {
            return "once at " + java.time.LocalDateTime.of(v[0], v[1], v[2], v[3], v[4], v[5]);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    private static String ranges(List<ScheduleRange> ranges, int min, int max) {
        if (ranges == null || ranges.isEmpty()) {
            return "*";
        }
        if (ranges.size() == 1) {
            ScheduleRange r = ranges.get(0);
            if (r.getStart() <= min && r.getEnd() >= max && r.getStep() <= 1) {
                return "*";
            }
        }
        return ranges.stream()
                .map(r -> {
                    int end = Math.max(r.getEnd(), r.getStart());
                    String text = end == r.getStart() ? String.valueOf(r.getStart()) : r.getStart() + "-" + end;
                    if (r.getStep() > 1) {
                        text = (r.getStart() <= min && end >= max ? "*" : text) + "/" + r.getStep();
                    }
                    return text;
                })
                .collect(Collectors.joining(","));
    }

    static String workflowId(ScheduleActionExecution a) {
        return a instanceof ScheduleActionExecutionStartWorkflow w ? w.getWorkflowId() : "-";
    }

    /** The status of the run an action started: running, completed, failed, ... */
    static String runStatus(TemporalOptions.Connection conn, ScheduleActionResult r) {
        if (!(r.getAction() instanceof ScheduleActionExecutionStartWorkflow w)) {
            return "-";
        }
        try {
            var info = conn.stubs()
                    .blockingStub()
                    .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                            .setNamespace(conn.namespace())
                            .setExecution(WorkflowExecution.newBuilder()
                                    .setWorkflowId(w.getWorkflowId())
                                    .setRunId(w.getFirstExecutionRunId()))
                            .build())
                    .getWorkflowExecutionInfo();
            return info.getStatus()
                    .name()
                    .replace("WORKFLOW_EXECUTION_STATUS_", "")
                    .toLowerCase(Locale.ROOT)
                    .replace('_', '-');
        } catch (RuntimeException e) {
            if (Failures.isNotFound(e)) {
                return "gone (retention)";
            }
            throw e;
        }
    }

    /**
     * The fires the server did not run, from its schedule info: skipped because a run was still
     * going (overlap skip) and missed because they were later than the catch-up window
     * (e.g. the server was down), or {@code -}.
     */
    static String skipped(long overlap, long missed) {
        if (overlap == 0 && missed == 0) {
            return "-";
        }
        return overlap + " skipped, " + missed + " missed";
    }
}

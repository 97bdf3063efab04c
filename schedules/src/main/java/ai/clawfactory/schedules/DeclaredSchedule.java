package ai.clawfactory.schedules;

import ai.clawfactory.core.Names;
import ai.clawfactory.core.definition.Describe;
import ai.clawfactory.core.definition.Durations;
import ai.clawfactory.core.definition.ScheduleDefinition;
import ai.clawfactory.core.definition.WorkflowDefinition;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleCalendarSpec;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleRange;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A schedule as a definition file declares it: its canonical form (what the content hash covers),
 * and the Temporal {@link Schedule} it becomes.
 *
 * @param id           schedule id
 * @param workflowType the workflow type it starts (the definition's name)
 * @param source       the file it is declared in
 * @param definition   the schedule block
 * @param canonical    every field that matters, as sorted text; its hash says whether the server copy is current
 * @param summary      the started runs' summary in the Web UI (the definition's description), or null
 * @param details      the started runs' details in the Web UI (the steps as Markdown), or null
 */
record DeclaredSchedule(
        String id,
        String workflowType,
        String source,
        ScheduleDefinition definition,
        Map<String, String> canonical,
        String summary,
        String details) {

    static DeclaredSchedule of(WorkflowDefinition workflow) {
        return of(workflow.schedule(), workflow, Names.TASK_QUEUE);
    }

    /** @param workflow the definition the schedule starts (for the runs' summary and details), or null */
    static DeclaredSchedule of(ScheduleDefinition s, WorkflowDefinition workflow, String taskQueue) {
        Map<String, String> c = new TreeMap<>();
        c.put("workflowType", s.workflow());
        c.put("taskQueue", taskQueue);
        if (s.oneShot()) {
            c.put("at", s.at().toString());
            c.put("deleteAfterRun", String.valueOf(s.deleteAfterRun()));
        } else if (!s.cron().isEmpty()) {
            c.put("cron", String.join(" | ", s.cron()));
        } else {
            c.put("interval", Durations.format(s.interval()));
            c.put("offset", s.offset() == null ? "0s" : Durations.format(s.offset()));
        }
        c.put("timezone", s.timezone());
        c.put("jitter", s.jitter() == null ? "0s" : Durations.format(s.jitter()));
        c.put("overlap", s.overlap());
        c.put("catchupWindow", Durations.format(s.catchupWindow()));
        c.put("pauseOnFailure", String.valueOf(s.pauseOnFailure()));
        c.put("paused", String.valueOf(s.paused()));
        c.put("workflowId", s.workflowId());
        c.put(
                "input",
                new TreeMap<>(s.input())
                        .entrySet().stream()
                                .map(e -> e.getKey() + "=" + e.getValue())
                                .collect(Collectors.joining(", ", "{", "}")));
        c.put("note", s.note() == null ? "" : s.note());
        String summary = workflow == null ? null : Describe.summary(workflow);
        String details = workflow == null ? null : Describe.details(workflow);
        if (workflow != null) {
            c.put("summary", summary);
            // The details are a table: compared by hash, so a plan line stays short.
            c.put("details", hash(details));
        }
        return new DeclaredSchedule(s.id(), s.workflow(), s.source(), s, Map.copyOf(c), summary, details);
    }

    /** Short content hash of {@link #canonical}. */
    String hash() {
        return hash(specText());
    }

    /** The canonical form as stored in the memo: one {@code key=value} line per field, sorted. */
    String specText() {
        return new TreeMap<>(canonical)
                .entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n"));
    }

    static String hash(String specText) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(specText.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses {@link #specText()} back into fields (for diffs against what the server holds). */
    static Map<String, String> parseSpecText(String text) {
        Map<String, String> m = new TreeMap<>();
        if (text != null) {
            for (String line : text.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    m.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        }
        return m;
    }

    /** A one-line summary: {@code cron "0 4 * * *" UTC} or {@code every 30m UTC}. */
    String when() {
        if (definition.oneShot()) {
            return "once at " + definition.at() + (definition.deleteAfterRun() ? "" : " (kept after it ran)");
        }
        return (definition.cron().isEmpty()
                        ? "every " + canonical.get("interval")
                                + ("0s".equals(canonical.get("offset")) ? "" : " offset " + canonical.get("offset"))
                        : "cron \"" + canonical.get("cron") + "\"")
                + " " + definition.timezone();
    }

    /**
     * Memo of the schedule itself: the managed-by marker and where it was first declared. Set once
     * at creation: the server refuses memo updates on schedules ("memo updates are not supported on
     * workflow-backed schedules"), which is why the content hash lives in {@link #actionMemo()}.
     */
    Map<String, Object> scheduleMemo() {
        Map<String, Object> memo = new LinkedHashMap<>();
        memo.put(Names.MEMO_MANAGED_BY, Names.MANAGED_BY_VALUE);
        memo.put(Names.MEMO_SOURCE, source);
        return memo;
    }

    /**
     * Memo of the schedule's start-workflow action, which an update replaces as a whole: the content
     * hash, the spec text (to say what changed) and the source file. Runs the schedule starts carry
     * it too, so each run shows which version of the schedule started it.
     */
    Map<String, Object> actionMemo() {
        Map<String, Object> memo = new LinkedHashMap<>();
        memo.put(Names.MEMO_SCHEDULE, id);
        memo.put(Names.MEMO_SPEC_HASH, hash());
        memo.put(Names.MEMO_SPEC, specText());
        memo.put(Names.MEMO_SOURCE, source);
        return memo;
    }

    /** The schedule Temporal should hold; {@code state} is the declared one (paused, note). */
    Schedule toSchedule(ScheduleState state) {
        ScheduleSpec.Builder spec = ScheduleSpec.newBuilder().setTimeZoneName(definition.timezone());
        if (definition.oneShot()) {
            // One calendar entry matching exactly that second (year included, so it never recurs),
            // read in UTC; the state allows a single action (see declaredState).
            ZonedDateTime t = definition.at().atZone(ZoneOffset.UTC);
            spec.setTimeZoneName("UTC")
                    .setCalendars(List.of(ScheduleCalendarSpec.newBuilder()
                            .setSeconds(List.of(new ScheduleRange(t.getSecond())))
                            .setMinutes(List.of(new ScheduleRange(t.getMinute())))
                            .setHour(List.of(new ScheduleRange(t.getHour())))
                            .setDayOfMonth(List.of(new ScheduleRange(t.getDayOfMonth())))
                            .setMonth(List.of(new ScheduleRange(t.getMonthValue())))
                            .setYear(List.of(new ScheduleRange(t.getYear())))
                            .setDayOfWeek(List.of(new ScheduleRange(0, 6)))
                            .setComment("once at " + definition.at())
                            .build()));
        } else if (!definition.cron().isEmpty()) {
            spec.setCronExpressions(definition.cron());
        } else {
            spec.setIntervals(List.of(new ScheduleIntervalSpec(
                    definition.interval(), definition.offset() == null ? Duration.ZERO : definition.offset())));
        }
        if (definition.jitter() != null && !definition.jitter().isZero()) {
            spec.setJitter(definition.jitter());
        }
        WorkflowOptions.Builder options = WorkflowOptions.newBuilder()
                .setWorkflowId(definition.workflowId())
                .setTaskQueue(canonical.get("taskQueue"))
                .setMemo(actionMemo());
        if (summary != null) {
            // Shown in the Web UI for every run the schedule starts (the schedule copies them).
            options.setStaticSummary(summary).setStaticDetails(details);
        }
        ScheduleActionStartWorkflow.Builder action = ScheduleActionStartWorkflow.newBuilder()
                .setWorkflowType(workflowType)
                .setOptions(options.build());
        if (!definition.input().isEmpty()) {
            action.setArguments(new TreeMap<>(definition.input()));
        }
        return Schedule.newBuilder()
                .setAction(action.build())
                .setSpec(spec.build())
                .setPolicy(SchedulePolicy.newBuilder()
                        .setOverlap(overlapPolicy(definition.overlap()))
                        .setCatchupWindow(definition.catchupWindow())
                        .setPauseOnFailure(definition.pauseOnFailure())
                        .build())
                .setState(state)
                .build();
    }

    /** The state a newly created schedule gets. */
    ScheduleState declaredState() {
        ScheduleState.Builder state =
                ScheduleState.newBuilder().setPaused(definition.paused()).setNote(declaredNote());
        if (definition.oneShot()) {
            state.setLimitedAction(true).setRemainingActions(1);
        }
        return state.build();
    }

    String declaredNote() {
        if (definition.note() != null && !definition.note().isBlank()) {
            return definition.note();
        }
        return "Managed by clawfactory-schedules; declared in "
                + Path.of(source).getFileName() + ". Change the file and run schedules sync.";
    }

    /** Our overlap names (as in the definition format) to Temporal's enum. */
    static ScheduleOverlapPolicy overlapPolicy(String name) {
        return switch (name) {
            case "skip" -> ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP;
            case "bufferOne" -> ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ONE;
            case "bufferAll" -> ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ALL;
            case "cancelOther" -> ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_CANCEL_OTHER;
            case "terminateOther" -> ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_TERMINATE_OTHER;
            case "allowAll" -> ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL;
            default -> throw new IllegalArgumentException("unknown overlap policy '" + name + "'");
        };
    }

    /** Temporal's enum back to our names, for display. */
    static String overlapName(ScheduleOverlapPolicy p) {
        if (p == null) {
            return "skip";
        }
        return switch (p) {
            case SCHEDULE_OVERLAP_POLICY_BUFFER_ONE -> "bufferOne";
            case SCHEDULE_OVERLAP_POLICY_BUFFER_ALL -> "bufferAll";
            case SCHEDULE_OVERLAP_POLICY_CANCEL_OTHER -> "cancelOther";
            case SCHEDULE_OVERLAP_POLICY_TERMINATE_OTHER -> "terminateOther";
            case SCHEDULE_OVERLAP_POLICY_ALLOW_ALL -> "allowAll";
            default -> "skip";
        };
    }
}

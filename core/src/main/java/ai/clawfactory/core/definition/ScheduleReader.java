package ai.clawfactory.core.definition;

import ai.clawfactory.core.WorkflowIds;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a {@code schedule} block (a workflow's own, or a schedule-only file's): what the schema
 * cannot say (cron syntax, zones, one-shot times, inputs, and what Temporal's server refuses of
 * durations), and the model.
 */
final class ScheduleReader {
    /** Temporal's shortest schedule interval (its scheduler: "interval is too small"). */
    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    /** Temporal's shortest catch-up window. */
    static final Duration MIN_CATCHUP_WINDOW = Duration.ofSeconds(10);
    /** The overlap policy when none is set, as the schema's {@code default} says. */
    static final String DEFAULT_OVERLAP = DefinitionSchema.defaultAt("scheduleFields", "/properties/overlap");
    /** Whether a one-shot's schedule is deleted after its run when the file does not say, as the schema's default says. */
    static final boolean DEFAULT_DELETE_AFTER_RUN =
            Boolean.parseBoolean(DefinitionSchema.defaultAt("scheduleFields", "/properties/deleteAfterRun"));

    private final String defaultTimezone;

    /** @param defaultTimezone the zone of a schedule that names none, or null: then it is required */
    ScheduleReader(String defaultTimezone) {
        this.defaultTimezone = defaultTimezone;
    }

    /**
     * A schedule block. {@code workflowName} null means a schedule-only file: then
     * {@code workflow} and {@code id} are required and inputs are checked once the folder is read.
     */
    FileRead.ScheduleRead read(YamlCursor at, String workflowName, Map<String, String> workflowInput) {
        if (!at.isMapping()) {
            return null;
        }
        String path = at.path();
        Problems problems = at.problems();
        boolean scheduleOnly = workflowInput == null;
        String workflow = workflowName;
        FileRead.Position workflowAt = FileRead.Position.UNKNOWN;
        if (scheduleOnly) {
            String named = at.text("workflow");
            workflow = named != null && DefinitionLoader.NAME.matcher(named).matches() ? named : null;
            workflowAt = FileRead.Position.of(at.get("workflow"));
        }
        String id = at.text("id");
        if (id == null && workflowName != null) {
            id = WorkflowIds.defaultScheduleId(workflowName);
        }
        List<String> cron = new ArrayList<>();
        YamlCursor crons = at.get("cron");
        if (crons != null) {
            for (YamlCursor item : crons.items()) {
                String expr = item.text();
                if (expr != null) {
                    String err = DefinitionLoader.checkCron(expr);
                    if (err != null) {
                        item.problem(err);
                    }
                    cron.add(expr.trim());
                }
            }
        }
        YamlCursor calendar = at.get("calendar");
        if (calendar != null) {
            String expr = calendar(calendar);
            if (expr != null) {
                cron.add(expr);
            }
        }
        Duration interval = at.positiveDuration("interval", null);
        Duration offset = at.duration("offset", null); // without an interval: the schema's to say
        // What the server's schedule spec check refuses (sync would stop half-way) or silently changes.
        if (interval != null && interval.compareTo(MIN_INTERVAL) < 0) {
            at.get("interval").problem("at least 1s (Temporal's shortest interval)");
        } else if (interval != null) {
            wholeSeconds(at.get("interval"), interval);
        }
        if (offset != null && interval != null && offset.compareTo(interval) >= 0) {
            at.get("offset")
                    .problem("must be shorter than the interval (" + Durations.format(interval)
                            + "): an offset places each fire within one interval");
        } else if (offset != null) {
            wholeSeconds(at.get("offset"), offset);
        }
        String tz = at.text("timezone");
        String atText = at.text("at"); // which one of cron, calendar, interval or at: the schema's to say
        Instant instant = null;
        if (atText != null) {
            try {
                instant = OffsetDateTime.parse(atText).toInstant();
                if (tz == null) {
                    tz = "UTC";
                }
            } catch (DateTimeParseException e) {
                instant = local(at.get("at"), atText, tz != null ? tz : defaultTimezone);
            }
        }
        if (tz == null) {
            if (defaultTimezone == null) {
                at.problem(
                        path + ".timezone",
                        "missing: an IANA timezone such as UTC or Europe/Berlin "
                                + "(required so the host's zone is never used by accident; or set SCHEDULES_DEFAULT_TIMEZONE)");
            } else {
                tz = defaultTimezone;
                if (!inTzDatabase(tz)) {
                    at.problem(
                            path + ".timezone",
                            "none is set, and the default from " + DefinitionLoader.DEFAULT_TIMEZONE_ENV + ", '" + tz
                                    + "', is not an IANA timezone (e.g. UTC, Europe/Berlin)");
                }
            }
        } else {
            YamlCursor zone = at.get("timezone");
            WaitSlice.zone(zone, tz);
            if (isZone(tz) && !inTzDatabase(tz)) {
                zone.problem("'" + tz + "' is not a zone of the tz database, which Temporal reads (name a region, e.g. "
                        + "UTC, Europe/Berlin, America/New_York; Etc/GMT-1 for a fixed UTC+01:00)");
            }
        }
        String overlap = at.text("overlap");
        Duration catchup = at.positiveDuration("catchupWindow", DefinitionLoader.DEFAULT_CATCHUP_WINDOW);
        if (catchup != null && catchup.compareTo(MIN_CATCHUP_WINDOW) < 0) {
            at.get("catchupWindow").problem("must be at least 10s (Temporal's minimum)");
        }
        Duration jitter = at.duration("jitter", null);
        Map<String, String> input = new LinkedHashMap<>();
        Map<String, FileRead.Position> inputsAt = new LinkedHashMap<>();
        YamlCursor inputs = at.get("input");
        if (inputs != null) {
            for (YamlCursor.Entry e : inputs.entries()) {
                String v = e.value().text();
                if (scheduleOnly) {
                    inputsAt.put(
                            e.key(),
                            new FileRead.Position(
                                    Problems.line(e.keyNode()),
                                    e.keyNode().getStartMark().getColumn() + 1));
                    if (v != null) {
                        input.put(e.key(), v);
                    }
                } else if (!workflowInput.containsKey(e.key())) {
                    problems.add(
                            e.keyNode(),
                            e.value().path(),
                            "'" + e.key() + "' is not a declared input of this workflow (declared: "
                                    + (workflowInput.isEmpty() ? "none" : String.join(", ", workflowInput.keySet()))
                                    + ")");
                } else if (v != null) {
                    input.put(e.key(), v);
                }
            }
        }
        String workflowId = at.text("workflowId"); // at most what Temporal allows: the schema's to say
        ScheduleDefinition s = new ScheduleDefinition(
                id,
                List.copyOf(cron),
                interval,
                offset,
                tz,
                overlap == null ? DEFAULT_OVERLAP : overlap,
                catchup,
                jitter,
                at.bool("pauseOnFailure", false),
                at.bool("paused", false),
                workflowId == null ? id : workflowId,
                DefinitionLoader.ordered(input),
                at.text("note"),
                workflow,
                problems.file(),
                instant,
                instant != null && at.bool("deleteAfterRun", DEFAULT_DELETE_AFTER_RUN),
                at.bool("alertOnSkip", false));
        return new FileRead.ScheduleRead(
                s, FileRead.Position.of(at.has("id") ? at.get("id") : at), workflowAt, inputsAt);
    }

    /** A local date and time ({@code 2027-01-01T09:00}) in {@code zone}, or null (reported). */
    private static Instant local(YamlCursor at, String text, String zone) {
        try {
            LocalDateTime local = LocalDateTime.parse(text);
            if (zone == null) {
                at.problem("'" + text + "' has no offset: add one (e.g. Z or +01:00) or set schedule.timezone");
                return null;
            }
            return local.atZone(ZoneId.of(zone)).toInstant();
        } catch (DateTimeException e) {
            at.problem("'" + text + "' is not a date and time (write ISO 8601, "
                    + "e.g. 2027-01-01T09:00:00Z or 2027-01-01T09:00 with schedule.timezone)");
            return null;
        }
    }

    /**
     * Temporal's schedules count intervals and offsets in whole seconds: {@code 1500ms} would
     * silently fire every second.
     */
    private static void wholeSeconds(YamlCursor at, Duration d) {
        if (d.getNano() != 0) {
            Duration down = Duration.ofSeconds(d.getSeconds());
            at.problem("whole seconds (Temporal counts intervals in seconds): write " + Durations.format(down) + " or "
                    + Durations.format(down.plusSeconds(1)) + ", not " + at.text());
        }
    }

    private static boolean isZone(String tz) {
        try {
            ZoneId.of(tz);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    /**
     * A zone the server can load: it reads the tz database only, so offsets Java also takes
     * ({@code +01:00}, {@code UTC+1}, {@code Z}) and Java's {@code SystemV/*} zones are refused by
     * {@code schedules sync} ("unknown time zone").
     */
    static boolean inTzDatabase(String tz) {
        return ZONES.contains(tz) && !tz.startsWith("SystemV/");
    }

    /** The tz database's zone ids, read once: getAvailableZoneIds() copies all 600 of them at every call. */
    private static final java.util.Set<String> ZONES = java.util.Set.copyOf(ZoneId.getAvailableZoneIds());

    /** A calendar block, turned into the equivalent cron expression. */
    private static String calendar(YamlCursor at) {
        if (!at.isMapping()) {
            return null;
        }
        Function<String, String> field = key -> {
            if (!at.has(key)) {
                return key.equals("minute") ? "0" : "*";
            }
            String v = at.text(key);
            return v == null ? "*" : v.replace(" ", "");
        };
        String expr = String.join(
                " ",
                field.apply("minute"),
                field.apply("hour"),
                field.apply("dayOfMonth"),
                field.apply("month"),
                field.apply("dayOfWeek"));
        String err = DefinitionLoader.checkCron(expr);
        if (err != null) {
            at.problem("calendar " + err);
            return null;
        }
        return expr;
    }
}

package ai.clawfactory.core.definition;

import static ai.clawfactory.core.definition.DefinitionLoader.DEFAULT_CATCHUP_WINDOW;
import static ai.clawfactory.core.definition.DefinitionLoader.DEFAULT_TIMEZONE_ENV;
import static ai.clawfactory.core.definition.DefinitionLoader.NAME;
import static ai.clawfactory.core.definition.DefinitionLoader.checkCron;
import static ai.clawfactory.core.definition.DefinitionLoader.ordered;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Reads a {@code schedule} block (a workflow's own, or a schedule-only file's). */
abstract class ScheduleReader extends AlertsReader {
    /** Temporal's shortest schedule interval (its scheduler: "interval is too small"). */
    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    /**
     * Longest workflow id a schedule may start: Temporal's id limit (1,000) less the fire time it
     * appends to each run's id ({@code -2009-11-10T23:00:00Z}).
     */
    static final int MAX_WORKFLOW_ID = 1000 - "-2009-11-10T23:00:00Z".length();

    ScheduleDefinition scheduleDefinition;
    int[] scheduleIdPosition = {0, 0};
    /** Set when the file holds just a schedule for a workflow defined elsewhere. */
    ScheduleDefinition standalone;

    int standaloneWorkflowLine;
    int standaloneWorkflowColumn;
    final Map<String, int[]> standaloneInputs = new LinkedHashMap<>();

    ScheduleReader(String file, String text, String defaultTimezone) {
        super(file, text, defaultTimezone);
    }

    /**
     * A schedule block. {@code workflowName} null means a schedule-only file: then
     * {@code workflow} and {@code id} are required and inputs are checked once the folder is read.
     */
    ScheduleDefinition schedule(Node n, String workflowName, Map<String, String> workflowInput) {
        String path = "schedule";
        MappingNode m = mapping(n, path);
        if (m == null) {
            return null;
        }
        Map<String, Node> k = keys(
                m,
                path,
                "id",
                "workflow",
                "cron",
                "calendar",
                "interval",
                "offset",
                "timezone",
                "overlap",
                "catchupWindow",
                "jitter",
                "pauseOnFailure",
                "paused",
                "workflowId",
                "input",
                "note",
                "at",
                "deleteAfterRun",
                "alertOnSkip");
        boolean scheduleOnly = workflowInput == null;
        String workflow = workflowName;
        if (scheduleOnly) {
            workflow = requiredString(k, "workflow", path, NAME);
            if (k.containsKey("workflow")) {
                standaloneWorkflowLine = line(k.get("workflow"));
                standaloneWorkflowColumn = k.get("workflow").getStartMark().getColumn() + 1;
            }
        }
        String id = optionalString(k, "id", path);
        if (id == null && workflowName != null) {
            id = ai.clawfactory.core.WorkflowIds.defaultScheduleId(workflowName);
        }
        List<String> cron = new ArrayList<>();
        if (k.containsKey("cron")) {
            Node c = k.get("cron");
            List<Node> items = c instanceof SequenceNode seq ? seq.getValue() : List.of(c);
            for (Node item : items) {
                String expr = scalar(item, path + ".cron");
                if (expr != null) {
                    String err = checkCron(expr);
                    if (err != null) {
                        problem(item, path + ".cron", err);
                    }
                    cron.add(expr.trim());
                }
            }
        }
        if (k.containsKey("calendar")) {
            String expr = calendar(k.get("calendar"), path + ".calendar");
            if (expr != null) {
                cron.add(expr);
            }
        }
        Duration interval = k.containsKey("interval") ? positiveDuration(k, "interval", path, null) : null;
        Duration offset = k.containsKey("offset") ? duration(k, "offset", path, null) : null;
        if (offset != null && interval == null) {
            problem(k.get("offset"), path + ".offset", "offset only goes with interval");
        }
        // What the server's schedule spec check refuses (sync would stop half-way) or silently changes.
        if (interval != null && interval.compareTo(MIN_INTERVAL) < 0) {
            problem(k.get("interval"), path + ".interval", "at least 1s (Temporal's shortest interval)");
        } else if (interval != null) {
            wholeSeconds(k, "interval", path, interval);
        }
        if (offset != null && interval != null && offset.compareTo(interval) >= 0) {
            problem(
                    k.get("offset"),
                    path + ".offset",
                    "must be shorter than the interval (" + Durations.format(interval)
                            + "): an offset places each fire within one interval");
        } else if (offset != null) {
            wholeSeconds(k, "offset", path, offset);
        }
        boolean hasAt = k.containsKey("at"); // which one of cron, calendar, interval or at: the schema's to say
        if (k.containsKey("deleteAfterRun") && !hasAt) {
            problem(k.get("deleteAfterRun"), path + ".deleteAfterRun", "deleteAfterRun only goes with at (a one-shot)");
        }
        String tz = optionalString(k, "timezone", path);
        String atText = hasAt ? optionalString(k, "at", path) : null;
        java.time.Instant at = null;
        if (atText != null) {
            try {
                at = java.time.OffsetDateTime.parse(atText).toInstant();
                if (tz == null) {
                    tz = "UTC";
                }
            } catch (DateTimeParseException e) {
                try {
                    java.time.LocalDateTime local = java.time.LocalDateTime.parse(atText);
                    String zone = tz != null ? tz : defaultTimezone;
                    if (zone == null) {
                        problem(
                                k.get("at"),
                                path + ".at",
                                "'" + atText + "' has no offset: add one (e.g. Z or +01:00) "
                                        + "or set schedule.timezone");
                    } else {
                        at = local.atZone(ZoneId.of(zone)).toInstant();
                    }
                } catch (DateTimeException e2) {
                    problem(
                            k.get("at"),
                            path + ".at",
                            "'" + atText + "' is not a date and time (write ISO 8601, "
                                    + "e.g. 2027-01-01T09:00:00Z or 2027-01-01T09:00 with schedule.timezone)");
                }
            }
        }
        if (tz == null) {
            if (defaultTimezone == null) {
                problem(
                        m,
                        path + ".timezone",
                        "missing: an IANA timezone such as UTC or Europe/Berlin "
                                + "(required so the host's zone is never used by accident; or set SCHEDULES_DEFAULT_TIMEZONE)");
            } else {
                tz = defaultTimezone;
                if (!inTzDatabase(tz)) {
                    problem(
                            m,
                            path + ".timezone",
                            "none is set, and the default from " + DEFAULT_TIMEZONE_ENV + ", '" + tz
                                    + "', is not an IANA timezone (e.g. UTC, Europe/Berlin)");
                }
            }
        } else {
            zone(k.get("timezone"), path + ".timezone", tz);
            if (isZone(tz) && !inTzDatabase(tz)) {
                problem(
                        k.get("timezone"),
                        path + ".timezone",
                        "'" + tz + "' is not a zone of the tz database, which Temporal reads (name a region, e.g. "
                                + "UTC, Europe/Berlin, America/New_York; Etc/GMT-1 for a fixed UTC+01:00)");
            }
        }
        String overlap = optionalString(k, "overlap", path);
        if (overlap == null) {
            overlap = "skip"; // otherwise one of OVERLAP_POLICIES, as the schema says
        }
        Duration catchup = positiveDuration(k, "catchupWindow", path, DEFAULT_CATCHUP_WINDOW);
        if (catchup != null && catchup.compareTo(Duration.ofSeconds(10)) < 0) {
            problem(k.get("catchupWindow"), path + ".catchupWindow", "must be at least 10s (Temporal's minimum)");
        }
        Duration jitter = k.containsKey("jitter") ? duration(k, "jitter", path, null) : null;
        Map<String, String> input = new LinkedHashMap<>();
        if (k.containsKey("input")) {
            MappingNode im = mapping(k.get("input"), path + ".input");
            if (im != null) {
                for (NodeTuple t : im.getValue()) {
                    String key = scalarText(t.getKeyNode());
                    String v = scalar(t.getValueNode(), path + ".input." + key);
                    if (scheduleOnly) {
                        standaloneInputs.put(key, new int[] {
                            line(t.getKeyNode()), t.getKeyNode().getStartMark().getColumn() + 1
                        });
                        if (v != null) {
                            input.put(key, v);
                        }
                    } else if (key != null && !workflowInput.containsKey(key)) {
                        problem(
                                t.getKeyNode(),
                                path + ".input." + key,
                                "'" + key
                                        + "' is not a declared input of this workflow (declared: "
                                        + (workflowInput.isEmpty() ? "none" : String.join(", ", workflowInput.keySet()))
                                        + ")");
                    } else if (v != null) {
                        input.put(key, v);
                    }
                }
            }
        }
        String workflowId = optionalString(k, "workflowId", path);
        if (workflowId == null) {
            workflowId = id;
        } else if (workflowId.length() > MAX_WORKFLOW_ID) {
            problem(
                    k.get("workflowId"),
                    path + ".workflowId",
                    "is " + workflowId.length() + " characters; at most " + MAX_WORKFLOW_ID
                            + " (Temporal allows 1,000 with the fire time it appends)");
        }
        Node idNode = k.containsKey("id") ? k.get("id") : m;
        scheduleIdPosition = new int[] {line(idNode), idNode.getStartMark().getColumn() + 1};
        scheduleDefinition = new ScheduleDefinition(
                id,
                List.copyOf(cron),
                interval,
                offset,
                tz,
                overlap,
                catchup,
                jitter,
                bool(k, "pauseOnFailure", path, false),
                bool(k, "paused", path, false),
                workflowId,
                ordered(input),
                optionalString(k, "note", path),
                workflow,
                file,
                at,
                at != null && bool(k, "deleteAfterRun", path, true),
                bool(k, "alertOnSkip", path, false));
        return scheduleDefinition;
    }

    /**
     * Temporal's schedules count intervals and offsets in whole seconds: {@code 1500ms} would
     * silently fire every second.
     */
    private void wholeSeconds(Map<String, Node> k, String key, String path, Duration d) {
        if (d.getNano() != 0) {
            Duration down = Duration.ofSeconds(d.getSeconds());
            problem(
                    k.get(key),
                    path + "." + key,
                    "whole seconds (Temporal counts intervals in seconds): write " + Durations.format(down) + " or "
                            + Durations.format(down.plusSeconds(1)) + ", not " + scalarText(k.get(key)));
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
        return ZoneId.getAvailableZoneIds().contains(tz) && !tz.startsWith("SystemV/");
    }

    /** A calendar block, turned into the equivalent cron expression. */
    String calendar(Node n, String path) {
        MappingNode m = mapping(n, path);
        if (m == null) {
            return null;
        }
        Map<String, Node> k = keys(m, path, "minute", "hour", "dayOfMonth", "month", "dayOfWeek");
        Function<String, String> field = key -> {
            if (!k.containsKey(key)) {
                return key.equals("minute") ? "0" : "*";
            }
            String v = scalar(k.get(key), path + "." + key);
            return v == null ? "*" : v.replace(" ", "");
        };
        String expr = String.join(
                " ",
                field.apply("minute"),
                field.apply("hour"),
                field.apply("dayOfMonth"),
                field.apply("month"),
                field.apply("dayOfWeek"));
        String err = checkCron(expr);
        if (err != null) {
            problem(m, path, "calendar " + err);
            return null;
        }
        return expr;
    }
}

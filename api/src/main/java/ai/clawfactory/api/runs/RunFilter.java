package ai.clawfactory.api.runs;

import ai.clawfactory.api.problem.ApiProblem;
import ai.clawfactory.core.Names;
import ai.clawfactory.core.definition.NamePatterns;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The filters of {@code GET /api/v1/runs} as a Temporal visibility query, built from checked
 * values only: a type and a schedule id must match the schema's patterns, a status is one of
 * {@link #STATUSES}, times parse as ISO-8601 instants; each is then written as a quoted literal
 * with quotes and backslashes escaped all the same. No caller text reaches the query otherwise.
 */
public record RunFilter(String type, String status, String schedule, Instant startedAfter, Instant startedBefore) {

    /** The statuses a caller may filter by, and Temporal's name for each. */
    static final Map<String, String> STATUSES = statuses();

    private static Map<String, String> statuses() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("running", "Running");
        m.put("completed", "Completed");
        m.put("failed", "Failed");
        m.put("canceled", "Canceled");
        m.put("terminated", "Terminated");
        m.put("timed_out", "TimedOut");
        m.put("continued_as_new", "ContinuedAsNew");
        return m;
    }

    /** Checks every parameter; throws a 400 naming the first one at fault. */
    public static RunFilter of(String type, String status, String schedule, String startedAfter, String startedBefore) {
        if (type != null && !NamePatterns.isWorkflowType(type)) {
            throw ApiProblem.badRequest(
                    "type", "'type' is not a workflow type: letters, digits, '_', '.', '-', starting with a letter.");
        }
        String temporalStatus = null;
        if (status != null) {
            temporalStatus = STATUSES.get(status.toLowerCase(Locale.ROOT));
            if (temporalStatus == null) {
                throw ApiProblem.badRequest(
                        "status", "'status' is one of " + String.join(", ", STATUSES.keySet()) + ".");
            }
        }
        if (schedule != null && !NamePatterns.isScheduleId(schedule)) {
            throw ApiProblem.badRequest("schedule", "'schedule' is not a schedule id: letters, digits, '_', '.', '-'.");
        }
        return new RunFilter(
                type,
                temporalStatus,
                schedule,
                instant("startedAfter", startedAfter),
                instant("startedBefore", startedBefore));
    }

    private static Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest(name, "'" + name + "' is an ISO-8601 instant such as 2026-12-05T04:00:00Z.");
        }
    }

    /** The visibility query; the alert workflows are never listed (they are not runs of a definition). */
    String query() {
        List<String> clauses = new ArrayList<>();
        clauses.add("WorkflowType != " + literal(Names.WORKFLOW_ALERTS));
        if (type != null) {
            clauses.add("WorkflowType = " + literal(type));
        }
        if (status != null) {
            clauses.add("ExecutionStatus = " + literal(status));
        }
        if (schedule != null) {
            clauses.add("TemporalScheduledById = " + literal(schedule));
        }
        if (startedAfter != null) {
            clauses.add("StartTime >= " + literal(startedAfter.toString()));
        }
        if (startedBefore != null) {
            clauses.add("StartTime < " + literal(startedBefore.toString()));
        }
        return String.join(" AND ", clauses);
    }

    /** A quoted literal; the values are checked already, the escaping holds even if a check is loosened. */
    static String literal(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}

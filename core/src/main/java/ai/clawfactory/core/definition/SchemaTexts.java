package ai.clawfactory.core.definition;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Our sentences for the rules of the schema, by key (see {@link SchemaText}), in place of the
 * validator's generic ones: the rules every file shares here, each step kind's in its slice
 * ({@link StepKindSlice#schemaTexts()}). The sentences that depend on the value are made in
 * {@link SchemaMessages}.
 */
final class SchemaTexts {

    /** Every text, by key: these, and each step kind's own. */
    static final Map<String, SchemaText> ALL = texts();

    private static Map<String, SchemaText> texts() {
        Map<String, SchemaText> t = new LinkedHashMap<>();
        t.put("workflowFile/required/steps", SchemaText.of("missing: a workflow needs at least one step"));
        t.put("steps/minItems", SchemaText.of("is empty: a workflow needs at least one step"));
        t.put(
                "step/required/id",
                SchemaText.of("missing: every step needs an id (letters, digits, '_' or '-', starting with a letter)"));
        t.put(
                "scheduleOnlySchedule/required/workflow",
                SchemaText.of("missing: the workflow type this schedule starts, as named in its definition"));
        t.put(
                "scheduleOnlySchedule/required/id",
                SchemaText.of("missing: a schedule-only file needs its own schedule id"));
        t.put("alertsFile/required/alerts", SchemaText.of("missing: an alerts defaults file holds an 'alerts:' block"));
        t.put(
                "name/pattern",
                SchemaText.of(
                        "is not allowed: letters, digits, '_', '.', '-', starting with a letter (it is the Temporal workflow type)"));
        t.put(
                "inputs/propertyNames",
                SchemaText.of("input names are letters, digits, '_' or '-', starting with a letter"));
        t.put(
                "forEachName/pattern",
                SchemaText.of("is not allowed: letters, digits or '_', starting with a letter (read as {{NAME}})"));
        t.put(
                "forEachName/not",
                SchemaText.of(
                        "is a name templates already use (input, steps, workflow, secret, failure): pick another"));
        t.put(
                "forEachInput/pattern",
                SchemaText.of("is not a list to fan out over: write a list, or a list input as \"{{input.NAME}}\""));
        t.put("stepId/pattern", SchemaText.of("is not allowed: letters, digits, '_' or '-', starting with a letter"));
        t.put("scheduleId/pattern", SchemaText.of("is not a schedule id (letters, digits, '_', '.', '-')"));
        t.put(
                "duration/pattern",
                SchemaText.of("is not a duration (write 500ms, 30s, 10m, 2h, 1h30m, 1d or ISO-8601 PT2H)"));
        t.put("positiveDuration/not", SchemaText.of("must be longer than zero"));
        t.put("scheduleFields/dependentRequired/offset", SchemaText.atProperty("offset only goes with interval"));
        t.put(
                "scheduleFields/dependentRequired/deleteAfterRun",
                SchemaText.atProperty("deleteAfterRun only goes with at (a one-shot)"));
        t.put("alertTurn/not", SchemaText.atChild("expect", "an alert has no output check"));
        t.put(
                "alertsBlock/anyOf",
                SchemaText.of(
                        "needs onFailure (and optionally onRecovery): an agentTurn or http step that tells a person"));
        t.putAll(StepSlices.schemaTexts());
        return Collections.unmodifiableMap(t);
    }

    private SchemaTexts() {}
}

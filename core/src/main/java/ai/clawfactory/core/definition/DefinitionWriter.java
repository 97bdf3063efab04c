package ai.clawfactory.core.definition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the definition model into a definition file: the schema line editors read, header
 * comments, then the YAML. The one writer of the language (the importer's files come from here);
 * each step kind's block is written by its slice ({@link StepKindSlice#write}). Every value is a
 * scalar {@link YamlText} quotes and escapes unless it is a simple word, and every header line
 * goes through {@link YamlText#comment} (one line, whatever it holds): no text in the model can
 * add a key or end a comment.
 *
 * <p>What is left out. The model a file is loaded into is fully resolved (defaults applied), so
 * the writer cannot tell a default from a value written on purpose; it writes what it is given
 * and leaves out only what says nothing: a null, an empty list or mapping, and a primitive
 * (true/false, a count) that holds the value the loader fills in when the key is absent. A model
 * built to be written (the importer's) leaves what it does not set null; a loaded one writes back
 * with its defaults spelt out, which loads to the same model ({@code DefinitionWriterTest}).
 * Where a value lives only in the model (a definition's source and version, an own schedule's
 * workflow), it is never written.
 */
public final class DefinitionWriter {

    /** The first line of a written file: editors (the YAML language server) check it against the schema. */
    public static final String SCHEMA_LINE = "# yaml-language-server: $schema=./clawfactory.definition.schema.json";

    private DefinitionWriter() {}

    /** The file's text: the schema line, each header line as a comment, then {@code d}; the same input gives the same bytes. */
    public static String write(WorkflowDefinition d, List<String> header) {
        StringBuilder sb = new StringBuilder(SCHEMA_LINE).append('\n');
        header.forEach(line -> sb.append(YamlText.comment(line)));
        return sb.append(YamlText.document(tree(d))).toString();
    }

    /** What a YAML parser reads back from {@link #write}: exactly this tree, whatever the texts hold. */
    public static Map<String, Object> tree(WorkflowDefinition d) {
        Map<String, Object> root = new LinkedHashMap<>();
        put(root, "name", d.name());
        put(root, "description", d.description());
        Map<String, Object> input = new LinkedHashMap<>(d.input());
        StepGraph.listInputs(d)
                .keySet()
                .forEach(name ->
                        input.put(name, ForEachDefinition.listOf(d.input().get(name))));
        put(root, "input", input);
        put(root, "maxParallel", d.maxParallel());
        List<Object> steps = new ArrayList<>();
        d.steps().forEach(s -> steps.add(step(s)));
        put(root, "steps", steps);
        if (d.schedule() != null) {
            put(root, "schedule", schedule(d.schedule(), false));
        }
        if (d.alerts() != null) {
            put(root, "alerts", alerts(d.alerts()));
        }
        return root;
    }

    static Map<String, Object> step(StepDefinition s) {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "id", s.id());
        put(m, "when", s.when());
        put(m, "timeout", s.timeout());
        if (s.retry() != null) {
            put(m, "retry", retry(s.retry()));
        }
        if (s.continueOnFailure()) {
            put(m, "continueOnFailure", true);
        }
        put(m, "needs", s.needs());
        if (s.forEach() != null) {
            Map<String, Object> f = new LinkedHashMap<>();
            put(
                    f,
                    "items",
                    s.forEach().items() != null
                            ? s.forEach().items()
                            : "{{input." + s.forEach().input() + "}}");
            put(f, "as", s.forEach().as());
            put(f, "maxParallel", s.forEach().maxParallel());
            put(m, "forEach", f);
        }
        StepAction action = s.action();
        put(m, action.kind().key(), StepSlices.write(action));
        return m;
    }

    static Map<String, Object> retry(RetryDefinition r) {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "initialInterval", r.initialInterval());
        put(m, "backoffCoefficient", r.backoffCoefficient());
        put(m, "maximumInterval", r.maximumInterval());
        put(m, "maximumAttempts", r.maximumAttempts());
        return m;
    }

    /**
     * A schedule: when it runs, where, how, then what it starts with. {@code scheduleOnly} writes
     * the workflow it starts (only a schedule-only file names one).
     */
    static Map<String, Object> schedule(ScheduleDefinition s, boolean scheduleOnly) {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "id", s.id());
        if (scheduleOnly) {
            put(m, "workflow", s.workflow());
        }
        List<String> cron = s.cron() == null ? List.of() : s.cron();
        put(m, "cron", cron.size() == 1 ? cron.get(0) : cron);
        put(m, "interval", s.interval());
        put(m, "offset", s.offset());
        put(m, "at", s.at());
        put(m, "timezone", s.timezone());
        put(m, "overlap", s.overlap());
        put(m, "catchupWindow", s.catchupWindow());
        put(m, "jitter", s.jitter());
        if (s.at() != null && !s.deleteAfterRun()) {
            put(m, "deleteAfterRun", false);
        }
        if (s.pauseOnFailure()) {
            put(m, "pauseOnFailure", true);
        }
        if (s.paused()) {
            put(m, "paused", true);
        }
        if (s.alertOnSkip()) {
            put(m, "alertOnSkip", true);
        }
        put(m, "workflowId", s.workflowId());
        put(m, "input", s.input());
        put(m, "note", s.note());
        return m;
    }

    /** {@code false} for no alerts at all, else the block. */
    static Object alerts(AlertsDefinition a) {
        if (a.onFailure() == null && a.onRecovery() == null) {
            return false;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        if (a.after() != AlertsDefinition.DEFAULT_AFTER) {
            put(m, "after", a.after());
        }
        put(m, "cooldown", a.cooldown());
        put(m, "onFailure", alertAction(a.onFailure()));
        put(m, "onRecovery", alertAction(a.onRecovery()));
        return m;
    }

    private static Map<String, Object> alertAction(AlertAction a) {
        if (a == null || a.action() == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, a.action().kind().key(), StepSlices.write(a.action()));
        return m;
    }

    /**
     * Puts a value as the file writes it, or nothing: null, an empty list or mapping are left out;
     * a duration is written as {@link Durations#format} writes it, an instant in ISO 8601.
     */
    static void put(Map<String, Object> m, String key, Object value) {
        Object v = plain(value);
        if (v == null || v instanceof Collection<?> c && c.isEmpty() || v instanceof Map<?, ?> map && map.isEmpty()) {
            return;
        }
        m.put(key, v);
    }

    private static Object plain(Object value) {
        if (value instanceof Duration d) {
            return Durations.format(d);
        }
        if (value instanceof Instant i) {
            return i.toString();
        }
        if (value instanceof Map<?, ?> map) {
            return new LinkedHashMap<>(map);
        }
        return value;
    }
}

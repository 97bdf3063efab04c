package ai.clawfactory.core.definition;

import java.util.List;
import java.util.Map;

/**
 * The rules a run's input meets, shared by every way in: the worker applies them in workflow code
 * (its {@code WorkflowInput}, where refusing is versioned), the API before it starts a run, so a
 * bad input is refused at the door with the same sentence the run would fail with.
 */
public final class RunInputs {

    /** Most characters of input (keys and values) a run accepts. */
    public static final int MAX_INPUT_CHARS = 64 * 1024;

    private RunInputs() {}

    /**
     * Why this input cannot run (a value that is not text, a number or true/false, except a list of
     * them for an input a {@code forEach} reads; too large), or null.
     */
    public static String refuse(Map<?, ?> map, WorkflowDefinition definition) {
        long size = 0;
        Map<String, String> lists = StepGraph.listInputs(definition);
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object v = e.getValue();
            String fannedBy = lists.get(String.valueOf(e.getKey()));
            if (fannedBy != null) {
                String refused = refuseList(String.valueOf(e.getKey()), v, fannedBy, definition);
                if (refused != null) {
                    return refused;
                }
                size += String.valueOf(e.getKey()).length()
                        + ForEachDefinition.listText((List<?>) v).length();
                continue;
            }
            if (v instanceof Map
                    || v instanceof Iterable
                    || (v != null && v.getClass().isArray())) {
                return "Input '" + e.getKey() + "' of " + definition.name() + " is a "
                        + (v instanceof Map ? "JSON object" : "list")
                        + "; every input value must be text, a number or true/false (" + describe(definition) + ")";
            }
            size += String.valueOf(e.getKey()).length()
                    + (v == null ? 0 : String.valueOf(v).length());
        }
        if (size > MAX_INPUT_CHARS) {
            return "The input of " + definition.name() + " is " + size / 1024 + " KiB; at most "
                    + MAX_INPUT_CHARS / 1024
                    + " KiB is accepted (it travels in every step's history). Pass a reference (a URL or file name) instead";
        }
        return null;
    }

    /** Why {@code v} cannot be the list input {@code name} that step {@code step} fans out over, or null. */
    private static String refuseList(String name, Object v, String step, WorkflowDefinition definition) {
        String what = "Input '" + name + "' of " + definition.name() + " is the list step '" + step + "' fans out over";
        if (!(v instanceof List<?> list)) {
            return what + "; pass a JSON list of texts, numbers or true/false (e.g. [\"a\", \"b\"]), not "
                    + (v == null ? "null" : v instanceof Map ? "a JSON object" : "a single value");
        }
        if (list.size() > ForEachDefinition.maxItems()) {
            return what + "; it has " + list.size() + " items, at most " + ForEachDefinition.maxItems()
                    + " are accepted";
        }
        for (Object item : list) {
            if (item == null
                    || item instanceof Map
                    || item instanceof Iterable
                    || item.getClass().isArray()) {
                return what + "; each item must be a text, a number or true/false, not "
                        + (item == null ? "null" : item instanceof Map ? "a JSON object" : "a list");
            }
        }
        return null;
    }

    /** The first key the definition does not take, or null. */
    public static String unknownKey(Map<?, ?> map, WorkflowDefinition definition) {
        for (Object key : map.keySet()) {
            if (!definition.input().containsKey(String.valueOf(key))) {
                return String.valueOf(key);
            }
        }
        return null;
    }

    /** The sentence for an input key the definition does not take. */
    public static String unknownKeyMessage(String key, WorkflowDefinition definition) {
        return "Unknown input '" + key + "'; " + definition.name() + " takes " + describe(definition);
    }

    /** "no input" or "inputs a, b". */
    public static String describe(WorkflowDefinition d) {
        return d.input().isEmpty()
                ? "no input"
                : "inputs " + String.join(", ", d.input().keySet());
    }
}

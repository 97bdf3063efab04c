package ai.clawfactory.core.definition;

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

    /** Why this input cannot run (a value that is not text, a number or true/false; too large), or null. */
    public static String refuse(Map<?, ?> map, WorkflowDefinition definition) {
        long size = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object v = e.getValue();
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

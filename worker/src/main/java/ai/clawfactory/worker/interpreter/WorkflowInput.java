package ai.clawfactory.worker.interpreter;

import ai.clawfactory.core.Names;
import ai.clawfactory.core.definition.ForEachDefinition;
import ai.clawfactory.core.definition.RunInputs;
import ai.clawfactory.core.definition.StepGraph;
import ai.clawfactory.core.definition.WorkflowDefinition;
import io.temporal.common.converter.EncodedValues;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A run's input, read and checked in workflow code (so the strict-input check is versioned there). */
final class WorkflowInput {

    /** Most characters of input (keys and values) a run accepts. */
    static final int MAX_INPUT_CHARS = RunInputs.MAX_INPUT_CHARS;

    private WorkflowInput() {}

    /**
     * The run's input: the definition's defaults, overridden by the start argument (a JSON object
     * of scalars); anything else fails the run with {@link Names#FAILURE_INVALID_INPUT}.
     */
    @SuppressWarnings("unchecked")
    static Map<String, String> read(EncodedValues args, WorkflowDefinition definition) {
        Map<String, String> input = new LinkedHashMap<>(definition.input());
        if (args.getSize() == 0) {
            return input;
        }
        Object raw;
        try {
            raw = args.get(0, Object.class);
        } catch (RuntimeException e) {
            throw ApplicationFailure.newNonRetryableFailure(
                    "Workflow input is not JSON: " + e.getMessage(), Names.FAILURE_INVALID_INPUT);
        }
        if (raw == null) {
            return input;
        }
        if (!(raw instanceof Map<?, ?> map)) {
            throw ApplicationFailure.newNonRetryableFailure(
                    "Workflow input must be a JSON object of " + describe(definition) + ", not "
                            + raw.getClass().getSimpleName(),
                    Names.FAILURE_INVALID_INPUT);
        }
        Map<String, String> lists = StepGraph.listInputs(definition);
        String refused = refuseInput((Map<Object, Object>) map, definition);
        // Runs started before inputs were checked may hold such input and went on with it: only
        // new runs are refused (versioning policy in package-info; the marker is written only on this path).
        if (refused != null
                && Workflow.getVersion(InterpreterWorkflow.CHANGE_STRICT_INPUT, Workflow.DEFAULT_VERSION, 1) >= 1) {
            throw ApplicationFailure.newNonRetryableFailure(refused, Names.FAILURE_INVALID_INPUT);
        }
        for (Map.Entry<?, ?> e : ((Map<Object, Object>) map).entrySet()) {
            String key = String.valueOf(e.getKey());
            if (!definition.input().containsKey(key)) {
                throw ApplicationFailure.newNonRetryableFailure(
                        RunInputs.unknownKeyMessage(key, definition), Names.FAILURE_INVALID_INPUT);
            }
            input.put(
                    key,
                    e.getValue() instanceof List<?> list && lists.containsKey(key)
                            ? ForEachDefinition.listText(list) // a list input, held as its JSON text
                            : e.getValue() == null ? "" : String.valueOf(e.getValue()));
        }
        return input;
    }

    /**
     * Why this input cannot run (a value that is not text, a number or true/false, except a list of
     * them for an input a {@code forEach} reads; too large), or null.
     */
    static String refuseInput(Map<Object, Object> map, WorkflowDefinition definition) {
        return RunInputs.refuse(map, definition);
    }

    private static String describe(WorkflowDefinition d) {
        return RunInputs.describe(d);
    }
}

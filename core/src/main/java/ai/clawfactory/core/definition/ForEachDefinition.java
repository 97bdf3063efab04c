package ai.clawfactory.core.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A step's fan-out: the step runs once per item, at most {@code maxParallel} at a time, each run
 * reading its item as {@code {{as}}}. Written into history with the definition: it only ever gains
 * components.
 *
 * @param items       the items written in the file, or null when they come from an input
 * @param input       the list input the items come from ({@code {{input.topics}}} reads {@code topics}), or null
 * @param as          the name the step's templates read the item by
 * @param maxParallel most items in flight at once, or null for the definition's {@code maxParallel}
 */
public record ForEachDefinition(List<String> items, String input, String as, Integer maxParallel) {

    /**
     * Most items one fan-out may have, as the schema's {@code $defs/inputList} says. A method, not a
     * constant of this record: workflow code reads the record from history, and initialising it must
     * not load the schema in a workflow thread.
     */
    public static int maxItems() {
        return Limit.MAX_ITEMS;
    }

    private static final class Limit {
        static final int MAX_ITEMS =
                DefinitionSchema.def("inputList").path("maxItems").asInt();
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The items of one run: the written ones, or the list input's (a run's input holds a list as
     * its JSON text, see {@link #listText}); an input that is not a JSON list gives no items.
     */
    public List<String> itemsOf(Map<String, String> runInput) {
        if (items != null) {
            return items;
        }
        return listOf(runInput == null ? null : runInput.get(input));
    }

    /** The values of a list as a run's input holds it ({@link #listText}); anything else gives none. */
    public static List<String> listOf(String text) {
        List<String> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        try {
            JsonNode list = JSON.readTree(text);
            if (list.isArray()) {
                list.forEach(n -> out.add(n.isTextual() ? n.asText() : n.toString()));
            }
        } catch (java.io.IOException e) {
            return out;
        }
        return out;
    }

    /** A list of single values as a run's input holds it: its JSON text ({@code ["a","b"]}), each value as text. */
    public static String listText(List<?> values) {
        List<String> texts = new ArrayList<>();
        for (Object v : values) {
            texts.add(v == null ? "" : String.valueOf(v));
        }
        try {
            return JSON.writeValueAsString(texts);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package ai.clawfactory.api.runs;

import ai.clawfactory.api.problem.ApiProblem;
import ai.clawfactory.core.definition.DefinitionFolder;
import ai.clawfactory.core.definition.DidYouMean;
import ai.clawfactory.core.definition.RunInputs;
import ai.clawfactory.core.definition.WorkflowDefinition;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.http.HttpStatus;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code POST /api/v1/runs}: {@code {"type": "...", "input": {...}}}, read strictly
 * (no other member, no duplicate key, nothing after the object) and checked against the
 * definition as the worker checks a start (core's {@link RunInputs}): unknown type (with a
 * did-you-mean), a type whose file is refused, an input key it does not take, a value that is not
 * text, a number or true/false, more than 64 KiB.
 */
@Schema(name = "StartRun", description = "A run to start: a defined workflow type and its input")
record StartRequest(
        @Schema(
                description = "A workflow type from GET /api/v1/definitions",
                requiredMode = Schema.RequiredMode.REQUIRED)
        String type,

        @Schema(description = "Input values by name (text, numbers, true/false); defaults fill the rest")
        Map<String, Object> input) {

    private static final Set<String> MEMBERS = Set.of("type", "input");

    /** Reads and checks {@code body}; throws a problem naming the member at fault. */
    static StartRequest read(String body, DefinitionFolder definitions) {
        JsonNode root = JsonBodies.object(body, MEMBERS, "{\"type\": \"...\", \"input\": {...}}", "'type' and 'input'");
        JsonNode typeNode = root.get("type");
        if (typeNode == null || !typeNode.isTextual() || typeNode.asText().isBlank()) {
            throw ApiProblem.badRequest("/type", "'type' is required: a workflow type from GET /api/v1/definitions.");
        }
        String type = typeNode.asText();
        WorkflowDefinition definition = definitions.find(type);
        if (definition == null) {
            String refusal = definitions.refusal(type);
            if (refusal != null) {
                throw ApiProblem.of(
                        HttpStatus.UNPROCESSABLE_ENTITY,
                        "definition-refused",
                        "Definition refused",
                        "The file that defines " + type + " has problems, so no run of it can start: "
                                + firstLine(refusal) + " (all of them: GET /api/v1/definitions). Fix the file first.",
                        "/type");
            }
            List<String> known = definitions.knownTypes();
            String hint = DidYouMean.closest(type, known);
            throw ApiProblem.withSuggestion(
                    HttpStatus.UNPROCESSABLE_ENTITY,
                    "unknown-type",
                    "Unknown workflow type",
                    "No definition is named '" + type + "'"
                            + (hint == null ? "" : "; did you mean '" + hint + "'?")
                            + (known.isEmpty() ? " (none is defined)." : " Defined: " + String.join(", ", known) + "."),
                    "/type",
                    hint);
        }
        JsonNode inputNode = root.get("input");
        Map<String, Object> input = null;
        if (inputNode != null && !inputNode.isNull()) {
            if (!inputNode.isObject()) {
                throw ApiProblem.invalid(
                        "/input", "'input' must be a JSON object of " + RunInputs.describe(definition) + ".");
            }
            input = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = inputNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                input.put(e.getKey(), JsonBodies.JSON.convertValue(e.getValue(), Object.class));
            }
            String refused = RunInputs.refuse(input, definition);
            if (refused != null) {
                throw ApiProblem.invalid("/input" + firstOffending(input), refused + ".");
            }
            String unknown = RunInputs.unknownKey(input, definition);
            if (unknown != null) {
                String hint = DidYouMean.closest(unknown, definition.input().keySet());
                throw ApiProblem.withSuggestion(
                        HttpStatus.UNPROCESSABLE_ENTITY,
                        "invalid-input",
                        "Input not accepted",
                        RunInputs.unknownKeyMessage(unknown, definition)
                                + (hint == null ? "." : "; did you mean '" + hint + "'?"),
                        "/input/" + JsonBodies.pointer(unknown),
                        hint);
            }
        }
        return new StartRequest(type, input);
    }

    /** The pointer suffix of the first value that is an object or a list, or "" (a size problem). */
    private static String firstOffending(Map<String, Object> input) {
        for (Map.Entry<String, Object> e : input.entrySet()) {
            if (e.getValue() instanceof Map || e.getValue() instanceof Iterable) {
                return "/" + JsonBodies.pointer(e.getKey());
            }
        }
        return "";
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}

package ai.clawfactory.api.runs;

import ai.clawfactory.api.problem.ApiProblem;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Iterator;
import java.util.Set;

/**
 * The strict reading of a request body every route that takes one shares: one JSON object, no
 * duplicate key, nothing after it, no member it does not take; each refusal a problem naming the
 * member at fault (a JSON pointer) and the shape to send.
 */
final class JsonBodies {

    /** Refuses duplicate keys and trailing tokens. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonBodies() {}

    /**
     * {@code body} as one JSON object holding only {@code members}; {@code shape} is what to send,
     * {@code takes} names the members in the refusal of another ("'type' and 'input'").
     */
    static JsonNode object(String body, Set<String> members, String shape, String takes) {
        JsonNode root;
        try {
            root = JSON.readTree(body == null ? "" : body);
        } catch (JsonParseException e) {
            throw ApiProblem.badRequest(
                    "/",
                    "The body is not JSON (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + "): send " + shape + ".");
        } catch (JsonProcessingException e) {
            throw ApiProblem.badRequest("/", "The body is not one JSON object: send " + shape + ".");
        }
        if (root == null || !root.isObject()) {
            throw ApiProblem.badRequest("/", "The body must be a JSON object: " + shape + ".");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!members.contains(name)) {
                throw ApiProblem.badRequest("/" + pointer(name), "Unknown member; the body takes " + takes + " only.");
            }
        }
        return root;
    }

    /** {@code name} as one JSON pointer token (RFC 6901: {@code ~} and {@code /} escaped). */
    static String pointer(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}

package ai.clawfactory.worker.gateway;

import ai.clawfactory.worker.http.GatewayException;
import ai.clawfactory.worker.http.HttpAnswers;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.Map;

/** JSON in and out for the gateway kinds; a garbled answer becomes a transient failure. */
@Singleton
public class GatewayJson {

    private final JsonMapper mapper;

    public GatewayJson(JsonMapper mapper) {
        this.mapper = mapper;
    }

    public String write(Map<String, Object> body) {
        try {
            return mapper.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode request body", e);
        }
    }

    /** Parses an answer that must be a JSON object. */
    public JsonNode object(String what, int status, String body, String token) {
        JsonNode node;
        try {
            node = body == null || body.isBlank() ? null : mapper.readValue(body, JsonNode.class);
        } catch (IOException | RuntimeException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            throw GatewayException.transientFailure(
                    what + " answered HTTP " + status + " with a body that is not a JSON object: "
                            + HttpAnswers.excerpt(body, token),
                    status,
                    null);
        }
        return node;
    }

    /** A string field, or null when absent or not a string. */
    public static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isString() ? v.getStringValue() : null;
    }
}

package ai.clawfactory.worker.gateway;

import ai.clawfactory.worker.http.GatewayException;
import ai.clawfactory.worker.secret.Redactor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.Map;

/**
 * JSON in and out for the gateway kinds; a garbled answer becomes a transient failure. Plain
 * Jackson, which the Temporal SDK already brings (its payload converter), rather than a second
 * JSON stack.
 */
@Singleton
public class GatewayJson {

    private final ObjectMapper mapper = new ObjectMapper();

    public String write(Map<String, Object> body) {
        try {
            return mapper.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode request body", e);
        }
    }

    /** Parses an answer that must be a JSON object; a refusal quotes the body through {@code redactor}. */
    public JsonNode object(String what, int status, String body, Redactor redactor) {
        JsonNode node;
        try {
            node = body == null || body.isBlank() ? null : mapper.readTree(body);
        } catch (IOException | RuntimeException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            throw GatewayException.transientFailure(
                    what + " answered HTTP " + status + " with a body that is not a JSON object: "
                            + redactor.excerpt(body),
                    status,
                    null);
        }
        return node;
    }

    /** A string field, or null when absent or not a string. */
    public static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }
}

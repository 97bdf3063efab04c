package ai.clawfactory.api.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a tool's arguments against its JSON Schema with the validator core already uses for
 * definitions (networknt 1.5), so the SDK's own supplier (written for networknt 2.x, which the
 * project does not carry) is never loaded. Used by the server for every tool call and by the tests'
 * clients.
 */
public final class SchemaCheck implements JsonSchemaValidator {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private final ObjectMapper json;

    public SchemaCheck(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public ValidationResponse validate(Map<String, Object> schema, Object instance) {
        try {
            JsonNode value = json.valueToTree(instance);
            Set<ValidationMessage> problems =
                    FACTORY.getSchema(json.valueToTree(schema)).validate(value);
            if (problems.isEmpty()) {
                return ValidationResponse.asValid(json.writeValueAsString(value));
            }
            return ValidationResponse.asInvalid("The arguments do not match the tool's schema: "
                    + problems.stream()
                            .map(ValidationMessage::getMessage)
                            .sorted()
                            .collect(Collectors.joining("; ")));
        } catch (Exception e) {
            return ValidationResponse.asInvalid(
                    "The arguments cannot be checked (" + e.getClass().getSimpleName() + ").");
        }
    }
}

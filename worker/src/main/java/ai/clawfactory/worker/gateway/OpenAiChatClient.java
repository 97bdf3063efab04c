package ai.clawfactory.worker.gateway;

import ai.clawfactory.core.definition.AgentTurnDefinition;
import ai.clawfactory.worker.http.GatewayException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway's OpenAI-compatible {@code POST /v1/chat/completions} with
 * {@code model: "openclaw/<agent>"}: slower to set up, but returns the agent's output, so later
 * steps can use {@code {{steps.<id>.output}}}.
 */
final class OpenAiChatClient implements GatewayClient {

    static final String PATH = "/v1/chat/completions";

    private final GatewayEndpoint gateway;

    OpenAiChatClient(GatewayEndpoint gateway) {
        this.gateway = gateway;
    }

    @Override
    public String kind() {
        return GatewayKinds.OPENAI_CHAT;
    }

    @Override
    public String body(TurnRequest request) {
        AgentTurnDefinition t = request.turn();
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("model", "openclaw/" + (t.agentId() != null ? t.agentId() : "main"));
        b.put("messages", List.of(Map.of("role", "user", "content", t.message())));
        b.put("stream", false);
        if (t.sessionKey() != null) {
            b.put("user", t.sessionKey());
        }
        return gateway.json().write(b);
    }

    @Override
    public GatewayReply send(TurnRequest request, String body) {
        GatewayEndpoint.Answer a = gateway.post(
                PATH,
                body,
                gateway.requireToken(kind()),
                request.idempotencyKey(),
                request.readTimeout(),
                status -> status / 100 == 2);
        JsonNode choices = a.object().get("choices");
        JsonNode message = choices != null && choices.isArray() && choices.size() > 0
                ? choices.get(0).get("message")
                : null;
        String content = message == null ? null : GatewayJson.text(message, "content");
        if (content == null) {
            throw GatewayException.transientFailure(
                    a.what() + " answered HTTP " + a.status() + " without choices[0].message.content: " + a.excerpt(),
                    a.status(),
                    null);
        }
        return new GatewayReply(a.status(), GatewayJson.text(a.object(), "id"), false, content);
    }
}

package ai.clawfactory.worker.gateway;

import ai.clawfactory.core.definition.AgentTurnDefinition;
import io.micronaut.json.tree.JsonNode;

import java.net.URI;
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

    private final URI base;
    private final GatewayHttp http;
    private final GatewayJson json;
    private final TokenSource tokens;

    OpenAiChatClient(URI base, GatewayHttp http, GatewayJson json, TokenSource tokens) {
        this.base = base;
        this.http = http;
        this.json = json;
        this.tokens = tokens;
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
        return json.write(b);
    }

    @Override
    public GatewayReply send(TurnRequest request, String body) {
        String token = GatewayKinds.requireToken(tokens, kind());
        GatewayHttp.Exchange x = http.send("POST", base.resolve(PATH), body, Map.of(
                "Authorization", "Bearer " + token,
                "Idempotency-Key", request.idempotencyKey()), request.readTimeout());
        String what = "Gateway POST " + PATH;
        if (x.status() / 100 != 2) {
            throw GatewayHttp.classify(what, x, token);
        }
        JsonNode answer = json.object(what, x.status(), x.body(), token);
        JsonNode choices = answer.get("choices");
        JsonNode message = choices != null && choices.isArray() && choices.size() > 0 ? choices.get(0).get("message") : null;
        String content = message == null ? null : GatewayJson.text(message, "content");
        if (content == null) {
            throw GatewayException.transientFailure(what + " answered HTTP " + x.status()
                    + " without choices[0].message.content: " + GatewayHttp.excerpt(x.body(), token), x.status(), null);
        }
        return new GatewayReply(x.status(), GatewayJson.text(answer, "id"), false, content);
    }
}

package ai.clawfactory.worker.gateway;

import ai.clawfactory.core.definition.AgentTurnDefinition;
import ai.clawfactory.worker.http.GatewayException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OpenClaw's {@code POST /hooks/agent} with {@code waitForCompletion: true}: 200 (or 202 from
 * older gateways) admits the run; {@code completion.status} ok / skipped / error decides it.
 */
final class OpenClawHooksClient implements GatewayClient {

    static final String PATH = "/hooks/agent";
    static final String WAKE_PATH = "/hooks/wake";

    private final GatewayEndpoint gateway;

    OpenClawHooksClient(GatewayEndpoint gateway) {
        this.gateway = gateway;
    }

    @Override
    public String kind() {
        return GatewayKinds.OPENCLAW_HOOKS;
    }

    @Override
    public String body(TurnRequest request) {
        return gateway.json().write(hooksBody(request));
    }

    /** The hooks body; shared with dry-run, which records exactly what would be sent. */
    static Map<String, Object> hooksBody(TurnRequest request) {
        AgentTurnDefinition t = request.turn();
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("message", t.message());
        put(b, "name", t.name());
        put(b, "agentId", t.agentId());
        put(b, "sessionKey", t.sessionKey());
        put(b, "sessionMode", t.sessionMode());
        put(b, "model", t.model());
        put(b, "thinking", t.thinking());
        put(b, "timeoutSeconds", t.timeoutSeconds());
        put(b, "deliver", t.deliver());
        put(b, "channel", t.channel());
        put(b, "to", t.to());
        put(b, "wakeMode", t.wakeMode());
        b.put("idempotencyKey", request.idempotencyKey());
        b.put("waitForCompletion", true);
        return b;
    }

    private static void put(Map<String, Object> b, String k, Object v) {
        if (v != null) {
            b.put(k, v);
        }
    }

    @Override
    public GatewayReply send(TurnRequest request, String body) {
        GatewayEndpoint.Answer a = post(PATH, body, request.idempotencyKey(), request.readTimeout());
        JsonNode answer = a.object();
        String runId = GatewayJson.text(answer, "runId");
        JsonNode completion = answer.get("completion");
        if (completion == null || completion.isNull()) {
            // Admitted but not awaited (an older gateway): the run was accepted, its outcome is not known here.
            return new GatewayReply(a.status(), runId, false, "admitted (the gateway did not report completion)");
        }
        String status = completion.isObject() ? GatewayJson.text(completion, "status") : null;
        // Optional: what became of the reply (delivered, silent, empty, …); an output check with reply: true reads it.
        String disposition = completion.isObject() && completion.get("replyDisposition") != null
                ? java.util.Objects.requireNonNullElse(GatewayJson.text(completion, "replyDisposition"), "")
                : null;
        if ("ok".equals(status)) {
            return new GatewayReply(a.status(), runId, false, summary(completion, "completed"), disposition);
        }
        if ("skipped".equals(status)) {
            return new GatewayReply(a.status(), runId, true, summary(completion, "skipped"), disposition);
        }
        if ("error".equals(status)) {
            String detail = GatewayJson.text(completion, "error");
            throw new GatewayException(
                    GatewayException.Category.AGENT_ERROR,
                    "The agent run " + (runId == null ? "" : runId + " ") + "settled as an error"
                            + (detail == null ? "" : ": " + a.redactor().excerpt(detail)),
                    a.status(),
                    null,
                    runId);
        }
        throw GatewayException.transientFailure(
                a.what() + " answered with an unknown completion status: " + a.excerpt(), a.status(), null);
    }

    /** {@code 200 {"ok":true,"mode":…,"eventOutcome":"queued"}} once the event is queued for the main session. */
    @Override
    public GatewayReply wake(WakeRequest request, String body) {
        GatewayEndpoint.Answer a = post(WAKE_PATH, body, request.idempotencyKey(), request.readTimeout());
        String mode = GatewayJson.text(a.object(), "mode");
        String outcome = GatewayJson.text(a.object(), "eventOutcome");
        return new GatewayReply(
                a.status(),
                null,
                false,
                "woke the main session (" + (mode == null ? request.body().get("mode") : mode)
                        + (outcome == null ? "" : ", " + outcome) + ")");
    }

    /** POSTs to a hook path with the token and idempotency key: admitted is HTTP 200/202, a JSON object, {@code ok:true}. */
    private GatewayEndpoint.Answer post(String path, String body, String idempotencyKey, Duration readTimeout) {
        GatewayEndpoint.Answer a = gateway.post(
                path,
                body,
                gateway.requireToken(kind()),
                idempotencyKey,
                readTimeout,
                status -> status == 200 || status == 202);
        JsonNode ok = a.object().get("ok");
        if (ok == null || !ok.isBoolean() || !ok.booleanValue()) {
            throw GatewayException.transientFailure(
                    a.what() + " answered HTTP " + a.status() + " without ok:true: " + a.excerpt(), a.status(), null);
        }
        return a;
    }

    private static String summary(JsonNode completion, String fallback) {
        for (String field : new String[] {"summary", "text", "message"}) {
            String v = GatewayJson.text(completion, field);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return fallback;
    }
}

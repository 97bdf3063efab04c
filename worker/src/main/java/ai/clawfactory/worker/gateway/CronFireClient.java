package ai.clawfactory.worker.gateway;

import io.micronaut.json.tree.JsonNode;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Python original's legacy {@code POST /api/cron/fire {"job_id": …}}. Unlike the original, a
 * 2xx only counts when the body says {@code "ok": true}.
 */
final class CronFireClient implements GatewayClient {

    static final String PATH = "/api/cron/fire";

    private final URI base;
    private final GatewayHttp http;
    private final GatewayJson json;
    private final TokenSource tokens;

    CronFireClient(URI base, GatewayHttp http, GatewayJson json, TokenSource tokens) {
        this.base = base;
        this.http = http;
        this.json = json;
        this.tokens = tokens;
    }

    @Override
    public String kind() {
        return GatewayKinds.CRON_FIRE;
    }

    @Override
    public String body(TurnRequest request) {
        String job = request.turn().jobId() != null ? request.turn().jobId() : request.turn().name();
        if (job == null) {
            throw new GatewayException(GatewayException.Category.CONFIGURATION,
                    "The cron-fire gateway needs agentTurn.jobId (or name) in the step", null, null, null);
        }
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("job_id", job);
        return json.write(b);
    }

    @Override
    public GatewayReply send(TurnRequest request, String body) {
        String token = tokens.token();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Idempotency-Key", request.idempotencyKey());
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        GatewayHttp.Exchange x = http.send("POST", base.resolve(PATH), body, headers, request.readTimeout());
        String what = "Gateway POST " + PATH;
        if (x.status() / 100 != 2) {
            throw GatewayHttp.classify(what, x, token);
        }
        JsonNode answer = json.object(what, x.status(), x.body(), token);
        JsonNode ok = answer.get("ok");
        if (ok != null && ok.isBoolean() && ok.getBooleanValue()) {
            return new GatewayReply(x.status(), GatewayJson.text(answer, "runId"), false, "fired");
        }
        if (ok != null && ok.isBoolean()) {
            throw new GatewayException(GatewayException.Category.AGENT_ERROR, "The cron job was not fired: "
                    + GatewayHttp.excerpt(x.body(), token), x.status(), null, null);
        }
        throw GatewayException.transientFailure(what + " answered HTTP " + x.status() + " without ok:true: "
                + GatewayHttp.excerpt(x.body(), token), x.status(), null);
    }
}

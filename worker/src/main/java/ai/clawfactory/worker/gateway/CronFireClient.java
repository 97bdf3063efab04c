package ai.clawfactory.worker.gateway;

import ai.clawfactory.worker.http.GatewayException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Python original's legacy {@code POST /api/cron/fire {"job_id": …}}. Unlike the original, a
 * 2xx only counts when the body says {@code "ok": true}.
 */
final class CronFireClient implements GatewayClient {

    static final String PATH = "/api/cron/fire";

    private final GatewayEndpoint gateway;

    CronFireClient(GatewayEndpoint gateway) {
        this.gateway = gateway;
    }

    @Override
    public String kind() {
        return GatewayKinds.CRON_FIRE;
    }

    @Override
    public String body(TurnRequest request) {
        String job = request.turn().jobId() != null
                ? request.turn().jobId()
                : request.turn().name();
        if (job == null) {
            throw new GatewayException(
                    GatewayException.Category.CONFIGURATION,
                    "The cron-fire gateway needs agentTurn.jobId (or name) in the step",
                    null,
                    null,
                    null);
        }
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("job_id", job);
        return gateway.json().write(b);
    }

    @Override
    public GatewayReply send(TurnRequest request, String body) {
        // The legacy endpoint may run without a token.
        GatewayEndpoint.Answer a = gateway.post(
                PATH,
                body,
                gateway.token(),
                request.idempotencyKey(),
                request.readTimeout(),
                status -> status / 100 == 2);
        JsonNode ok = a.object().get("ok");
        if (ok != null && ok.isBoolean() && ok.booleanValue()) {
            return new GatewayReply(a.status(), GatewayJson.text(a.object(), "runId"), false, "fired");
        }
        if (ok != null && ok.isBoolean()) {
            throw new GatewayException(
                    GatewayException.Category.AGENT_ERROR,
                    "The cron job was not fired: " + a.excerpt(),
                    a.status(),
                    null,
                    null);
        }
        throw GatewayException.transientFailure(
                a.what() + " answered HTTP " + a.status() + " without ok:true: " + a.excerpt(), a.status(), null);
    }
}

package ai.clawfactory.worker.gateway;

import ai.clawfactory.worker.http.GatewayException;
import ai.clawfactory.worker.http.HttpAnswers;
import ai.clawfactory.worker.http.HttpExchange;
import ai.clawfactory.worker.http.HttpSender;
import ai.clawfactory.worker.secret.Redactor;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * What every gateway kind that sends over HTTP shares: where the gateway is, plain HTTP, JSON and
 * the token, and the POST that carries the token and idempotency key and classifies a refusal.
 */
final class GatewayEndpoint {

    private final URI base;
    private final HttpSender http;
    private final GatewayJson json;
    private final TokenSource tokens;

    GatewayEndpoint(URI base, HttpSender http, GatewayJson json, TokenSource tokens) {
        this.base = base;
        this.http = http;
        this.json = json;
        this.tokens = tokens;
    }

    GatewayJson json() {
        return json;
    }

    /** The token, or null when none is configured. */
    String token() {
        return tokens.token();
    }

    /** The token; a configuration failure naming the kind when none is configured. */
    String requireToken(String kind) {
        String token = tokens.token();
        if (token == null) {
            throw new GatewayException(
                    GatewayException.Category.CONFIGURATION,
                    "No gateway token for " + kind
                            + ": set GATEWAY_TOKEN_FILE, the systemd credential gateway-token, or GATEWAY_TOKEN",
                    null,
                    null,
                    null);
        }
        return token;
    }

    /**
     * An answer the gateway admitted: the exchange, its body as a JSON object, what was called
     * (for messages) and the redactor of the token (to keep it out of them).
     */
    record Answer(HttpExchange exchange, JsonNode object, String what, Redactor redactor) {

        int status() {
            return exchange.status();
        }

        /** The body as it may appear in a message. */
        String excerpt() {
            return redactor.excerpt(exchange.body());
        }
    }

    /**
     * POSTs the body to a path of the gateway with the idempotency key and, when there is one, the
     * token as a bearer. A status {@code admitted} refuses is classified ({@link HttpAnswers#classify});
     * a body that is not a JSON object is a transient failure.
     */
    Answer post(
            String path,
            String body,
            String token,
            String idempotencyKey,
            Duration readTimeout,
            IntPredicate admitted) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Idempotency-Key", idempotencyKey);
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        HttpExchange x = http.send("POST", base.resolve(path), body, headers, readTimeout);
        String what = "Gateway POST " + path;
        Redactor redactor = Redactor.of(token);
        if (!admitted.test(x.status())) {
            throw HttpAnswers.classify(what, x, redactor.excerpt(x.body()));
        }
        return new Answer(x, json.object(what, x.status(), x.body(), redactor), what, redactor);
    }
}

package ai.clawfactory.worker.http;

import ai.clawfactory.worker.config.GatewayConfig;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Plain HTTP to the gateway, shared by every gateway kind, through Micronaut's low-level (raw)
 * Netty client ({@link HttpExchanges}: a client and a connection per exchange on the event loop
 * {@code http} steps use too, the answer capped while it is read, no redirects, the read timeout
 * of each call, an interrupt ends the exchange). The gateway's host is resolved as the system
 * resolves it: GATEWAY_URL is the operator's choice, loopback included; the address gate is for
 * the URLs definitions name ({@link GatedHttpSender}). Any status comes back as an
 * {@link HttpExchange} (read it with {@link HttpAnswers}); network faults are transient
 * {@link GatewayException}s.
 */
@Singleton
public class HttpSender {

    private final HttpExchanges exchanges;
    /** Whether {@link #close()} stops the exchanges' event loop (not when the context shares it). */
    private final boolean ownsExchanges;

    @Inject
    public HttpSender(HttpExchanges exchanges) {
        this(exchanges, false);
    }

    /** A sender with an event loop of its own, which {@link #close()} stops. */
    public HttpSender(GatewayConfig config) {
        this(new HttpExchanges(config.connectTimeout()), true);
    }

    private HttpSender(HttpExchanges exchanges, boolean ownsExchanges) {
        this.exchanges = exchanges;
        this.ownsExchanges = ownsExchanges;
    }

    public HttpExchange send(String method, URI uri, String body, Map<String, String> headers, Duration readTimeout) {
        return exchanges.send(method, uri, body, headers, readTimeout, HttpExchanges.systemResolver());
    }

    /** Stops the event loop when it is this sender's own. */
    @PreDestroy
    public void close() {
        if (ownsExchanges) {
            exchanges.close();
        }
    }
}

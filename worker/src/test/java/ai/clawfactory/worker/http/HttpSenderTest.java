package ai.clawfactory.worker.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.clawfactory.worker.config.GatewayConfig;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client behind every gateway kind: the shared contract, and what only it does. */
class HttpSenderTest extends HttpClientContract {

    static HttpSender http;

    @BeforeAll
    static void client() {
        http = new HttpSender(new GatewayConfig(null, null, null, Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }

    @AfterAll
    static void closeClient() {
        http.close();
    }

    @Override
    HttpExchange send(String method, URI uri, String body, Map<String, String> headers, Duration readTimeout) {
        return http.send(method, uri, body, headers, readTimeout);
    }

    @Test
    void aFailureWithoutAnyMessageSaysWhatCouldNotBeReached() {
        URI uri = URI.create("http://gateway.invalid/hooks");
        assertEquals(
                "UnresolvedAddressException: cannot resolve gateway.invalid",
                HttpExchanges.describe(
                        new java.net.ConnectException().initCause(new java.nio.channels.UnresolvedAddressException()),
                        uri));
        assertEquals(
                "SSLHandshakeException: no cipher suites in common",
                HttpExchanges.describe(
                        new IOException(new javax.net.ssl.SSLHandshakeException("no cipher suites in common")), uri));
    }
}

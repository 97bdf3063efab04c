package ai.clawfactory.worker.gateway;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.clawfactory.worker.TestContexts;
import ai.clawfactory.worker.http.GatewayException;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway client as the worker's context builds it from its settings (GATEWAY_KIND,
 * GATEWAY_URL, GATEWAY_TOKEN_FILE), against WireMock, whose URL this class's
 * {@link TestPropertyProvider} gives the context. No Temporal worker; one context and one WireMock
 * per class.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GatewayContextTest implements TestPropertyProvider {

    static final String TOKEN = "tok-5c1d77-secret";
    static final Duration READ = Duration.ofSeconds(5);

    @TempDir
    static Path dir;

    final WireMockServer wm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));

    @Inject
    GatewayClient gateway;

    /** GATEWAY_KIND of this class's context. */
    abstract String kind();

    @Override
    public Map<String, String> getProperties() {
        wm.start();
        try {
            Path token = dir.resolve("gateway-token");
            Files.writeString(token, TOKEN + "\n");
            Map<String, String> props = new HashMap<>(TestContexts.properties(
                    Files.createDirectories(dir.resolve("defs")), TestContexts.sqliteUrl(dir.resolve("ledger.db"))));
            props.put("gateway.kind", kind());
            props.put("gateway.url", wm.baseUrl());
            props.put("gateway.token-file", token.toString());
            props.put("gateway.connect-timeout", "2s");
            return props;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeEach
    void resetWireMock() {
        wm.resetAll();
    }

    @AfterAll
    void stopWireMock() {
        wm.stop();
    }

    GatewayReply send(Duration readTimeout) {
        TurnRequest r = GatewayClientsTest.request(readTimeout);
        return gateway.send(r, gateway.body(r));
    }

    GatewayReply send() {
        return send(READ);
    }

    GatewayException failure() {
        return assertThrows(GatewayException.class, this::send);
    }
}

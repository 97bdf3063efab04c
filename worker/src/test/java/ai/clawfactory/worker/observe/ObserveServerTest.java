package ai.clawfactory.worker.observe;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.worker.metrics.Metrics;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * /health and /metrics keep answering while clients misbehave: the unit's readiness check and
 * Prometheus must not wait on someone else's half-sent request.
 */
class ObserveServerTest {

    /** Always UP, without Temporal, definitions or a ledger. */
    private static final Health UP = new Health(null, null, null) {
        @Override
        public Report check() {
            return new Report(true, Map.of("temporal", "UP"), List.of());
        }
    };

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Socket> held = new ArrayList<>();
    private ObserveServer server;

    @BeforeEach
    void start() {
        server = new ObserveServer(new ObserveConfig("127.0.0.1", 0), new Metrics(), UP);
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : held) {
            s.close();
        }
        server.stop();
    }

    /** A client that sends part of a request and then waits, holding the connection. */
    private Socket halfSent() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
        s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        held.add(s);
        return s;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .timeout(Duration.ofSeconds(2))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthAnswersWhileAnotherClientHoldsAHalfSentRequest() throws Exception {
        halfSent();
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> get("/health").statusCode() == 200);
        HttpResponse<String> metrics = get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("clawfactory_ledger_write_failures_total"), metrics.body());
    }

    @Test
    void halfSentRequestsAreCutOffSoHealthAnswersEvenWhenEveryThreadWasHeld() throws Exception {
        List<Socket> clients = new ArrayList<>();
        for (int i = 0; i < ObserveServer.THREADS + 2; i++) {
            clients.add(halfSent());
        }
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> get("/health").statusCode() == 200);
        // The server closed each held connection once its time to send a request ran out.
        for (Socket s : clients) {
            s.setSoTimeout(30_000);
            InputStream in = s.getInputStream();
            assertEquals(-1, in.read(), "the server ended the half-sent request");
        }
    }

    @Test
    void answersAreThoseOfBefore() throws Exception {
        HttpResponse<String> health = get("/health");
        assertEquals(200, health.statusCode());
        assertEquals("{\"status\":\"UP\",\"components\":{\"temporal\":\"UP\"},\"reasons\":[]}\n", health.body());
        assertEquals(
                "application/json", health.headers().firstValue("Content-Type").orElse(""));
        assertEquals("no-store", health.headers().firstValue("Cache-Control").orElse(""));
        assertEquals(404, get("/other").statusCode());
        HttpResponse<String> post = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                        .timeout(Duration.ofSeconds(2))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(""));
        HttpResponse<String> head = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                        .timeout(Duration.ofSeconds(2))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
    }
}

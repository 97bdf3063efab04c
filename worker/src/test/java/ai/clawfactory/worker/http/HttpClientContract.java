package ai.clawfactory.worker.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.Options;
import com.github.tomakehurst.wiremock.http.Fault;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What both HTTP clients guarantee (the gateway kinds', {@link HttpSenderTest}; the gated one of
 * {@code http} steps, {@link GatedHttpSenderTest}; both Micronaut's raw client through
 * {@link HttpExchanges}), against WireMock and a bare socket: any status is an answer, redirects are
 * returned, the answer is capped while it is read and decoded in its charset, the read timeout is
 * each call's own and bounds the whole exchange, resets and garbled answers are transient, an
 * interrupt aborts the exchange and closes its connection, no connection outlives its exchange,
 * the client's own headers cannot be set.
 */
abstract class HttpClientContract {

    static final Duration READ = Duration.ofSeconds(5);
    static WireMockServer wm;
    static WireMockServer chunked;

    /** One exchange through the client under test (on 127.0.0.1, which its gate, if any, lets through). */
    abstract HttpExchange send(String method, URI uri, String body, Map<String, String> headers, Duration readTimeout);

    @BeforeAll
    static void start() {
        wm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        wm.start();
        chunked = new WireMockServer(options()
                .dynamicPort()
                .bindAddress("127.0.0.1")
                .useChunkedTransferEncoding(Options.ChunkedEncodingPolicy.ALWAYS));
        chunked.start();
    }

    @AfterAll
    static void stop() {
        wm.stop();
        chunked.stop();
    }

    @BeforeEach
    void reset() {
        wm.resetAll();
        chunked.resetAll();
    }

    static URI uri(WireMockServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    @Test
    void anErrorStatusIsAnAnswerWithItsRetryAfterAndBody() {
        wm.stubFor(post("/hooks")
                .willReturn(aResponse()
                        .withStatus(503)
                        .withHeader("Retry-After", "7")
                        .withBody("busy")));
        HttpExchange x = send("POST", uri(wm, "/hooks"), "{}", Map.of(), READ);
        assertEquals(503, x.status());
        assertEquals("7", x.retryAfter());
        assertEquals("busy", x.body());
    }

    @Test
    void noBodyReadsAsEmptyAndNoRetryAfterAsNull() {
        wm.stubFor(get("/ping").willReturn(aResponse().withStatus(204)));
        HttpExchange x = send("GET", uri(wm, "/ping"), null, Map.of(), READ);
        assertEquals(204, x.status());
        assertNull(x.retryAfter());
        assertEquals("", x.body());
        wm.verify(getRequestedFor(urlEqualTo("/ping")).withHeader("Content-Type", absent()));
    }

    @Test
    void theRequestCarriesJsonTheCallersHeadersAndNoUpgrade() {
        wm.stubFor(post("/hooks").willReturn(aResponse().withStatus(200).withBody("{\"ok\":true}")));
        HttpExchange x = send(
                "POST",
                uri(wm, "/hooks"),
                "{\"message\":\"héllo\"}",
                Map.of("Authorization", "Bearer t", "Idempotency-Key", "k1"),
                READ);
        assertEquals("{\"ok\":true}", x.body());
        wm.verify(postRequestedFor(urlEqualTo("/hooks"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("Accept", equalTo("application/json, text/plain"))
                .withHeader("Authorization", equalTo("Bearer t"))
                .withHeader("Idempotency-Key", equalTo("k1"))
                .withHeader("Upgrade", absent())
                .withRequestBody(equalTo("{\"message\":\"héllo\"}")));
    }

    @Test
    void aRedirectIsReturnedNotFollowed() {
        wm.stubFor(get("/old").willReturn(aResponse().withStatus(302).withHeader("Location", "/new")));
        wm.stubFor(get("/new").willReturn(aResponse().withStatus(200).withBody("moved")));
        HttpExchange x = send("GET", uri(wm, "/old"), null, Map.of(), READ);
        assertEquals(302, x.status());
        wm.verify(0, getRequestedFor(urlEqualTo("/new")));
    }

    @Test
    void anAnswerOfExactlyTheCapIsRead() {
        wm.stubFor(get("/big")
                .willReturn(aResponse().withStatus(200).withBody("a".repeat(HttpExchanges.MAX_RESPONSE_BYTES))));
        assertEquals(
                HttpExchanges.MAX_RESPONSE_BYTES,
                send("GET", uri(wm, "/big"), null, Map.of(), READ).body().length());
    }

    @Test
    void anAnswerDeclaredLargerThanTheCapIsTransient() {
        wm.stubFor(get("/big")
                .willReturn(aResponse().withStatus(200).withBody("a".repeat(HttpExchanges.MAX_RESPONSE_BYTES + 1))));
        GatewayException e =
                assertThrows(GatewayException.class, () -> send("GET", uri(wm, "/big"), null, Map.of(), READ));
        assertEquals(GatewayException.Category.TRANSIENT, e.category());
        assertEquals("GET /big answered with more than 4194304 bytes", e.getMessage());
    }

    @Test
    void aChunkedAnswerGrowingPastTheCapIsTransient() {
        chunked.stubFor(get("/big")
                .willReturn(aResponse().withStatus(200).withBody("a".repeat(HttpExchanges.MAX_RESPONSE_BYTES + 1))));
        GatewayException e =
                assertThrows(GatewayException.class, () -> send("GET", uri(chunked, "/big"), null, Map.of(), READ));
        assertEquals("GET /big answered with more than 4194304 bytes", e.getMessage());
        chunked.verify(
                getRequestedFor(urlEqualTo("/big")).withHeader("Accept", equalTo("application/json, text/plain")));
    }

    @Test
    void aHeaderTheJdkClientOwnsIsRefusedWithoutSendingOrShowingItsValue() {
        wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        GatewayException e = assertThrows(
                GatewayException.class,
                () -> send("POST", uri(wm, "/hooks"), "{}", Map.of("Expect", "secret-100-continue"), READ));
        assertEquals(GatewayException.Category.PERMANENT, e.category());
        assertTrue(e.getMessage().startsWith("POST /hooks: the header Expect cannot be sent"), e.getMessage());
        assertFalse(e.getMessage().contains("secret-100-continue"), e.getMessage());
        wm.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aRefusedConnectionIsTransientAndNamesTheRootCause() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        GatewayException e = assertThrows(
                GatewayException.class,
                () -> send("POST", URI.create("http://127.0.0.1:" + port + "/hooks"), "{}", Map.of(), READ));
        assertEquals(GatewayException.Category.TRANSIENT, e.category());
        assertTrue(
                e.getMessage().startsWith("POST /hooks failed: ConnectException: cannot connect to 127.0.0.1:" + port),
                e.getMessage());
    }

    @Test
    void headersWithoutTheWholeBodyWithinTheReadTimeoutTimeOut() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> answering = CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(10_000);
                    readRequestHead(s.getInputStream());
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    // The rest never comes; the client gives up and closes.
                    s.getInputStream().read();
                } catch (IOException e) {
                    // The client closed the connection.
                }
            });
            URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/slow");
            GatewayException e =
                    assertThrows(GatewayException.class, () -> send("GET", uri, null, Map.of(), Duration.ofSeconds(1)));
            assertEquals("GET /slow timed out: no answer within 1 s", e.getMessage());
            answering.get(15, TimeUnit.SECONDS);
        }
    }

    @Test
    void interruptingTheCallerAbortsTheCallInFlight() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AtomicReference<Thread> caller = new AtomicReference<>();
            AtomicBoolean closedByClient = new AtomicBoolean();
            CompletableFuture<Void> silent = CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(15_000);
                    readRequestHead(s.getInputStream());
                    // The request is here and will never be answered: interrupt the caller.
                    caller.get().interrupt();
                    InputStream in = s.getInputStream();
                    while (in.read() >= 0) {
                        // the request's body, then the end of the stream when the client closes
                    }
                    closedByClient.set(true);
                } catch (IOException e) {
                    closedByClient.set(!(e instanceof java.net.SocketTimeoutException));
                }
            });
            URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/hang");
            AtomicReference<GatewayException> failure = new AtomicReference<>();
            AtomicBoolean stillInterrupted = new AtomicBoolean();
            Thread t = new Thread(() -> {
                try {
                    send("POST", uri, "{}", Map.of(), Duration.ofSeconds(60));
                } catch (GatewayException e) {
                    failure.set(e);
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                }
            });
            caller.set(t);
            t.start();
            t.join(30_000);
            assertFalse(t.isAlive(), "the interrupted call returned");
            assertEquals("POST /hang interrupted", failure.get().getMessage());
            assertTrue(stillInterrupted.get(), "the caller's interrupt status is kept");
            silent.get(20, TimeUnit.SECONDS);
            assertTrue(closedByClient.get(), "the aborted exchange closed its connection");
        }
    }

    @Test
    void theReadTimeoutIsEachCallsOwn() {
        wm.stubFor(get("/slow")
                .willReturn(aResponse().withStatus(200).withBody("late").withFixedDelay(1500)));
        GatewayException e = assertThrows(
                GatewayException.class, () -> send("GET", uri(wm, "/slow"), null, Map.of(), Duration.ofMillis(500)));
        assertEquals(GatewayException.Category.TRANSIENT, e.category());
        assertTrue(e.getMessage().startsWith("GET /slow timed out"), e.getMessage());
        // The same client, the same server, a longer timeout of this call's own.
        assertEquals("late", send("GET", uri(wm, "/slow"), null, Map.of(), READ).body());
    }

    @Test
    void anAnswerIsDecodedInTheCharsetItDeclares() {
        wm.stubFor(get("/latin")
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "text/plain; charset=ISO-8859-1")
                        .withBody("caf\u00e9".getBytes(StandardCharsets.ISO_8859_1))));
        assertEquals(
                "caf\u00e9",
                send("GET", uri(wm, "/latin"), null, Map.of(), READ).body());
    }

    @ParameterizedTest(name = "{0} is transient")
    @EnumSource(
            value = Fault.class,
            names = {"CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE", "MALFORMED_RESPONSE_CHUNK", "RANDOM_DATA_THEN_CLOSE"
            })
    void aResetOrGarbledAnswerIsTransient(Fault fault) {
        wm.stubFor(post("/hooks").willReturn(aResponse().withFault(fault)));
        GatewayException e =
                assertThrows(GatewayException.class, () -> send("POST", uri(wm, "/hooks"), "{}", Map.of(), READ));
        assertEquals(GatewayException.Category.TRANSIENT, e.category(), e.getMessage());
        assertTrue(e.getMessage().startsWith("POST /hooks "), e.getMessage());
    }

    @Test
    void noConnectionOutlivesItsExchange() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/keep");
            for (int i = 0; i < 2; i++) {
                CompletableFuture<Boolean> closedByClient = CompletableFuture.supplyAsync(() -> {
                    try (Socket s = server.accept()) {
                        s.setSoTimeout(15_000);
                        readRequestHead(s.getInputStream());
                        // An answer that invites the client to keep the connection for the next request.
                        s.getOutputStream()
                                .write("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok"
                                        .getBytes(StandardCharsets.US_ASCII));
                        s.getOutputStream().flush();
                        return s.getInputStream().read() < 0;
                    } catch (IOException e) {
                        return !(e instanceof java.net.SocketTimeoutException);
                    }
                });
                assertEquals("ok", send("GET", uri, null, Map.of(), READ).body());
                assertTrue(
                        closedByClient.get(20, TimeUnit.SECONDS),
                        "the connection was closed once its answer was read, not kept in a pool");
            }
        }
    }

    /** Reads up to the blank line ending a request's head. */
    static void readRequestHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the request head ended");
            }
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
    }
}

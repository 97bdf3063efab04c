package ai.clawfactory.worker.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.worker.config.HttpStepsConfig;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client of {@code http} steps: the shared contract (each exchange's host listed with its port,
 * the operator's explicit allowance of loopback), and the address gate working as the connection
 * is made: loopback refused unless so listed, Temporal's ports refused even then, and a name that
 * resolves differently the second time connected to what was checked the first time.
 */
class GatedHttpSenderTest extends HttpClientContract {

    /** Nowhere near the test servers' ports (nor +10, +1000). */
    static final String TEMPORAL = "127.0.0.1:1";

    private final Map<Integer, GatedHttpSender> byPort = new ConcurrentHashMap<>();
    private final List<GatedHttpSender> others = new ArrayList<>();

    @AfterEach
    void closeSenders() {
        byPort.values().forEach(GatedHttpSender::close);
        others.forEach(GatedHttpSender::close);
    }

    @Override
    HttpExchange send(String method, URI uri, String body, Map<String, String> headers, Duration readTimeout) {
        return byPort.computeIfAbsent(uri.getPort(), p -> sender("127.0.0.1:" + p, TEMPORAL, AddressGate.SYSTEM))
                .send(method, uri, body, headers, readTimeout);
    }

    private GatedHttpSender sender(String allowHosts, String temporal, AddressGate.Lookup lookup) {
        GatedHttpSender s = new GatedHttpSender(
                new AddressGate(new HttpStepsConfig(allowHosts), temporal, lookup), Duration.ofSeconds(1));
        others.add(s);
        return s;
    }

    private static GatewayException refused(GatedHttpSender s, String url) {
        GatewayException e =
                assertThrows(GatewayException.class, () -> s.send("POST", URI.create(url), "{}", Map.of(), READ), url);
        assertEquals(GatewayException.Category.CONFIGURATION, e.category(), e.getMessage());
        return e;
    }

    private static void nothingArrived() {
        assertEquals(0, wm.findAll(anyRequestedFor(anyUrl())).size(), "no request may arrive");
    }

    @Test
    void loopbackIsReachedOnlyWhenItsHostIsListedWithItsPort() {
        wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(204)));
        int port = wm.port();
        for (String allow :
                new String[] {null, "127.0.0.1", "localhost", "*.0.0.1:" + port, "localhost:" + (port + 1)}) {
            for (String host : new String[] {"127.0.0.1", "localhost", "[::ffff:127.0.0.1]", "2130706433"}) {
                GatewayException e =
                        refused(sender(allow, TEMPORAL, AddressGate.SYSTEM), "http://" + host + ":" + port + "/hook");
                assertTrue(e.getMessage().contains("a loopback address"), e.getMessage());
                assertTrue(e.getMessage().contains("HTTP_ALLOW_HOSTS names the host with its port"), e.getMessage());
            }
        }
        nothingArrived();
        assertEquals(
                204,
                sender("127.0.0.1:" + port, TEMPORAL, AddressGate.SYSTEM)
                        .send("POST", URI.create("http://127.0.0.1:" + port + "/hook"), "{}", Map.of(), READ)
                        .status());
        assertEquals(
                204,
                sender("localhost:" + port, TEMPORAL, AddressGate.SYSTEM)
                        .send("POST", URI.create("http://localhost:" + port + "/hook"), "{}", Map.of(), READ)
                        .status());
        assertEquals(2, wm.findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void temporalsFrontendHttpApiAndUiAreRefusedOnEveryLocalAddressEvenWhenListed() {
        wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(204)));
        int port = wm.port();
        for (int offset : new int[] {0, 10, 1000}) {
            String temporal = "127.0.0.1:" + (port - offset);
            for (String host : new String[] {"127.0.0.1", "localhost", "127.0.0.2", "[::1]", "0.0.0.0"}) {
                GatewayException e = refused(
                        sender(host + ":" + port, temporal, AddressGate.SYSTEM), "http://" + host + ":" + port + "/x");
                assertTrue(e.getMessage().contains("is Temporal's"), e.getMessage());
                assertTrue(e.getMessage().contains("TEMPORAL_ADDRESS " + temporal), e.getMessage());
            }
        }
        nothingArrived();
    }

    @Test
    void theHttpAndUiPortsAreSettings() {
        wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(204)));
        int port = wm.port();
        GatedHttpSender s = new GatedHttpSender(
                new AddressGate(
                        new HttpStepsConfig("127.0.0.1:" + port, String.valueOf(port), null),
                        "127.0.0.1:1",
                        AddressGate.SYSTEM),
                Duration.ofSeconds(1));
        others.add(s);
        assertTrue(refused(s, "http://127.0.0.1:" + port + "/x").getMessage().contains("is Temporal's"));
        nothingArrived();
    }

    @Test
    void aNameThatRebindsIsConnectedToTheAddressCheckedNotToItsSecondAnswer() {
        wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(204)));
        AtomicInteger lookups = new AtomicInteger();
        AddressGate.Lookup rebinding = host -> {
            if (!host.equals("rebind.test")) {
                throw new UnknownHostException(host);
            }
            // First a public address (TEST-NET-3, unreachable here), then loopback, where WireMock waits.
            return lookups.incrementAndGet() == 1
                    ? new InetAddress[] {InetAddress.getByName("203.0.113.7")}
                    : new InetAddress[] {InetAddress.getLoopbackAddress()};
        };
        GatedHttpSender s = sender(null, TEMPORAL, rebinding);
        GatewayException e = assertThrows(
                GatewayException.class,
                () -> s.send("POST", URI.create("http://rebind.test:" + wm.port() + "/hook"), "{}", Map.of(), READ));
        assertEquals(GatewayException.Category.TRANSIENT, e.category(), e.getMessage());
        assertEquals(1, lookups.get(), "the name was resolved once, for the check and the connection");
        nothingArrived();
    }

    @Test
    void aNameWithOnePublicAndOneLoopbackAddressIsRefusedWhole() {
        AddressGate.Lookup mixed =
                host -> new InetAddress[] {InetAddress.getByName("203.0.113.7"), InetAddress.getLoopbackAddress()};
        GatewayException e = refused(sender(null, TEMPORAL, mixed), "http://mixed.test:" + wm.port() + "/hook");
        assertTrue(e.getMessage().contains("mixed.test resolves to 127.0.0.1, a loopback address"), e.getMessage());
        nothingArrived();
    }

    @Test
    void exchangesShareTwoEventLoopThreads() throws Exception {
        wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));
        List<CompletableFuture<HttpExchange>> all = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            all.add(CompletableFuture.supplyAsync(() -> send("GET", uri(wm, "/p"), null, Map.of(), READ)));
        }
        for (CompletableFuture<HttpExchange> f : all) {
            assertEquals("ok", f.get().body());
        }
        // Netty names them http-client-<pool>-<n>: no pool (one per sender) has more than two.
        Map<String, Long> perPool = Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(n -> n.startsWith("http-client-"))
                .collect(java.util.stream.Collectors.groupingBy(
                        n -> n.substring(0, n.lastIndexOf('-')), java.util.stream.Collectors.counting()));
        assertTrue(!perPool.isEmpty() && perPool.values().stream().allMatch(n -> n <= 2), perPool.toString());
    }

    @Test
    void httpsVerifiesTheServersCertificateAgainstTheTrustStore() {
        WireMockServer tls =
                new WireMockServer(options().dynamicPort().dynamicHttpsPort().bindAddress("127.0.0.1"));
        tls.start();
        try {
            tls.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(204)));
            // WireMock's own self-signed certificate: no trust store knows it.
            GatewayException e = assertThrows(
                    GatewayException.class,
                    () -> sender("localhost:" + tls.httpsPort(), TEMPORAL, AddressGate.SYSTEM)
                            .send(
                                    "GET",
                                    URI.create("https://localhost:" + tls.httpsPort() + "/x"),
                                    null,
                                    Map.of(),
                                    READ));
            assertEquals(GatewayException.Category.TRANSIENT, e.category());
            assertTrue(e.getMessage().contains("unable to find valid certification path"), e.getMessage());
            assertEquals(0, tls.findAll(anyRequestedFor(anyUrl())).size());
        } finally {
            tls.stop();
        }
    }
}

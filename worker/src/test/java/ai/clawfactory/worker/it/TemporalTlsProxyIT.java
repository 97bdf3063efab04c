package ai.clawfactory.worker.it;

import ai.clawfactory.testing.TemporalDevServer;
import ai.clawfactory.testing.TemporalDevServerExtension;
import ai.clawfactory.testing.TlsGrpcProxy;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worker jar against Temporal behind TLS and an API key, as on Temporal Cloud or a cluster's
 * ingress: the real dev server behind nginx terminating TLS (a throwaway CA) and checking the
 * bearer key. The key reaches the worker only as a file and never appears in its output.
 */
@ExtendWith(TemporalDevServerExtension.class)
class TemporalTlsProxyIT {

    private static final Path JAR = Path.of("target/clawfactory-worker.jar");
    private static final String KEY = "it-temporal-key-5b1f0c";

    private static Path shared;
    private static TlsGrpcProxy proxy;

    @TempDir
    Path dir;
    private WireMockServer gateway;
    private Process worker;
    private Path log;

    @BeforeAll
    static void startProxy(TemporalDevServer server) throws IOException {
        shared = Files.createTempDirectory("clawfactory-tls-it-");
        TlsGrpcProxy.makeCertificates(shared.resolve("certs"), "temporal.test");
        TlsGrpcProxy.makeCertificates(shared.resolve("other-ca"), "temporal.test");
        proxy = TlsGrpcProxy.start(server.target(), KEY, shared.resolve("certs"));
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        gateway = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        gateway.start();
        Files.createDirectories(dir.resolve("defs"));
        Files.writeString(dir.resolve("defs/tls.yaml"), """
                name: TlsCheckWorkflow
                steps:
                  - id: execute
                    agentTurn: { name: tls-execute, message: "Hello over TLS" }
                """);
        Files.writeString(dir.resolve("token"), "it-token");
        log = dir.resolve("worker.log");
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (worker != null && worker.isAlive()) {
            worker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        gateway.stop();
    }

    private Process startWorker(String key, Path ca) throws IOException {
        return startWorker(key, ca, proxy.target(), Map.of());
    }

    private Process startWorker(String key, Path ca, String target, Map<String, String> extra) throws IOException {
        Files.writeString(dir.resolve("temporal-api-key"), key + "\n");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-jar", JAR.toAbsolutePath().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.remove("TEMPORAL_API_KEY");
        env.put("TEMPORAL_CONFIG_FILE", dir.resolve("no-profile.toml").toString());
        env.put("TEMPORAL_ADDRESS", target);
        env.put("TEMPORAL_API_KEY_FILE", dir.resolve("temporal-api-key").toString());
        env.put("TEMPORAL_TLS_SERVER_CA_CERT_PATH", ca.resolve("ca.pem").toString());
        env.put("TEMPORAL_TLS_SERVER_NAME", "temporal.test");
        env.put("TEMPORAL_CONNECT_TIMEOUT", "20s");
        env.put("DEFINITIONS_DIR", dir.resolve("defs").toString());
        env.put("LEDGER_DB", dir.resolve("ledger.db").toString());
        env.put("GATEWAY_URL", gateway.baseUrl());
        env.put("GATEWAY_TOKEN_FILE", dir.resolve("token").toString());
        env.put("WORKER_HTTP_PORT", "0");
        env.putAll(extra);
        worker = pb.start();
        return worker;
    }

    private String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Test
    void workerConnectsThroughTlsWithTheApiKeyFromAFileAndRunsAWorkflow(TemporalDevServer server) throws Exception {
        gateway.stubFor(post(urlEqualTo("/hooks/agent")).willReturn(okJson("{\"ok\":true,\"runId\":\"r-tls\",\"completion\":{\"status\":\"ok\"}}")));
        startWorker(KEY, shared.resolve("certs"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> log().contains("Worker polling task queue 'clawfactory'") || !worker.isAlive());
        assertTrue(worker.isAlive(), this::logQuietly);
        assertTrue(log().contains("on " + proxy.target() + " (namespace default, TLS, API key)"), log());

        // Started on the dev server directly: the task reaches the worker only through the proxy.
        assertEquals(0, server.temporal("workflow", "start", "--type", "TlsCheckWorkflow", "--task-queue", "clawfactory",
                "--workflow-id", "tls-check-1").exitCode());
        await().atMost(Duration.ofSeconds(60)).until(() ->
                server.temporal("workflow", "describe", "--workflow-id", "tls-check-1").output().contains("COMPLETED"));
        gateway.verify(1, postRequestedFor(urlEqualTo("/hooks/agent")));
        assertFalse(log().contains("Cannot list the search attributes"),
                "the operator service (search attributes) gets the key too:\n" + log());
        assertFalse(log().contains(KEY), "the API key never reaches the log");
    }

    @Test
    void mutualTlsWithTheClientKeyFromASystemdCredentialConnects(TemporalDevServer server) throws Exception {
        try (TlsGrpcProxy mtls = TlsGrpcProxy.start(server.target(), KEY, shared.resolve("certs"), true)) {
            Path creds = Files.createDirectories(dir.resolve("credentials"));
            Files.copy(shared.resolve("certs/client.key"), creds.resolve("temporal-tls-client-key"));
            startWorker(KEY, shared.resolve("certs"), mtls.target(), Map.of(
                    "CREDENTIALS_DIRECTORY", creds.toString(),
                    "TEMPORAL_TLS_CLIENT_CERT_PATH", shared.resolve("certs/client.pem").toString()));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> log().contains("Worker polling task queue 'clawfactory'") || !worker.isAlive());
            assertTrue(worker.isAlive(), this::logQuietly);
            assertTrue(log().contains("on " + mtls.target() + " (namespace default, TLS, API key)"), log());
            worker.destroy();
            assertTrue(worker.waitFor(60, TimeUnit.SECONDS));

            // Without the client certificate the proxy refuses the connection: exit 3, one line.
            Files.delete(log);
            Process p = startWorker(KEY, shared.resolve("certs"), mtls.target(), Map.of());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "worker exits by itself");
            assertEquals(3, p.exitValue(), log());
            assertFalse(log().contains("\tat "), "no stack trace for an expected error:\n" + log());
        }
    }

    @Test
    void aWrongApiKeyExitsWithCodeThreeAndOneLineThatSaysSo() throws Exception {
        long t0 = System.nanoTime();
        Process p = startWorker("not-the-key", shared.resolve("certs"));
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "worker exits by itself");
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        String out = log();
        assertEquals(3, p.exitValue(), out);
        assertTrue(out.contains("Temporal at " + proxy.target() + " refused our credentials (UNAUTHENTICATED"), out);
        assertTrue(out.contains("Check the API key (TEMPORAL_API_KEY_FILE"), out);
        assertFalse(out.contains("not-the-key"), out);
        assertFalse(out.contains("\tat "), "no stack trace for an expected error:\n" + out);
        assertTrue(seconds < 20, "fails fast, not after the connect timeout (" + seconds + " s):\n" + out);
    }

    @Test
    void aServerCertificateFromAnotherCaExitsWithCodeThreeAndNamesTls() throws Exception {
        Process p = startWorker(KEY, shared.resolve("other-ca"));
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "worker exits by itself");
        String out = log();
        assertEquals(3, p.exitValue(), out);
        assertTrue(out.contains("TLS handshake with Temporal at " + proxy.target() + " failed"), out);
        assertTrue(out.contains("TEMPORAL_TLS_SERVER_CA_CERT_PATH"), out);
        assertFalse(out.contains(KEY), out);
        assertFalse(out.contains("\tat "), "no stack trace for an expected error:\n" + out);
    }

    private int waitScript(String key) throws Exception {
        Files.writeString(dir.resolve("wait-key"), key);
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", Path.of("../systemd/clawfactory-wait-temporal").toAbsolutePath().toString(),
                "--timeout", "3").redirectErrorStream(true).redirectOutput(dir.resolve("wait.log").toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("TEMPORAL_"));
        env.put("TEMPORAL_CLI", TemporalDevServer.locateCli().toString());
        env.put("TEMPORAL_ADDRESS", proxy.target());
        env.put("TEMPORAL_API_KEY_FILE", dir.resolve("wait-key").toString());
        env.put("TEMPORAL_TLS_SERVER_CA_CERT_PATH", shared.resolve("certs/ca.pem").toString());
        env.put("TEMPORAL_TLS_SERVER_NAME", "temporal.test");
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return p.exitValue();
    }

    @Test
    void theUnitsWaitScriptReachesTemporalThroughTlsWithTheKeyFile() throws Exception {
        assertEquals(0, waitScript(KEY), () -> read(dir.resolve("wait.log")));
        assertTrue(read(dir.resolve("wait.log")).contains("serves namespace default"));
        assertEquals(1, waitScript("not-the-key"), () -> read(dir.resolve("wait.log")));
        assertFalse(read(dir.resolve("wait.log")).contains("not-the-key"));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private String logQuietly() {
        try {
            return log();
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}

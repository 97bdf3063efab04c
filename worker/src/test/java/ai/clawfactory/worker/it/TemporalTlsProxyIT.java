package ai.clawfactory.worker.it;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.testing.TemporalDevServer;
import ai.clawfactory.testing.TemporalDevServerExtension;
import ai.clawfactory.testing.TlsGrpcProxy;
import ai.clawfactory.testing.WorkerProcess;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The worker jar against Temporal behind TLS and an API key, as on Temporal Cloud or a cluster's
 * ingress: the real dev server behind nginx terminating TLS (a throwaway CA) and checking the
 * bearer key. The key reaches the worker only as a file and never appears in its output.
 */
@ExtendWith(TemporalDevServerExtension.class)
class TemporalTlsProxyIT {

    private static final String KEY = "it-temporal-key-5b1f0c";

    private static Path shared;
    private static TlsGrpcProxy proxy;

    @RegisterExtension
    final WorkerJarFixture it = new WorkerJarFixture();

    private final WireMockServer gateway = it.gateway;
    private final Path dir = it.dir;

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
        it.define("tls.yaml", """
                name: TlsCheckWorkflow
                steps:
                  - id: execute
                    agentTurn: { name: tls-execute, message: "Hello over TLS" }
                """);
    }

    private WorkerProcess startWorker(String key, Path ca) throws IOException {
        return startWorker(key, ca, proxy.target(), Map.of());
    }

    /** A worker on {@code target} through TLS (CA {@code ca}/ca.pem, server name temporal.test), the API key in a file. */
    private WorkerProcess startWorker(String key, Path ca, String target, Map<String, String> extra)
            throws IOException {
        Files.writeString(dir.resolve("temporal-api-key"), key + "\n");
        return it.worker(target)
                .env("TEMPORAL_CONFIG_FILE", dir.resolve("no-profile.toml").toString())
                .env("TEMPORAL_API_KEY_FILE", dir.resolve("temporal-api-key").toString())
                .env("TEMPORAL_TLS_SERVER_CA_CERT_PATH", ca.resolve("ca.pem").toString())
                .env("TEMPORAL_TLS_SERVER_NAME", "temporal.test")
                .env("TEMPORAL_CONNECT_TIMEOUT", "20s")
                .env(extra)
                .start();
    }

    @Test
    void workerConnectsThroughTlsWithTheApiKeyFromAFileAndRunsAWorkflow(TemporalDevServer server) throws Exception {
        gateway.stubFor(post(urlEqualTo("/hooks/agent"))
                .willReturn(okJson("{\"ok\":true,\"runId\":\"r-tls\",\"completion\":{\"status\":\"ok\"}}")));
        WorkerProcess worker = startWorker(KEY, shared.resolve("certs")).awaitReady();
        assertTrue(
                worker.output().contains("on " + proxy.target() + " (namespace default, TLS, API key)"),
                worker::output);

        // Started on the dev server directly: the task reaches the worker only through the proxy.
        assertEquals(
                0,
                server.temporal(
                                "workflow",
                                "start",
                                "--type",
                                "TlsCheckWorkflow",
                                "--task-queue",
                                it.taskQueue(),
                                "--workflow-id",
                                "tls-check-1")
                        .exitCode());
        await().atMost(Duration.ofSeconds(60))
                .until(() -> server.temporal("workflow", "describe", "--workflow-id", "tls-check-1")
                        .output()
                        .contains("COMPLETED"));
        gateway.verify(1, postRequestedFor(urlEqualTo("/hooks/agent")));
        assertFalse(
                worker.output().contains("Cannot list the search attributes"),
                "the operator service (search attributes) gets the key too:\n" + worker.output());
        assertFalse(worker.output().contains(KEY), "the API key never reaches the log");
    }

    @Test
    void mutualTlsWithTheClientKeyFromASystemdCredentialConnects(TemporalDevServer server) throws Exception {
        try (TlsGrpcProxy mtls = TlsGrpcProxy.start(server.target(), KEY, shared.resolve("certs"), true)) {
            Path creds = Files.createDirectories(dir.resolve("credentials"));
            Files.copy(shared.resolve("certs/client.key"), creds.resolve("temporal-tls-client-key"));
            WorkerProcess worker = startWorker(
                            KEY,
                            shared.resolve("certs"),
                            mtls.target(),
                            Map.of(
                                    "CREDENTIALS_DIRECTORY", creds.toString(),
                                    "TEMPORAL_TLS_CLIENT_CERT_PATH",
                                            shared.resolve("certs/client.pem").toString()))
                    .awaitReady();
            assertTrue(
                    worker.output().contains("on " + mtls.target() + " (namespace default, TLS, API key)"),
                    worker::output);
            worker.terminate();
            worker.awaitExit(Duration.ofSeconds(60));

            // Without the client certificate the proxy refuses the connection: exit 3, one line.
            WorkerProcess refused = startWorker(KEY, shared.resolve("certs"), mtls.target(), Map.of());
            assertEquals(3, refused.awaitExit(Duration.ofSeconds(60)), refused::output);
            assertFalse(
                    refused.output().contains("\tat "), "no stack trace for an expected error:\n" + refused.output());
        }
    }

    @Test
    void aWrongApiKeyExitsWithCodeThreeAndOneLineThatSaysSo() throws Exception {
        WorkerProcess p = startWorker("not-the-key", shared.resolve("certs"));
        int code = p.awaitExit(Duration.ofSeconds(60));
        String out = p.output();
        assertEquals(3, code, out);
        assertTrue(out.contains("Temporal at " + proxy.target() + " refused our credentials (UNAUTHENTICATED"), out);
        assertTrue(out.contains("Check the API key (TEMPORAL_API_KEY_FILE"), out);
        assertFalse(out.contains("not-the-key"), out);
        assertFalse(out.contains("\tat "), "no stack trace for an expected error:\n" + out);
    }

    @Test
    void aServerCertificateFromAnotherCaExitsWithCodeThreeAndNamesTls() throws Exception {
        WorkerProcess p = startWorker(KEY, shared.resolve("other-ca"));
        int code = p.awaitExit(Duration.ofSeconds(60));
        String out = p.output();
        assertEquals(3, code, out);
        assertTrue(out.contains("TLS handshake with Temporal at " + proxy.target() + " failed"), out);
        assertTrue(out.contains("TEMPORAL_TLS_SERVER_CA_CERT_PATH"), out);
        assertFalse(out.contains(KEY), out);
        assertFalse(out.contains("\tat "), "no stack trace for an expected error:\n" + out);
    }

    /** A worker on the proxy with host verification off and no CA: {@code extra} decides. */
    private WorkerProcess startWithoutCertificateChecks(Map<String, String> extra) throws IOException {
        Files.writeString(dir.resolve("temporal-api-key"), KEY + "\n");
        return it.worker(proxy.target())
                .env("TEMPORAL_CONFIG_FILE", dir.resolve("no-profile.toml").toString())
                .env("TEMPORAL_API_KEY_FILE", dir.resolve("temporal-api-key").toString())
                .env("TEMPORAL_TLS_DISABLE_HOST_VERIFICATION", "true")
                .env("TEMPORAL_TLS_SERVER_NAME", "temporal.test")
                .env("TEMPORAL_CONNECT_TIMEOUT", "20s")
                .env(extra)
                .start();
    }

    @Test
    void hostVerificationOffWithoutACaIsRefusedUnlessAllowedAndThenTheStartUpLineSaysSo() throws Exception {
        WorkerProcess refused = startWithoutCertificateChecks(Map.of());
        assertEquals(2, refused.awaitExit(Duration.ofSeconds(60)), refused::output);
        assertTrue(
                refused.output()
                        .contains("Cannot start: TEMPORAL_TLS_DISABLE_HOST_VERIFICATION=true without "
                                + "TEMPORAL_TLS_SERVER_CA_CERT_PATH turns off every certificate check"),
                refused::output);
        assertFalse(refused.output().contains("\tat "), refused::output);
        assertFalse(refused.output().contains(KEY), refused::output);

        WorkerProcess allowed = startWithoutCertificateChecks(Map.of("TEMPORAL_TLS_ALLOW_INSECURE", "true"))
                .awaitReady();
        assertTrue(
                allowed.output()
                        .contains("on " + proxy.target() + " (namespace default, TLS, API key, INSECURE: no "
                                + "certificate checks, TEMPORAL_TLS_ALLOW_INSECURE=true)"),
                allowed::output);
        assertFalse(allowed.output().contains(KEY), allowed::output);
    }

    @Test
    void theWaitScriptRefusesHostVerificationOffWithoutACaBeforeItSendsTheKey() throws Exception {
        Files.writeString(dir.resolve("wait-key"), KEY);
        Map<String, String> env = Map.of(
                "TEMPORAL_API_KEY_FILE", dir.resolve("wait-key").toString(),
                "TEMPORAL_TLS_DISABLE_HOST_VERIFICATION", "true",
                "TEMPORAL_TLS_SERVER_NAME", "temporal.test");
        assertEquals(2, waitScript(env), () -> read(dir.resolve("wait.log")));
        assertTrue(
                read(dir.resolve("wait.log"))
                        .startsWith("clawfactory-wait-temporal: TEMPORAL_TLS_DISABLE_HOST_VERIFICATION=true without "
                                + "TEMPORAL_TLS_SERVER_CA_CERT_PATH turns off every certificate check"),
                () -> read(dir.resolve("wait.log")));
        var allowed = new java.util.HashMap<>(env);
        allowed.put("TEMPORAL_TLS_ALLOW_INSECURE", "true");
        assertEquals(0, waitScript(allowed), () -> read(dir.resolve("wait.log")));
    }

    /** The units' wait script on the proxy, with {@code extra} added to the environment. */
    private int waitScript(Map<String, String> extra) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(
                        "/bin/sh",
                        Path.of("../systemd/clawfactory-wait-temporal")
                                .toAbsolutePath()
                                .toString(),
                        "--timeout",
                        "3")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("wait.log").toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("TEMPORAL_"));
        env.put("TEMPORAL_CLI", TemporalDevServer.locateCli().toString());
        env.put("TEMPORAL_ADDRESS", proxy.target());
        env.putAll(extra);
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return p.exitValue();
    }

    private int waitScript(String key) throws Exception {
        Files.writeString(dir.resolve("wait-key"), key);
        return waitScript(Map.of(
                "TEMPORAL_API_KEY_FILE", dir.resolve("wait-key").toString(),
                "TEMPORAL_TLS_SERVER_CA_CERT_PATH",
                        shared.resolve("certs/ca.pem").toString(),
                "TEMPORAL_TLS_SERVER_NAME", "temporal.test"));
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
}

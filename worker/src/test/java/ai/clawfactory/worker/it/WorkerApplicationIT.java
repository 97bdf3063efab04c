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
import ai.clawfactory.testing.WorkerProcess;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The packaged worker jar, started as the application, against the real Temporal dev server. */
@ExtendWith(TemporalDevServerExtension.class)
class WorkerApplicationIT {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerApplicationIT.class);
    /** A turn, a short wait, a turn (WebUiStartIT runs it too). */
    static final String QUICK = """
            name: QuickResearchWorkflow
            steps:
              - id: execute
                agentTurn: { name: quick-execute, message: "Research for {{workflow.id}}" }
              - id: settle
                wait: 2s
              - id: synthesize
                agentTurn: { name: quick-synthesize, message: "Synthesize {{steps.execute.runId}}" }
            """;

    @RegisterExtension
    final WorkerJarFixture it = new WorkerJarFixture();

    private final WireMockServer gateway = it.gateway;
    private final Path dir = it.dir;
    private String queue;

    @BeforeEach
    void setUp() throws IOException {
        it.define("quick.yaml", QUICK);
        queue = it.taskQueue();
    }

    private WorkerProcess startPolling(String temporalAddress, Map<String, String> extra) {
        long t0 = System.nanoTime();
        WorkerProcess w = it.worker(temporalAddress)
                .env("GATEWAY_HEARTBEAT", "500ms")
                .env(extra)
                .startReady();
        LOG.info("worker start to first poll: {} ms", (System.nanoTime() - t0) / 1_000_000);
        return w;
    }

    /** A loopback port nothing listens on (bound and closed at once). */
    private static int freeLoopbackPort() throws java.io.IOException {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String ok(String runId) {
        return "{\"ok\":true,\"runId\":\"" + runId + "\",\"completion\":{\"status\":\"ok\"}}";
    }

    @Test
    void workflowStartedByTheTemporalCliWithNoInputRunsBothTurns(TemporalDevServer server) throws Exception {
        gateway.stubFor(post(urlEqualTo("/hooks/agent")).willReturn(okJson(ok("r-cli"))));
        startPolling(server.target(), Map.of());

        TemporalDevServer.CliResult started = startQuick(server, "quick-cli-1");
        assertEquals(0, started.exitCode(), started.output());
        await().atMost(Duration.ofSeconds(60))
                .until(() -> server.temporal("workflow", "describe", "--workflow-id", "quick-cli-1")
                        .output()
                        .contains("COMPLETED"));
        gateway.verify(2, postRequestedFor(urlEqualTo("/hooks/agent")));
        assertEquals(
                "Synthesize r-cli",
                gateway.findAll(postRequestedFor(urlEqualTo("/hooks/agent")))
                        .get(1)
                        .getBodyAsString()
                        .replaceAll(".*\"message\":\"([^\"]*)\".*", "$1"));
        TemporalDevServer.CliResult listed =
                server.temporal("workflow", "list", "--query", "WorkflowType='QuickResearchWorkflow'");
        assertTrue(listed.output().contains("quick-cli-1"), listed.output());
    }

    /** The heap start-up grew is collected once the worker is up (StartupHeap), as the JVM's own GC log shows. */
    @Test
    void startUpGarbageIsCollectedOnceTheWorkerPolls(TemporalDevServer server) throws Exception {
        WorkerProcess w = it.worker(server.target()).jvmArgs("-Xlog:gc:stdout").startReady();
        await().atMost(Duration.ofSeconds(30)).until(() -> w.output().contains("Pause Full (System.gc())"));
        String out = w.output();
        int started = out.indexOf("Started in");
        assertTrue(started > 0, out);
        assertTrue(out.indexOf("Pause Full (System.gc())", started) > started, "collected after start:\n" + out);
    }

    @Test
    void unreachableTemporalExitsNonZeroWithOneClearLine() throws Exception {
        int closed = freeLoopbackPort();
        WorkerProcess p = it.worker("127.0.0.1:" + closed)
                .env("TEMPORAL_CONNECT_TIMEOUT", "2s")
                .start();
        assertEquals(3, p.awaitExit(Duration.ofSeconds(60)), p::output);
        String out = p.output();
        assertTrue(out.contains("Cannot reach Temporal at 127.0.0.1:" + closed + " within 2 s"), out);
        assertTrue(out.contains("set TEMPORAL_ADDRESS"), out);
        assertFalse(out.contains("\tat "), "no stack trace for an expected error:\n" + out);
    }

    @Test
    void anApiKeyInCleartextToAnotherHostIsRefusedWithExitCodeTwoBeforeConnecting() throws Exception {
        // TEST-NET-1: nothing answers there; the refusal comes before any connection is tried.
        WorkerProcess p = it.worker("192.0.2.1:7233")
                .env("TEMPORAL_CONFIG_FILE", dir.resolve("no-profile.toml").toString())
                .env("TEMPORAL_API_KEY", "sekrit-worker-key")
                .env("TEMPORAL_TLS", "false")
                .env("TEMPORAL_CONNECT_TIMEOUT", "30s")
                .start();
        assertEquals(2, p.awaitExit(Duration.ofSeconds(25)), p::output);
        String out = p.output();
        assertTrue(
                out.contains("Cannot start: TEMPORAL_TLS=false with an API key would send the key in cleartext to "
                        + "192.0.2.1:7233, which is not this host. Turn TLS on (leave TEMPORAL_TLS unset: a key turns "
                        + "it on), or set TEMPORAL_TLS_ALLOW_INSECURE=true to accept the risk."),
                out);
        assertFalse(out.contains("Cannot reach Temporal"), out);
        assertFalse(out.contains("sekrit-worker-key"), out);
        assertFalse(out.contains("\tat "), "no stack trace for an expected error:\n" + out);
    }

    @Test
    void aMetricsPortOutOfRangeIsReportedBeforeTemporalIsWaitedFor() throws Exception {
        int closed = freeLoopbackPort();
        // Temporal is not there either: the setting must be what is reported, at once, not the
        // connection after its timeout (which hid the bad port until Temporal could be reached).
        WorkerProcess p = it.worker("127.0.0.1:" + closed)
                .env("TEMPORAL_CONNECT_TIMEOUT", "30s")
                .env("WORKER_HTTP_PORT", "70000")
                .start();
        assertEquals(2, p.awaitExit(Duration.ofSeconds(25)), p::output);
        String out = p.output();
        assertTrue(
                out.contains("Cannot start: observe.port (WORKER_HTTP_PORT) must be between -1 and 65535, got 70000"),
                out);
        assertFalse(out.contains("Cannot reach Temporal"), out);
        assertFalse(out.contains("\tat "), "no stack trace for an expected error:\n" + out);
    }

    @Test
    void sigtermDuringATurnLetsItFinishBeforeExit(TemporalDevServer server) throws Exception {
        gateway.stubFor(
                post(urlEqualTo("/hooks/agent")).willReturn(okJson(ok("r-slow")).withFixedDelay(4000)));
        WorkerProcess worker = startPolling(server.target(), Map.of("WORKER_DRAIN_TIMEOUT", "30s"));
        assertEquals(0, startQuick(server, "quick-drain-1").exitCode());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> gateway.findAll(postRequestedFor(urlEqualTo("/hooks/agent")))
                                .size()
                        == 1);
        worker.terminate(); // SIGTERM while the gateway is still answering
        worker.awaitExit(Duration.ofSeconds(60)); // after draining
        String out = worker.output();
        assertTrue(out.contains("Stopping: no new tasks"), out);
        assertTrue(out.contains("Step 'execute' of quick-drain-1 completed"), "the in-flight turn finished:\n" + out);
        assertTrue(out.indexOf("Step 'execute' of quick-drain-1 completed") < out.indexOf("Worker stopped"), out);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("ledger.db"));
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT status FROM turn_attempt WHERE workflow_id = 'quick-drain-1'")) {
            assertTrue(rs.next());
            assertEquals("ok", rs.getString(1));
        }
        // The run is parked in its wait with no worker (and on this test's own task queue): end it.
        assertEquals(
                0,
                server.temporal("workflow", "terminate", "--workflow-id", "quick-drain-1", "--reason", "end of test")
                        .exitCode());
    }

    private static java.net.http.HttpResponse<String> get(int port, String path) throws Exception {
        return java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsCountTheRunsTurnsAndHealthGoesDownWhenTemporalStops() throws Exception {
        gateway.stubFor(post(urlEqualTo("/hooks/agent")).willReturn(okJson(ok("r-metrics"))));
        int port = freeLoopbackPort();
        // A server of its own: this test stops it.
        try (TemporalDevServer own = TemporalDevServer.start()) {
            startPolling(own.target(), Map.of("WORKER_HTTP_PORT", String.valueOf(port)))
                    .awaitOutput("Metrics on http://127.0.0.1:" + port + "/metrics", Duration.ofSeconds(30));
            var health = get(port, "/health");
            assertEquals(200, health.statusCode(), health.body());
            assertTrue(health.body().startsWith("{\"status\":\"UP\""), health.body());

            assertEquals(0, startQuick(own, "quick-metrics-1").exitCode());
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> own.temporal("workflow", "describe", "--workflow-id", "quick-metrics-1")
                            .output()
                            .contains("COMPLETED"));
            String attempts =
                    "clawfactory_turn_attempts_total{kind=\"openclaw-hooks\",status=\"ok\",step=\"%s\",workflow_type=\"QuickResearchWorkflow\"} 1.0";
            String metrics = get(port, "/metrics").body();
            assertTrue(
                    metrics.contains(attempts.formatted("execute"))
                            && metrics.contains(attempts.formatted("synthesize")),
                    metrics);
            assertTrue(
                    metrics.contains("clawfactory_gateway_responses_total{class=\"2xx\",kind=\"openclaw-hooks\"} 2.0"),
                    metrics);
            assertTrue(
                    metrics.contains(
                            "clawfactory_turn_duration_seconds_count{kind=\"openclaw-hooks\",step=\"execute\""),
                    metrics);
            assertTrue(metrics.contains("clawfactory_ledger_write_failures_total 0.0"), metrics);
            // The SDK's own metrics arrive through the bridge (reported every 10 s).
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> get(port, "/metrics").body().contains("temporal_workflow_completed_total"));
            // Every clawfactory_* series the shipped Grafana dashboard plots exists.
            String scraped = get(port, "/metrics").body();
            String dashboard = Files.readString(Path.of("../docs/grafana-dashboard.json"));
            var names = java.util.regex.Pattern.compile("clawfactory_[a-z_]+")
                    .matcher(dashboard)
                    .results()
                    .map(java.util.regex.MatchResult::group)
                    .distinct()
                    .toList();
            assertTrue(names.size() >= 4, names.toString());
            for (String name : names) {
                assertTrue(
                        scraped.contains("\n" + name),
                        "the dashboard plots " + name + ", which the worker does not export");
            }
            assertEquals(
                    405,
                    java.net.http.HttpClient.newHttpClient()
                            .send(
                                    java.net.http.HttpRequest.newBuilder(
                                                    java.net.URI.create("http://127.0.0.1:" + port + "/health"))
                                            .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                                            .build(),
                                    java.net.http.HttpResponse.BodyHandlers.ofString())
                            .statusCode());

            own.stop();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> get(port, "/health").statusCode() == 503);
            String down = get(port, "/health").body();
            assertTrue(down.contains("\"temporal\":\"DOWN\"") && down.contains("Temporal does not answer"), down);
            assertTrue(down.contains("\"ledger\":\"UP\""), down);
        }
    }

    @Test
    void anHttpStepCallsItsEndpointWithEscapedValuesAndASecretFromTheSecretsFolder(TemporalDevServer server)
            throws Exception {
        gateway.stubFor(post(urlEqualTo("/hooks/agent")).willReturn(okJson(ok("r-http"))));
        gateway.stubFor(post(com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/notify/.*"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                        .withStatus(204)));
        Files.writeString(dir.resolve("defs/notify.yaml"), """
                name: NotifyWorkflow
                input: { item: "a b" }
                steps:
                  - id: execute
                    agentTurn: { name: notify-execute, message: "Research" }
                  - id: notify
                    http:
                      method: POST
                      url: "%s/notify/{{input.item}}?run={{workflow.id}}"
                      headers: { Authorization: "Bearer {{secret.hook-token}}" }
                      body: '{"item": "{{input.item}}", "turn": "{{steps.execute.runId}}"}'
                      expectStatus: [204]
                """.formatted(gateway.baseUrl()));
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(secrets.resolve("hook-token"), "s3cret-hook-token");
        // The operator lists the step secret, and opens the gateway's loopback port to http steps.
        WorkerProcess worker = startPolling(
                server.target(),
                Map.of(
                        "SECRETS_DIR",
                        secrets.toString(),
                        "STEP_SECRETS",
                        "hook-token",
                        "HTTP_ALLOW_HOSTS",
                        "localhost:" + gateway.port()));
        assertEquals(
                0,
                server.temporal(
                                "workflow",
                                "start",
                                "--type",
                                "NotifyWorkflow",
                                "--task-queue",
                                queue,
                                "--workflow-id",
                                "notify-1",
                                "--input",
                                "{\"item\": \"x\\\", \\\"admin\\\": true\"}")
                        .exitCode());
        await().atMost(Duration.ofSeconds(60))
                .until(() -> server.temporal("workflow", "describe", "--workflow-id", "notify-1")
                                .output()
                                .contains("COMPLETED")
                        || server.temporal("workflow", "describe", "--workflow-id", "notify-1")
                                .output()
                                .contains("FAILED"));
        var calls = gateway.findAll(
                postRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/notify/.*")));
        assertEquals(1, calls.size(), () -> "notify calls; worker log:\n" + worker.output());
        var call = calls.get(0);
        assertEquals("Bearer s3cret-hook-token", call.getHeader("Authorization"));
        assertEquals("notify-1", call.queryParameter("run").firstValue());
        // The input's quote arrives escaped inside the JSON string: no field is added.
        var body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(call.getBodyAsString());
        assertEquals("x\", \"admin\": true", body.get("item").asText());
        assertEquals("r-http", body.get("turn").asText());
        assertEquals(2, body.size(), body.toString());
        // The path value is one percent-encoded segment.
        assertEquals("/notify/x%22%2C%20%22admin%22%3A%20true", call.getUrl().replaceFirst("\\?.*", ""));
        String history = server.temporal("workflow", "show", "--workflow-id", "notify-1", "-o", "json")
                .output();
        StringBuilder decoded = new StringBuilder(history);
        var data = java.util.regex.Pattern.compile("\"data\":\\s*\"([A-Za-z0-9+/=]+)\"")
                .matcher(history);
        while (data.find()) {
            decoded.append(new String(
                    java.util.Base64.getDecoder().decode(data.group(1)), java.nio.charset.StandardCharsets.UTF_8));
        }
        assertTrue(decoded.toString().contains("hook-token"), "the secret's reference is in the history");
        assertFalse(decoded.toString().contains("s3cret-hook-token"), "the secret's value is not in the history");
        assertFalse(worker.output().contains("s3cret-hook-token"), "the secret is not in the log");
    }

    /** {@code temporal workflow start} of QuickResearchWorkflow on this test's task queue. */
    private TemporalDevServer.CliResult startQuick(TemporalDevServer server, String workflowId) {
        return server.temporal(
                "workflow",
                "start",
                "--type",
                "QuickResearchWorkflow",
                "--task-queue",
                queue,
                "--workflow-id",
                workflowId);
    }
}

package ai.clawfactory.worker.it;

import ai.clawfactory.testing.PostgresServer;
import ai.clawfactory.testing.TemporalDevServer;
import ai.clawfactory.testing.TemporalDevServerExtension;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several workers, as on several hosts: two worker processes polling one dev server and sharing
 * one PostgreSQL ledger (DATASOURCES_DEFAULT_URL). Both migrate the same database at start;
 * every turn of every run is answered exactly once and recorded exactly once as ok.
 */
@ExtendWith(TemporalDevServerExtension.class)
class SharedPostgresLedgerIT {

    private static final Path JAR = Path.of("target/clawfactory-worker.jar");
    private static final int RUNS = 30;
    private static final String TASK_QUEUE = "clawfactory-shared-ledger";

    @TempDir
    Path dir;
    private PostgresServer pg;
    private WireMockServer gateway;
    private final List<Process> workers = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        pg = PostgresServer.start();
        gateway = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(40));
        gateway.start();
        Files.createDirectories(dir.resolve("defs"));
        Files.writeString(dir.resolve("defs/shared.yaml"), """
                name: SharedLedgerWorkflow
                steps:
                  - id: execute
                    agentTurn: { name: shared-execute, message: "Research for {{workflow.id}}" }
                  - id: synthesize
                    agentTurn: { name: shared-synthesize, message: "Synthesize {{steps.execute.runId}}" }
                """);
        Files.writeString(dir.resolve("token"), "it-token");
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        for (Process p : workers) {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
        gateway.stop();
        pg.close();
    }

    private Process startWorker(TemporalDevServer server, String name) throws IOException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-jar", JAR.toAbsolutePath().toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.put("TEMPORAL_ADDRESS", server.target());
        env.put("TEMPORAL_TASK_QUEUE", TASK_QUEUE);
        env.put("DEFINITIONS_DIR", dir.resolve("defs").toString());
        env.put("DATASOURCES_DEFAULT_URL", pg.jdbcUrl());
        env.put("GATEWAY_URL", gateway.baseUrl());
        env.put("GATEWAY_TOKEN_FILE", dir.resolve("token").toString());
        env.put("GATEWAY_HEARTBEAT", "500ms");
        env.put("WORKER_HTTP_PORT", "0");
        Process p = pb.start();
        workers.add(p);
        return p;
    }

    private String log(String name) throws IOException {
        Path p = dir.resolve(name + ".log");
        return Files.exists(p) ? Files.readString(p) : "";
    }

    @Test
    void twoWorkersOnOnePostgresLedgerRunEveryTurnExactlyOnce(TemporalDevServer server) throws Exception {
        gateway.stubFor(post(urlEqualTo("/hooks/agent")).willReturn(
                okJson("{\"ok\":true,\"runId\":\"r-shared\",\"completion\":{\"status\":\"ok\"}}").withFixedDelay(300)));
        // Started together: both run the Flyway migration against the same empty database.
        startWorker(server, "worker-a");
        startWorker(server, "worker-b");
        for (String name : List.of("worker-a", "worker-b")) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                    .until(() -> log(name).contains("Worker polling task queue '" + TASK_QUEUE + "'")
                            || workers.stream().anyMatch(p -> !p.isAlive()));
            assertTrue(workers.stream().allMatch(Process::isAlive), () -> quietly(name));
        }

        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(server.target()).build());
        try {
            WorkflowClient client = WorkflowClient.newInstance(stubs);
            List<WorkflowStub> runs = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                WorkflowStub stub = client.newUntypedWorkflowStub("SharedLedgerWorkflow", WorkflowOptions.newBuilder()
                        .setTaskQueue(TASK_QUEUE).setWorkflowId("shared-" + i).build());
                stub.start();
                runs.add(stub);
            }
            for (WorkflowStub run : runs) {
                run.getResult(120, TimeUnit.SECONDS, Object.class);
            }
        } finally {
            stubs.shutdownNow();
        }

        gateway.verify(2 * RUNS, postRequestedFor(urlEqualTo("/hooks/agent")));
        long distinctKeys = gateway.findAll(postRequestedFor(urlEqualTo("/hooks/agent"))).stream()
                .map(r -> r.getHeader("Idempotency-Key")).distinct().count();
        assertEquals(2 * RUNS, distinctKeys, "one gateway call per turn");
        Map<String, Integer> okPerKey = new HashMap<>();
        int rows = 0;
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl());
             ResultSet rs = c.createStatement().executeQuery("SELECT turn_key, status FROM turn_attempt")) {
            while (rs.next()) {
                rows++;
                assertEquals("ok", rs.getString(2), "attempt of " + rs.getString(1));
                okPerKey.merge(rs.getString(1), 1, Integer::sum);
            }
        }
        assertEquals(2 * RUNS, rows, "one ledger row per turn");
        assertEquals(2 * RUNS, okPerKey.size());
        assertTrue(okPerKey.values().stream().allMatch(n -> n == 1), okPerKey.toString());
        // Both workers took part (30 runs, two pollers each, a 300 ms gateway).
        for (String name : List.of("worker-a", "worker-b")) {
            assertTrue(log(name).contains("completed (attempt 1"), name + " ran no turn:\n" + log(name));
        }

        // The prune job's command, on the same database (what clawfactory-ledger-prune.service runs).
        String dry = turnsCommand("prune", "--older-than", "1d", "--dry-run");
        assertTrue(dry.startsWith("Would delete 0 attempt(s) started before "), dry);
        assertTrue(dry.contains("from the configured datasource"), dry);
        String pruned = turnsCommand("prune");
        assertTrue(pruned.startsWith("Deleted 0 attempt(s)") && pruned.contains("(older than 30d)"), pruned);
        assertTrue(turnsCommand("--limit", "5").contains("shared-"), "turns lists the shared ledger");
    }

    @Test
    void theLedgerPasswordComesFromAFileAndAWrongOneIsOneLine() throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl())) {
            c.createStatement().execute("CREATE ROLE reader LOGIN PASSWORD 'pw-7c1e9a'");
            c.createStatement().execute("CREATE TABLE turn_attempt (id VARCHAR(36) PRIMARY KEY, turn_key VARCHAR(300), "
                    + "workflow_id VARCHAR(255), run_id VARCHAR(64), workflow_type VARCHAR(255), step_id VARCHAR(64), "
                    + "attempt INTEGER, kind VARCHAR(32), status VARCHAR(32), http_status INTEGER, gateway_run_id VARCHAR(255), "
                    + "started_at BIGINT, duration_ms BIGINT, request TEXT, output TEXT, error TEXT)");
            c.createStatement().execute("GRANT SELECT ON turn_attempt TO reader");
        }
        pg.requirePasswordFor("reader");
        String url = pg.jdbcUrl().replace("user=" + PostgresServer.USER, "user=reader");
        Files.writeString(dir.resolve("db-password"), "pw-7c1e9a\n");
        Map<String, String> env = Map.of("DATASOURCES_DEFAULT_URL", url,
                "LEDGER_DB_PASSWORD_FILE", dir.resolve("db-password").toString());
        Run ok = turnsCommand(env);
        assertEquals(0, ok.code(), ok.out());
        assertTrue(ok.out().contains("No turns recorded yet."), ok.out());

        Files.writeString(dir.resolve("db-password"), "not-it");
        Run bad = turnsCommand(env);
        assertEquals(1, bad.code(), bad.out());
        assertTrue(bad.out().contains("Cannot read the turn ledger at the configured datasource"), bad.out());
        assertTrue(bad.out().contains("password authentication failed"), bad.out());
        assertTrue(!bad.out().contains("not-it") && !bad.out().contains("pw-7c1e9a"), bad.out());
    }

    private record Run(int code, String out) {
    }

    private Run turnsCommand(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toAbsolutePath().toString(), "turns"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("turns.log").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), Files.readString(dir.resolve("turns.log")));
    }

    private String turnsCommand(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toAbsolutePath().toString(), "turns"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("turns.log").toFile());
        pb.environment().put("DATASOURCES_DEFAULT_URL", pg.jdbcUrl());
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = Files.readString(dir.resolve("turns.log"));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private String quietly(String name) {
        try {
            return log(name);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}

package ai.clawfactory.worker.it;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.testing.PostgresServer;
import ai.clawfactory.testing.TemporalDevServer;
import ai.clawfactory.testing.TemporalDevServerExtension;
import ai.clawfactory.testing.WorkerProcess;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several workers, as on several hosts: two worker processes polling one dev server and sharing
 * one PostgreSQL ledger (DATASOURCES_DEFAULT_URL). Both migrate the same database at start;
 * every turn of every run is answered exactly once and recorded exactly once as ok.
 */
@ExtendWith(TemporalDevServerExtension.class)
class SharedPostgresLedgerIT {

    private static final int RUNS = 30;

    @RegisterExtension
    final WorkerJarFixture it = new WorkerJarFixture(options().containerThreads(40));

    private final WireMockServer gateway = it.gateway;
    private final Path dir = it.dir;
    private PostgresServer pg;

    @BeforeEach
    void setUp() throws IOException {
        pg = PostgresServer.start();
        it.define("shared.yaml", """
                name: SharedLedgerWorkflow
                steps:
                  - id: execute
                    agentTurn: { name: shared-execute, message: "Research for {{workflow.id}}" }
                  - id: synthesize
                    agentTurn: { name: shared-synthesize, message: "Synthesize {{steps.execute.runId}}" }
                """);
    }

    @AfterEach
    void tearDown() {
        pg.close();
    }

    /** A worker on the shared PostgreSQL ledger (DATASOURCES_DEFAULT_URL instead of LEDGER_DB). */
    private WorkerProcess.Builder worker(TemporalDevServer server, String name) {
        return it.worker(server.target(), name)
                .withoutEnv("LEDGER_DB")
                .env("DATASOURCES_DEFAULT_URL", pg.jdbcUrl())
                .env("GATEWAY_HEARTBEAT", "500ms");
    }

    @Test
    void twoWorkersOnOnePostgresLedgerRunEveryTurnExactlyOnce(TemporalDevServer server) throws Exception {
        gateway.stubFor(post(urlEqualTo("/hooks/agent"))
                .willReturn(okJson("{\"ok\":true,\"runId\":\"r-shared\",\"completion\":{\"status\":\"ok\"}}")
                        .withFixedDelay(300)));
        // Started together: both apply the ledger schema (LedgerSchema) to the same empty database.
        List<WorkerProcess> workers = List.of(
                worker(server, "worker-a").start(), worker(server, "worker-b").start());
        workers.forEach(WorkerProcess::awaitReady);

        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(server.target())
                .build());
        try {
            WorkflowClient client = WorkflowClient.newInstance(stubs);
            List<WorkflowStub> runs = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                WorkflowStub stub = client.newUntypedWorkflowStub(
                        "SharedLedgerWorkflow",
                        WorkflowOptions.newBuilder()
                                .setTaskQueue(it.taskQueue())
                                .setWorkflowId("shared-" + i)
                                .build());
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
                .map(r -> r.getHeader("Idempotency-Key"))
                .distinct()
                .count();
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
        for (WorkerProcess w : workers) {
            assertTrue(w.output().contains("completed (attempt 1"), w.name() + " ran no turn:\n" + w.output());
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
            c.createStatement()
                    .execute("CREATE TABLE turn_attempt (id VARCHAR(36) PRIMARY KEY, turn_key VARCHAR(300), "
                            + "workflow_id VARCHAR(255), run_id VARCHAR(64), workflow_type VARCHAR(255), step_id VARCHAR(64), "
                            + "attempt INTEGER, kind VARCHAR(32), status VARCHAR(32), http_status INTEGER, gateway_run_id VARCHAR(255), "
                            + "started_at BIGINT, duration_ms BIGINT, request TEXT, output TEXT, error TEXT)");
            c.createStatement().execute("GRANT SELECT ON turn_attempt TO reader");
        }
        pg.requirePasswordFor("reader");
        String url = pg.jdbcUrl().replace("user=" + PostgresServer.USER, "user=reader");
        Files.writeString(dir.resolve("db-password"), "pw-7c1e9a\n");
        Map<String, String> env = Map.of(
                "DATASOURCES_DEFAULT_URL",
                url,
                "LEDGER_DB_PASSWORD_FILE",
                dir.resolve("db-password").toString());
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

    private record Run(int code, String out) {}

    /** {@code java -jar worker.jar turns <args>} on the shared ledger, with {@code env} on top. */
    private Run turnsCommand(Map<String, String> env, String... args) {
        WorkerProcess p = it.jar("turns").env(env).args("turns").args(args).start();
        int code = p.awaitExit(Duration.ofSeconds(60));
        return new Run(code, p.output());
    }

    private String turnsCommand(String... args) {
        Run r = turnsCommand(Map.of("DATASOURCES_DEFAULT_URL", pg.jdbcUrl()), args);
        assertEquals(0, r.code(), r.out());
        return r.out();
    }
}

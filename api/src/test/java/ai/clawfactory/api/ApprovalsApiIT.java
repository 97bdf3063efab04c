package ai.clawfactory.api;

import static ai.clawfactory.api.Http.json;
import static ai.clawfactory.api.Http.problem;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.testing.TemporalDevServer;
import ai.clawfactory.testing.TemporalDevServerExtension;
import ai.clawfactory.testing.WorkerProcess;
import ai.clawfactory.testing.WorkerProcesses;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Approval steps decided over HTTP: the packaged API jar and the packaged worker jar (dry-run
 * gateway, so the notify turn is recorded, not sent) on the real dev server. An approval through
 * {@code POST /api/v1/runs/{id}/approvals} lets the next step run and is recorded with the token's
 * name; a rejection fails the run; a token without the decide scope, an unknown step and a closed
 * run are refused as problem+json; a timeout ends the step as {@code onTimeout} says.
 */
@ExtendWith(TemporalDevServerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApprovalsApiIT {

    static final String TOKEN = "it-token-" + UUID.randomUUID();
    static final String DECIDER = "it-decider-" + UUID.randomUUID();

    static final String DEFINITION = """
            name: ApiApproval
            steps:
              - id: publish
                approval:
                  prompt: "Publish?"
                  timeout: 1h
                  notify:
                    agentTurn: { message: "Decide: {{approval.link}}" }
              - id: post
                agentTurn: { message: "Post: {{steps.publish.output}}" }
            """;
    static final String TIMEOUT = """
            name: ApiApprovalTimeout
            steps:
              - id: publish
                approval: { prompt: "Publish?", timeout: 2s, onTimeout: reject }
            """;

    @RegisterExtension
    static final WorkerProcesses WORKERS = new WorkerProcesses(ApiIT.WORKER_JAR);

    private WorkerProcess api;
    private Http http;

    @BeforeAll
    void start(TemporalDevServer server) throws IOException {
        Path dir = Files.createTempDirectory("clawfactory-approvals-it-");
        Path defs = Files.createDirectories(dir.resolve("defs"));
        Files.writeString(defs.resolve("approval.yaml"), DEFINITION);
        Files.writeString(defs.resolve("timeout.yaml"), TIMEOUT);
        Files.writeString(dir.resolve("tokens"), TOKEN + "\n" + DECIDER + " read,operate,decide\n");
        WORKERS.builder(dir.resolve("worker.log"))
                .temporal(server.target())
                .definitions(defs)
                .sqliteLedger(dir.resolve("ledger.db"))
                .env("TEMPORAL_CONNECT_TIMEOUT", "60s")
                .env("WORKER_HTTP_PORT", "0")
                .startReady();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        api = WorkerProcess.builder(ApiIT.API_JAR, dir.resolve("api.log"))
                .temporal(server.target())
                .taskQueue(WORKERS.taskQueue())
                .definitions(defs)
                .env("API_TOKEN_FILE", dir.resolve("tokens").toString())
                .env("API_HTTP_PORT", Integer.toString(port))
                .readyWhenOutputContains("Server Running")
                .start()
                .awaitReady();
        http = new Http("http://127.0.0.1:" + port);
    }

    @AfterAll
    void stop() {
        if (api != null) {
            api.stop();
        }
    }

    private String startRun(String type) {
        HttpResponse<String> r = http.post("/api/v1/runs", TOKEN, "{\"type\":\"" + type + "\"}");
        assertEquals(201, r.statusCode(), () -> r.body() + "\n" + api.output());
        return json(r).path("id").asText();
    }

    private JsonNode awaitPending(String id) {
        return await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .until(
                        () -> json(http.get("/api/v1/runs/" + id, TOKEN)),
                        run -> run.path("progress").path("approvals").size() == 1);
    }

    private JsonNode awaitClosed(String id) {
        return await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .until(
                        () -> json(http.get("/api/v1/runs/" + id, TOKEN)),
                        run -> !run.path("status").asText().equals("running"));
    }

    private HttpResponse<String> decide(String id, String token, String body) {
        return http.post("/api/v1/runs/" + id + "/approvals", token, body);
    }

    @Test
    void anApprovalOverHttpRunsTheNextStepAndIsRecordedWithTheTokensName() {
        String id = startRun("ApiApproval");
        JsonNode pending = awaitPending(id).path("progress").path("approvals").get(0);
        assertEquals("publish", pending.path("step").asText());
        assertEquals("Publish?", pending.path("prompt").asText());

        problem(decide(id, TOKEN, "{\"decision\":\"approve\"}"), 403);
        JsonNode unknown = problem(decide(id, DECIDER, "{\"step\":\"nope\",\"decision\":\"approve\"}"), 404);
        assertEquals("/step", unknown.path("field").asText(), unknown::toString);

        HttpResponse<String> r = decide(id, DECIDER, "{\"decision\":\"approve\",\"note\":\"ship it\"}");
        assertEquals(200, r.statusCode(), () -> r.body() + "\n" + api.output());
        JsonNode decided = json(r);
        assertEquals("approved", decided.path("decision").asText());
        assertEquals("api", decided.path("channel").asText());
        assertEquals("api-token#2", decided.path("who").asText());
        assertTrue(!r.body().contains(DECIDER), "the token is never echoed");

        JsonNode run = awaitClosed(id);
        assertEquals("completed", run.path("status").asText(), run::toString);
        assertEquals(
                "ok",
                run.path("result").path("steps").path("post").path("status").asText(),
                run::toString);
        problem(decide(id, DECIDER, "{\"decision\":\"reject\"}"), 409);
    }

    @Test
    void aRejectionOverHttpFailsTheRunWithTheNote() {
        String id = startRun("ApiApproval");
        awaitPending(id);
        HttpResponse<String> r = decide(id, DECIDER, "{\"step\":\"publish\",\"decision\":\"reject\",\"note\":\"no\"}");
        assertEquals(200, r.statusCode(), r::body);
        JsonNode run = awaitClosed(id);
        assertEquals("failed", run.path("status").asText(), run::toString);
        assertTrue(run.toString().contains("rejected by api-token#2 via api: no"), run::toString);
    }

    @Test
    void aTimeoutRejectsWhenOnTimeoutSaysSo() {
        String id = startRun("ApiApprovalTimeout");
        JsonNode run = awaitClosed(id);
        assertEquals("failed", run.path("status").asText(), run::toString);
        assertTrue(run.toString().contains("no decision within 2s (onTimeout: reject)"), run::toString);
    }
}

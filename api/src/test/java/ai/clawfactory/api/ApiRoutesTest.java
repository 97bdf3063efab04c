package ai.clawfactory.api;

import static ai.clawfactory.api.Http.json;
import static ai.clawfactory.api.Http.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The routes over real HTTP in a full context (Temporal's in-memory server behind it). */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiRoutesTest extends ApiContext {

    @Inject
    EmbeddedServer server;

    private Http http() {
        return new Http(server.getURL().toString());
    }

    @Test
    void callWithoutTokenIs401ProblemAndCountedOnHealth() {
        long before = json(http().get("/health", null)).path("refusedCalls").asLong();
        HttpResponse<String> r = http().get("/api/v1/definitions", null);
        JsonNode p = problem(r, 401);
        assertEquals("Authorization", p.path("field").asText());
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertEquals(
                before + 1,
                json(http().get("/health", null)).path("refusedCalls").asLong());
    }

    @Test
    void wrongTokenIs401AndUnknownPathWithoutTokenToo() {
        problem(http().get("/api/v1/definitions", "not-the-token-0123456789"), 401);
        problem(http().get("/api/v1/nothing-here", null), 401);
    }

    @Test
    void readOnlyTokenReadsButCannotStart() {
        assertEquals(200, http().get("/api/v1/definitions", READ_ONLY).statusCode());
        JsonNode p = problem(http().post("/api/v1/runs", READ_ONLY, "{\"type\":\"ResearchWorkflow\"}"), 403);
        assertTrue(p.path("detail").asText().contains("'operate'"), p::toString);
    }

    @Test
    void anApprovalNeedsTheDecideScopeAWellFormedBodyAndARun() {
        JsonNode p = problem(http().post("/api/v1/runs/some-run/approvals", TOKEN, "{\"decision\":\"approve\"}"), 403);
        assertTrue(p.path("detail").asText().contains("'decide'"), p::toString);
        JsonNode bad = problem(http().post("/api/v1/runs/some-run/approvals", DECIDER, "{\"decision\":\"yes\"}"), 400);
        assertEquals("/decision", bad.path("field").asText(), bad::toString);
        JsonNode member = problem(
                http().post("/api/v1/runs/some-run/approvals", DECIDER, "{\"decision\":\"approve\",\"who\":\"me\"}"),
                400);
        assertEquals("/who", member.path("field").asText(), member::toString);
        JsonNode note = problem(
                http().post(
                                "/api/v1/runs/some-run/approvals",
                                DECIDER,
                                "{\"decision\":\"reject\",\"note\":\"" + "n".repeat(2049) + "\"}"),
                400);
        assertEquals("/note", note.path("field").asText(), note::toString);
        problem(http().post("/api/v1/runs/no-such-run/approvals", DECIDER, "{\"decision\":\"approve\"}"), 404);
    }

    @Test
    void unknownRouteWithTokenIs404Problem() {
        problem(http().get("/api/v1/nothing-here", TOKEN), 404);
    }

    @Test
    void definitionsListTheValidOnesAndTheProblemsOfTheOthers() {
        JsonNode body = json(http().get("/api/v1/definitions", TOKEN));
        assertEquals(
                "ResearchWorkflow", body.path("definitions").get(0).path("name").asText());
        assertEquals(
                "poetry",
                body.path("definitions").get(0).path("inputs").path("topic").asText());
        assertEquals(
                "research.yaml", body.path("definitions").get(0).path("file").asText());
        assertTrue(body.path("refused").toString().contains("BrokenWorkflow"), body::toString);
        JsonNode problem = body.path("problems").get(0);
        assertEquals("broken.yaml", problem.path("file").asText());
        assertTrue(problem.path("line").asInt() > 0, problem::toString);
        assertFalse(body.toString().contains(dir.toString()), "no server path in the answer: " + body);
    }

    @Test
    void unknownTypeIs422WithDidYouMean() {
        JsonNode p = problem(http().post("/api/v1/runs", TOKEN, "{\"type\":\"ResearchWorkflw\"}"), 422);
        assertEquals("/type", p.path("field").asText());
        assertEquals("ResearchWorkflow", p.path("suggestion").asText());
        assertTrue(p.path("detail").asText().contains("did you mean 'ResearchWorkflow'?"), p::toString);
    }

    @Test
    void typeOfARefusedFileIs422SayingTheFileHasProblems() {
        JsonNode p = problem(http().post("/api/v1/runs", TOKEN, "{\"type\":\"BrokenWorkflow\"}"), 422);
        assertTrue(p.path("detail").asText().contains("has problems"), p::toString);
    }

    @Test
    void inputKeyTheDefinitionDoesNotTakeIs422NamingIt() {
        JsonNode p = problem(
                http().post("/api/v1/runs", TOKEN, "{\"type\":\"ResearchWorkflow\",\"input\":{\"topc\":\"x\"}}"), 422);
        assertEquals("/input/topc", p.path("field").asText());
        assertEquals("topic", p.path("suggestion").asText());
        assertTrue(
                p.path("detail")
                        .asText()
                        .startsWith("Unknown input 'topc'; ResearchWorkflow takes inputs topic, depth"),
                p::toString);
    }

    @Test
    void nestedInputValueIs422AsTheWorkerWouldRefuseIt() {
        JsonNode p = problem(
                http().post("/api/v1/runs", TOKEN, "{\"type\":\"ResearchWorkflow\",\"input\":{\"topic\":{\"a\":1}}}"),
                422);
        assertEquals("/input/topic", p.path("field").asText());
        assertTrue(p.path("detail").asText().contains("is a JSON object"), p::toString);
    }

    @Test
    void malformedBodiesAre400NamingWhere() {
        assertEquals(
                "/",
                problem(http().post("/api/v1/runs", TOKEN, "{\"type\":"), 400)
                        .path("field")
                        .asText());
        assertEquals(
                "/",
                problem(http().post("/api/v1/runs", TOKEN, "[1]"), 400)
                        .path("field")
                        .asText());
        assertEquals(
                "/typo",
                problem(http().post("/api/v1/runs", TOKEN, "{\"type\":\"ResearchWorkflow\",\"typo\":1}"), 400)
                        .path("field")
                        .asText());
        assertEquals(
                "/type",
                problem(http().post("/api/v1/runs", TOKEN, "{\"type\":7}"), 400)
                        .path("field")
                        .asText());
        problem(http().post("/api/v1/runs", TOKEN, "{\"type\":\"ResearchWorkflow\",\"type\":\"X\"}"), 400);
    }

    @Test
    void aBodyThatIsNotJsonByItsTypeIs415Problem() {
        HttpResponse<String> r = Http.send(http().request("/api/v1/runs", TOKEN)
                .header("Content-Type", "text/plain")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"type\":\"ResearchWorkflow\"}"))
                .build());
        assertTrue(problem(r, 415).path("detail").asText().contains("application/json"), r::body);
    }

    @Test
    void wrongMethodIs405Problem() {
        problem(Http.send(http().request("/api/v1/definitions", TOKEN).DELETE().build()), 405);
    }

    @Test
    void bodyOver64KiBIs413Problem() {
        String big = "{\"type\":\"ResearchWorkflow\",\"input\":{\"topic\":\"" + "x".repeat(70 * 1024) + "\"}}";
        problem(http().post("/api/v1/runs", TOKEN, big), 413);
    }

    @Test
    void badIdempotencyKeyIs400NamingTheHeader() {
        JsonNode p = problem(
                http().post("/api/v1/runs", TOKEN, "{\"type\":\"ResearchWorkflow\"}", "Idempotency-Key", "a b/c"), 400);
        assertEquals("Idempotency-Key", p.path("field").asText());
    }

    @Test
    void theSameIdempotencyKeyReturnsTheSameRun() {
        String key = "key-" + UUID.randomUUID();
        HttpResponse<String> first = http().post(
                        "/api/v1/runs",
                        TOKEN,
                        "{\"type\":\"ResearchWorkflow\",\"input\":{\"topic\":\"sonnets\"}}",
                        "Idempotency-Key",
                        key);
        assertEquals(201, first.statusCode(), first::body);
        HttpResponse<String> second = http().post(
                        "/api/v1/runs",
                        TOKEN,
                        "{\"type\":\"ResearchWorkflow\",\"input\":{\"topic\":\"sonnets\"}}",
                        "Idempotency-Key",
                        key);
        assertEquals(200, second.statusCode(), second::body);
        assertEquals(
                json(first).path("runId").asText(), json(second).path("runId").asText());
        assertEquals("api:ResearchWorkflow:" + key, json(first).path("id").asText());
        assertTrue(json(first).path("created").asBoolean());
        assertFalse(json(second).path("created").asBoolean());
        assertEquals(
                "/api/v1/runs/api:ResearchWorkflow:" + key,
                first.headers().firstValue("Location").orElse(""));

        HttpResponse<String> other = http().post(
                        "/api/v1/runs", TOKEN, "{\"type\":\"ResearchWorkflow\"}", "Idempotency-Key", "other-" + key);
        assertEquals(201, other.statusCode(), other::body);
        assertFalse(json(other)
                .path("runId")
                .asText()
                .equals(json(first).path("runId").asText()));
    }

    @Test
    void aStartedRunCanBeReadAndCanceled() {
        String id = json(http().post("/api/v1/runs", TOKEN, "{\"type\":\"ResearchWorkflow\"}"))
                .path("id")
                .asText();
        JsonNode run = json(http().get("/api/v1/runs/" + id, TOKEN));
        assertEquals("running", run.path("status").asText(), run::toString);
        assertEquals("ResearchWorkflow", run.path("type").asText());
        // No worker polls the in-memory server's queue: the status query cannot be answered.
        assertTrue(run.path("progressUnavailable").asText().contains("No worker answered"), run::toString);
        HttpResponse<String> cancel = http().post("/api/v1/runs/" + id + "/cancel", TOKEN, "");
        assertEquals(202, cancel.statusCode(), cancel::body);
    }

    @Test
    void unknownRunIs404Problem() {
        assertEquals(
                "id",
                problem(http().get("/api/v1/runs/no-such-run", TOKEN), 404)
                        .path("field")
                        .asText());
        problem(http().post("/api/v1/runs/no-such-run/cancel", TOKEN, ""), 404);
        problem(http().get("/api/v1/runs/no-such-run/events", TOKEN), 404);
    }

    @Test
    void listFiltersAreCheckedBeforeTemporalSeesThem() {
        assertEquals(
                "status",
                problem(http().get("/api/v1/runs?status=sleeping", TOKEN), 400)
                        .path("field")
                        .asText());
        assertEquals(
                "type",
                problem(http().get("/api/v1/runs?type=X%22%20OR%20WorkflowType%3D%22Y", TOKEN), 400)
                        .path("field")
                        .asText());
        assertEquals(
                "startedAfter",
                problem(http().get("/api/v1/runs?startedAfter=yesterday", TOKEN), 400)
                        .path("field")
                        .asText());
        assertEquals(
                "pageSize",
                problem(http().get("/api/v1/runs?pageSize=1000", TOKEN), 400)
                        .path("field")
                        .asText());
    }

    @Test
    void openApiDocumentIsServedAsOpenApi31() {
        HttpResponse<String> r = http().get("/api/v1/openapi.yaml", TOKEN);
        assertEquals(200, r.statusCode());
        assertTrue(
                r.body().startsWith("openapi: 3.1"),
                r.body().substring(0, Math.min(200, r.body().length())));
        assertTrue(r.body().contains("/api/v1/runs/{id}/events"), "the events route is documented");
    }
}

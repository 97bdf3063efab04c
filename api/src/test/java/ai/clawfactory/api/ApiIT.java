package ai.clawfactory.api;

import static ai.clawfactory.api.Http.json;
import static ai.clawfactory.api.Http.problem;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.testing.TemporalDevServer;
import ai.clawfactory.testing.TemporalDevServerExtension;
import ai.clawfactory.testing.WorkerProcess;
import ai.clawfactory.testing.WorkerProcesses;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yaml.snakeyaml.Yaml;

/**
 * The packaged API jar and the packaged worker jar (dry-run gateway) on the real dev server:
 * runs started over real HTTP (java.net.http, and the real curl), idempotency, 401 and
 * problem+json, the event stream and its resume, and the served OpenAPI document against what
 * every route answers.
 */
@ExtendWith(TemporalDevServerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiIT {

    static final Path WORKER_JAR = Path.of("../worker/target/clawfactory-worker.jar");
    static final Path API_JAR = Path.of("target/clawfactory-api.jar");
    static final String TOKEN = "it-token-" + UUID.randomUUID();
    static final String TYPE = "ApiDemoWorkflow";
    static final int MAX_STREAMS = 3;

    /**
     * Two turns (dry-run) with two waits: long enough to disconnect from its stream mid-run, and a
     * first wait longer than the SDK's 10 s RPC timeout, so a stream outlives a quiet long poll.
     */
    static final String DEFINITION = """
            name: ApiDemoWorkflow
            description: A run to follow through the API.
            input:
              topic: "sonnets"
            steps:
              - id: execute
                agentTurn:
                  message: "Research {{input.topic}}."
              - id: settle
                wait: 12s
              - id: synthesize
                agentTurn:
                  message: "Synthesize {{input.topic}}."
              - id: rest
                wait: 2s
            """;

    @RegisterExtension
    static final WorkerProcesses WORKERS = new WorkerProcesses(WORKER_JAR);

    private Path dir;
    private WorkerProcess api;
    private Http http;
    private String base;

    @BeforeAll
    void start(TemporalDevServer server) throws IOException {
        dir = Files.createTempDirectory("clawfactory-api-it-");
        Path defs = Files.createDirectories(dir.resolve("defs"));
        Files.writeString(defs.resolve("demo.yaml"), DEFINITION);
        Files.writeString(dir.resolve("tokens"), TOKEN + "\n");
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
        api = WorkerProcess.builder(API_JAR, dir.resolve("api.log"))
                .temporal(server.target())
                .taskQueue(WORKERS.taskQueue())
                .definitions(defs)
                .env("API_TOKEN_FILE", dir.resolve("tokens").toString())
                .env("API_HTTP_PORT", Integer.toString(port))
                .env("API_MAX_STREAMS", Integer.toString(MAX_STREAMS))
                .readyWhenOutputContains("Server Running")
                .start()
                .awaitReady();
        base = "http://127.0.0.1:" + port;
        http = new Http(base);
    }

    @AfterAll
    void stop() {
        if (api != null) {
            api.stop();
        }
    }

    private String startRun(String key) {
        HttpResponse<String> r = http.post(
                "/api/v1/runs",
                TOKEN,
                "{\"type\":\"" + TYPE + "\",\"input\":{\"topic\":\"odes\"}}",
                "Idempotency-Key",
                key);
        assertEquals(201, r.statusCode(), () -> r.body() + "\n" + api.output());
        return json(r).path("id").asText();
    }

    private JsonNode awaitClosed(String id) {
        return await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(300))
                .until(
                        () -> json(http.get("/api/v1/runs/" + id, TOKEN)),
                        run -> !run.path("status").asText().equals("running"));
    }

    @Test
    void aRunStartedThroughTheApiRunsOnTheWorkerAndItsKeyReturnsItAgain() {
        String key = "it-" + UUID.randomUUID();
        String id = startRun(key);
        HttpResponse<String> again =
                http.post("/api/v1/runs", TOKEN, "{\"type\":\"" + TYPE + "\"}", "Idempotency-Key", key);
        assertEquals(200, again.statusCode(), again::body);
        assertEquals(id, json(again).path("id").asText());

        JsonNode running = json(http.get("/api/v1/runs/" + id, TOKEN));
        assertEquals("running", running.path("status").asText(), running::toString);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> json(http.get("/api/v1/runs/" + id, TOKEN)).has("progress"));

        JsonNode closed = awaitClosed(id);
        assertEquals("completed", closed.path("status").asText(), closed::toString);
        assertEquals(
                "ok",
                closed.path("result")
                        .path("steps")
                        .path("synthesize")
                        .path("status")
                        .asText()
                        .toLowerCase(),
                closed::toString);

        // After it closed the key still names it (the reuse policy refuses a second run).
        HttpResponse<String> afterClose =
                http.post("/api/v1/runs", TOKEN, "{\"type\":\"" + TYPE + "\"}", "Idempotency-Key", key);
        assertEquals(200, afterClose.statusCode(), afterClose::body);
        assertEquals(
                closed.path("runId").asText(), json(afterClose).path("runId").asText());

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> json(http.get("/api/v1/runs?type=" + TYPE + "&status=completed&pageSize=50", TOKEN))
                        .path("runs")
                        .findValuesAsText("id")
                        .contains(id));
    }

    @Test
    void withoutTheTokenEverythingIs401AndBadStartsAreProblems() {
        problem(http.get("/api/v1/runs", null), 401);
        problem(http.post("/api/v1/runs", null, "{\"type\":\"" + TYPE + "\"}"), 401);
        JsonNode unknown = problem(http.post("/api/v1/runs", TOKEN, "{\"type\":\"ApiDemoWorkflw\"}"), 422);
        assertEquals(TYPE, unknown.path("suggestion").asText());
        JsonNode bad =
                problem(http.post("/api/v1/runs", TOKEN, "{\"type\":\"" + TYPE + "\",\"input\":{\"topik\":1}}"), 422);
        assertEquals("/input/topik", bad.path("field").asText());
    }

    @Test
    void aStreamCutMidRunResumesWithLastEventIdSeeingEveryEventOnce() throws Exception {
        String id = startRun("sse-" + UUID.randomUUID());
        List<Sse.Event> first;
        HttpResponse<Stream<String>> r1 = Http.sendLines(http.request("/api/v1/runs/" + id + "/events", TOKEN)
                .header("Accept", "text/event-stream")
                .build());
        assertEquals(200, r1.statusCode());
        assertTrue(r1.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        try (Stream<String> lines = r1.body()) {
            // Up to the first wait: the run is mid-way (it still has a turn and a wait to go).
            first = Sse.read(lines.iterator(), e -> "step.waiting".equals(e.name()));
        }
        assertEquals("step.waiting", first.get(first.size() - 1).name(), () -> "stream ended early: " + first);
        assertEquals("settle", first.get(first.size() - 1).data().path("step").asText());
        assertFalse(first.stream().anyMatch(e -> "run.ended".equals(e.name())), "disconnected before the end");
        String last = first.get(first.size() - 1).id();

        HttpResponse<Stream<String>> r2 = Http.sendLines(http.request("/api/v1/runs/" + id + "/events", TOKEN)
                .header("Last-Event-ID", last)
                .build());
        List<Sse.Event> second;
        try (Stream<String> lines = r2.body()) {
            second = Sse.read(lines.iterator(), e -> "run.ended".equals(e.name()));
        }
        assertEquals("run.ended", second.get(second.size() - 1).name(), () -> "no end: " + second);
        assertEquals(
                "completed", second.get(second.size() - 1).data().path("status").asText());

        // The whole stream read afresh after the end: the two parts are exactly it, in order.
        HttpResponse<Stream<String>> r3 = Http.sendLines(
                http.request("/api/v1/runs/" + id + "/events", TOKEN).build());
        List<Sse.Event> whole;
        try (Stream<String> lines = r3.body()) {
            whole = Sse.read(lines.iterator(), e -> false);
        }
        List<String> parts = new ArrayList<>();
        first.forEach(e -> parts.add(e.id()));
        second.forEach(e -> parts.add(e.id()));
        assertEquals(whole.stream().map(Sse.Event::id).toList(), parts, "no gap, no repeat");
        assertEquals(new HashSet<>(parts).size(), parts.size());
        Map<String, String> steps = new LinkedHashMap<>();
        for (Sse.Event e : whole) {
            assertEquals(e.id(), Long.toString(e.data().path("id").asLong()), "the SSE id is the history event id");
            if ("step.completed".equals(e.name())) {
                steps.put(e.data().path("step").asText(), e.name());
            }
        }
        assertEquals(List.of("execute", "synthesize"), List.copyOf(steps.keySet()));
        assertEquals(
                List.of(
                        "run.started",
                        "step.scheduled",
                        "step.started",
                        "step.completed",
                        "step.waiting",
                        "step.waited"),
                whole.subList(0, 6).stream().map(Sse.Event::name).toList());
    }

    @Test
    void curlStartsARunAndShowsItsEventsReadably() throws Exception {
        String start = curl(
                "-sS",
                "-X",
                "POST",
                "-H",
                "Authorization: Bearer " + TOKEN,
                "-H",
                "Content-Type: application/json",
                "-H",
                "Idempotency-Key: curl-" + UUID.randomUUID(),
                "--data",
                "{\"type\":\"" + TYPE + "\"}",
                base + "/api/v1/runs");
        String id = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(start)
                .path("id")
                .asText();
        assertTrue(id.startsWith("api:" + TYPE + ":"), start);
        String events =
                curl("-sS", "-N", "-H", "Authorization: Bearer " + TOKEN, base + "/api/v1/runs/" + id + "/events");
        assertTrue(events.contains("event: run.started"), events);
        assertTrue(events.contains("\"event\":\"run.ended\""), events);
        assertTrue(events.lines().anyMatch(l -> l.matches("id: ?\\d+")), events);
        String unauthenticated = curl("-s", "-o", "/dev/null", "-w", "%{http_code}", base + "/api/v1/runs");
        assertEquals("401", unauthenticated);
    }

    @Test
    void eventStreamsAreBoundedAndAClosedOneFreesItsPlace() {
        String id = startRun("streams-" + UUID.randomUUID());
        List<Stream<String>> open = new ArrayList<>();
        try {
            HttpResponse<String> refused = null;
            // Streams of other tests may still hold places until the server notices they are gone.
            for (int i = 0; i <= MAX_STREAMS && refused == null; i++) {
                HttpResponse<Stream<String>> r = Http.sendLines(
                        http.request("/api/v1/runs/" + id + "/events", TOKEN).build());
                if (r.statusCode() == 200) {
                    open.add(r.body());
                    Sse.read(r.body().iterator(), e -> "run.started".equals(e.name()));
                } else {
                    refused = Http.send(http.request("/api/v1/runs/" + id + "/events", TOKEN)
                            .build());
                    r.body().close();
                }
            }
            assertTrue(
                    refused != null && open.size() <= MAX_STREAMS,
                    "no more than " + MAX_STREAMS + " streams: " + open.size());
            problem(refused, 429);
        } finally {
            open.forEach(Stream::close);
        }
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    HttpResponse<Stream<String>> again =
                            Http.sendLines(http.request("/api/v1/runs/" + id + "/events", TOKEN)
                                    .build());
                    again.body().close();
                    return again.statusCode() == 200;
                });
    }

    @Test
    void withoutATokenFileTheJarRefusesToStartInOneLine() {
        WorkerProcess refused = WorkerProcess.builder(API_JAR, dir.resolve("api-no-token.log"))
                .withoutEnv("API_TOKEN_FILE")
                .withoutEnv("CREDENTIALS_DIRECTORY")
                .env("API_HTTP_PORT", "0")
                .start();
        assertEquals(2, refused.awaitExit(Duration.ofSeconds(60)), refused::output);
        String out = refused.output().strip();
        assertTrue(out.startsWith("clawfactory-api: No API token: set API_TOKEN_FILE"), out);
        assertEquals(1, out.lines().count(), out);
    }

    private static String curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "--max-time", "90"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(100, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /**
     * Every operation of the served OpenAPI document, called as documented: the status it answers
     * is one the document lists for it, with a documented media type.
     */
    @Test
    @SuppressWarnings("unchecked")
    void everyRouteAnswersAsTheServedOpenApiDocumentSays() {
        String closed = startRun("contract-" + UUID.randomUUID());
        awaitClosed(closed);
        HttpResponse<String> doc = http.get("/api/v1/openapi.yaml", TOKEN);
        assertEquals(200, doc.statusCode());
        Map<String, Object> api = new Yaml().load(doc.body());
        assertTrue(String.valueOf(api.get("openapi")).startsWith("3.1"));
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) api.get("paths");
        Set<String> checked = new HashSet<>();
        for (var path : paths.entrySet()) {
            for (var op : path.getValue().entrySet()) {
                String method = op.getKey().toUpperCase();
                if (!Set.of("GET", "POST").contains(method)) {
                    continue;
                }
                String uri = path.getKey()
                        .replace("{id}", path.getKey().startsWith("/api/v1/schedules") ? "no-such-schedule" : closed);
                HttpRequest.Builder b = http.request(uri, TOKEN);
                if (method.equals("POST")) {
                    b.header("Content-Type", "application/json")
                            .header("Idempotency-Key", "contract-" + UUID.randomUUID())
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    path.getKey().equals("/api/v1/runs") ? "{\"type\":\"" + TYPE + "\"}" : ""));
                } else {
                    b.GET();
                }
                HttpResponse<String> r = Http.send(b.build());
                Map<String, Object> responses =
                        (Map<String, Object>) ((Map<String, Object>) op.getValue()).get("responses");
                String status = Integer.toString(r.statusCode());
                assertTrue(
                        responses.containsKey(status),
                        method + " " + uri + " answered " + status + " (" + r.body() + "), documented: "
                                + responses.keySet());
                Map<String, Object> response = (Map<String, Object>) responses.get(status);
                Map<String, Object> content = (Map<String, Object>) response.get("content");
                if (content != null && !r.body().isEmpty()) {
                    String type = r.headers()
                            .firstValue("Content-Type")
                            .orElse("")
                            .split(";")[0]
                            .strip();
                    assertTrue(
                            content.containsKey(type),
                            method + " " + uri + " answered " + type + ", documented: " + content.keySet());
                }
                // Without the token every documented route is 401 problem+json.
                problem(
                        Http.send(http.request(uri, null)
                                .method(method, HttpRequest.BodyPublishers.noBody())
                                .build()),
                        401);
                checked.add(method + " " + path.getKey());
            }
        }
        assertTrue(
                checked.containsAll(Set.of(
                        "POST /api/v1/runs",
                        "GET /api/v1/runs",
                        "GET /api/v1/runs/{id}",
                        "POST /api/v1/runs/{id}/cancel",
                        "POST /api/v1/runs/{id}/approvals",
                        "GET /api/v1/runs/{id}/events",
                        "GET /api/v1/definitions",
                        "GET /api/v1/schedules",
                        "POST /api/v1/schedules/{id}/trigger",
                        "POST /api/v1/schedules/{id}/pause",
                        "POST /api/v1/schedules/{id}/unpause",
                        "GET /api/v1/openapi.yaml")),
                "documented routes: " + checked);
    }
}

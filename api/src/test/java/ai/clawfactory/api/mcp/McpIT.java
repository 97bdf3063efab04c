package ai.clawfactory.api.mcp;

import static ai.clawfactory.api.Http.problem;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.api.Http;
import ai.clawfactory.testing.TemporalDevServer;
import ai.clawfactory.testing.TemporalDevServerExtension;
import ai.clawfactory.testing.WorkerProcess;
import ai.clawfactory.testing.WorkerProcesses;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged API jar's MCP server on the real dev server with the packaged worker (dry-run
 * gateway, a SQLite ledger), driven by the SDK's own clients: Streamable HTTP at /mcp (as
 * OpenClaw connects) and stdio through {@code java -jar clawfactory-api.jar mcp}.
 */
@ExtendWith(TemporalDevServerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpIT {

    static final Path WORKER_JAR = Path.of("../worker/target/clawfactory-worker.jar");
    static final Path API_JAR = Path.of("target/clawfactory-api.jar");
    static final String API_TOKEN = "it-api-" + UUID.randomUUID();
    static final String MCP_TOKEN = "it-mcp-" + UUID.randomUUID();
    static final String MCP_DECIDER = "it-mcp-decider-" + UUID.randomUUID();
    static final String TYPE = "McpDemoWorkflow";

    /** A turn (dry-run, so it lands in the ledger), then a wait long enough to act on the running run. */
    static final String DEFINITION = """
            name: McpDemoWorkflow
            description: A run to start and inspect through MCP.
            input:
              topic: "sonnets"
            steps:
              - id: execute
                agentTurn:
                  message: "Research {{input.topic}}."
              - id: settle
                wait: 30s
            """;

    /** Two approvals: the first lets an agent decide (by: mcp), the second keeps the default (not mcp). */
    static final String GATED = """
            name: McpGatedWorkflow
            description: An agent may approve the draft, only a person the publication.
            steps:
              - id: draft
                approval:
                  prompt: "Draft the digest?"
                  timeout: 10m
                  by: [mcp]
              - id: publish
                approval:
                  prompt: "Publish the digest?"
                  timeout: 10m
            """;

    @RegisterExtension
    static final WorkerProcesses WORKERS = new WorkerProcesses(WORKER_JAR);

    private Path dir;
    private Path defs;
    private String temporal;
    private WorkerProcess api;
    private String base;

    @BeforeAll
    void start(TemporalDevServer server) throws IOException {
        dir = Files.createTempDirectory("clawfactory-mcp-it-");
        defs = Files.createDirectories(dir.resolve("defs"));
        Files.writeString(defs.resolve("demo.yaml"), DEFINITION);
        Files.writeString(defs.resolve("gated.yaml"), GATED);
        Files.writeString(dir.resolve("tokens"), API_TOKEN + "\n");
        Files.writeString(dir.resolve("mcp-tokens"), MCP_TOKEN + "\n" + MCP_DECIDER + " read,operate,decide\n");
        temporal = server.target();
        WORKERS.builder(dir.resolve("worker.log"))
                .temporal(temporal)
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
                .temporal(temporal)
                .taskQueue(WORKERS.taskQueue())
                .definitions(defs)
                .sqliteLedger(dir.resolve("ledger.db"))
                .env("API_TOKEN_FILE", dir.resolve("tokens").toString())
                .env("MCP_TOKEN_FILE", dir.resolve("mcp-tokens").toString())
                .env("API_HTTP_PORT", Integer.toString(port))
                .readyWhenOutputContains("Server Running")
                .start()
                .awaitReady();
        base = "http://127.0.0.1:" + port;
    }

    @AfterAll
    void stop() {
        if (api != null) {
            api.stop();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> structured(McpSchema.CallToolResult r) {
        assertFalse(Boolean.TRUE.equals(r.isError()), () -> McpRoutesTest.text(r));
        return (Map<String, Object>) r.structuredContent();
    }

    @Test
    void anAgentStartsARunSeesItsStepsAndTurnsAndCannotApproveWithoutDecide() {
        try (McpSyncClient client = McpClients.http(base, MCP_TOKEN)) {
            client.initialize();
            List<McpSchema.Tool> tools = client.listTools().tools();
            assertEquals(9, tools.size(), tools::toString);
            tools.forEach(t -> assertNotNull(t.annotations().readOnlyHint(), t.name()));

            Map<String, Object> defsAnswer =
                    structured(client.callTool(new McpSchema.CallToolRequest("list_definitions", Map.of())));
            assertTrue(defsAnswer.toString().contains(TYPE), defsAnswer::toString);

            Map<String, Object> started = structured(client.callTool(new McpSchema.CallToolRequest(
                    "start_run", Map.of("type", TYPE, "input", Map.of("topic", "odes")))));
            String id = (String) started.get("id");
            assertEquals(true, started.get("created"));

            // get_run: the progress (steps done) from the worker, and the turn from the ledger.
            Map<String, Object> run = await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () -> structured(
                                    client.callTool(new McpSchema.CallToolRequest("get_run", Map.of("id", id)))),
                            r -> r.get("turns") instanceof List<?> turns
                                    && !turns.isEmpty()
                                    && r.get("progress") != null);
            assertEquals("running", run.get("status"), run::toString);
            assertTrue(run.get("progress").toString().contains("execute"), run::toString);
            @SuppressWarnings("unchecked")
            Map<String, Object> turn = ((List<Map<String, Object>>) run.get("turns")).get(0);
            assertEquals("execute", turn.get("step"), run::toString);

            McpSchema.CallToolResult refused =
                    client.callTool(new McpSchema.CallToolRequest("approve", Map.of("id", id)));
            assertTrue(refused.isError(), refused::toString);
            assertTrue(McpRoutesTest.text(refused).contains("'decide' scope"), McpRoutesTest.text(refused));

            try (McpSyncClient decider = McpClients.http(base, MCP_DECIDER)) {
                decider.initialize();
                // The run has no approval step: the run's decide Update itself refuses it (NoSuchApproval),
                // so the call reached the run's validator through the same path as the REST route.
                McpSchema.CallToolResult decided = decider.callTool(
                        new McpSchema.CallToolRequest("approve", Map.of("id", id, "note", "looks fine")));
                assertTrue(decided.isError(), decided::toString);
                assertTrue(
                        McpRoutesTest.text(decided).startsWith("No such approval pending"),
                        McpRoutesTest.text(decided));
            }

            Map<String, Object> canceled =
                    structured(client.callTool(new McpSchema.CallToolRequest("cancel_run", Map.of("id", id))));
            assertEquals(id, canceled.get("id"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> structured(client.callTool(new McpSchema.CallToolRequest("get_run", Map.of("id", id))))
                            .get("status")
                            .equals("canceled"));
        }
        assertTrue(api.output().contains("MCP call by mcp-token#1: start_run ok"), api::output);
        assertTrue(api.output().contains("MCP call by mcp-token#2: approve error"), api::output);
        assertFalse(api.output().contains(MCP_TOKEN), "no token in the log");
    }

    @Test
    void anAgentWithTheDecideScopeApprovesAStepThatListsMcpButNotOneThatKeepsTheDefault() {
        try (McpSyncClient agent = McpClients.http(base, MCP_DECIDER)) {
            agent.initialize();
            String id = (String) structured(agent.callTool(
                            new McpSchema.CallToolRequest("start_run", Map.of("type", "McpGatedWorkflow"))))
                    .get("id");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> structured(agent.callTool(new McpSchema.CallToolRequest("get_run", Map.of("id", id))))
                            .toString()
                            .contains("Draft the digest?"));

            McpSchema.CallToolResult approved = agent.callTool(new McpSchema.CallToolRequest(
                    "approve", Map.of("id", id, "step", "draft", "note", "draft looks fine")));
            Map<String, Object> decided = structured(approved);
            assertEquals("approved", decided.get("decision"), decided::toString);
            assertEquals("mcp", decided.get("channel"), decided::toString);
            assertEquals("mcp-token#2", decided.get("who"), decided::toString);

            // The second approval keeps the default by: (no mcp): the run itself refuses the agent.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> structured(agent.callTool(new McpSchema.CallToolRequest("get_run", Map.of("id", id))))
                            .toString()
                            .contains("Publish the digest?"));
            McpSchema.CallToolResult refused =
                    agent.callTool(new McpSchema.CallToolRequest("approve", Map.of("id", id, "step", "publish")));
            assertTrue(refused.isError(), refused::toString);
            assertTrue(McpRoutesTest.text(refused).startsWith("Channel not allowed"), McpRoutesTest.text(refused));
            assertEquals(
                    "running",
                    structured(agent.callTool(new McpSchema.CallToolRequest("get_run", Map.of("id", id))))
                            .get("status"));
            structured(agent.callTool(new McpSchema.CallToolRequest("cancel_run", Map.of("id", id))));
        }
        assertTrue(api.output().contains("MCP call by mcp-token#2: approve"), api::output);
    }

    @Test
    void withoutTheMcpTokenIs401() {
        Http http = new Http(base);
        problem(http.post("/mcp", null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"), 401);
        problem(http.post("/mcp", API_TOKEN, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"), 401);
    }

    @Test
    void theStdioServerAnswersTheSdksStdioClient() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ServerParameters params = ServerParameters.builder(java)
                .args("-jar", API_JAR.toAbsolutePath().toString(), "mcp")
                .addEnvVar("TEMPORAL_ADDRESS", temporal)
                .addEnvVar("TEMPORAL_TASK_QUEUE", WORKERS.taskQueue())
                .addEnvVar("DEFINITIONS_DIR", defs.toString())
                .addEnvVar("LEDGER_DB", dir.resolve("ledger.db").toString())
                .build();
        StdioClientTransport transport = new StdioClientTransport(params, new JacksonMcpJsonMapper(new ObjectMapper()));
        ConcurrentLinkedQueue<String> stderr = new ConcurrentLinkedQueue<>();
        transport.setStdErrorHandler(stderr::add);
        try (McpSyncClient client = McpClient.sync(transport)
                .requestTimeout(Duration.ofSeconds(60))
                .initializationTimeout(Duration.ofSeconds(60))
                .jsonSchemaValidator(new SchemaCheck(new ObjectMapper()))
                .build()) {
            client.initialize();
            assertEquals(9, client.listTools().tools().size());
            Map<String, Object> started = structured(client.callTool(new McpSchema.CallToolRequest(
                    "start_run", Map.of("type", TYPE, "idempotencyKey", "stdio-" + UUID.randomUUID()))));
            String id = (String) started.get("id");
            Map<String, Object> run =
                    structured(client.callTool(new McpSchema.CallToolRequest("get_run", Map.of("id", id))));
            assertEquals(id, run.get("id"));
            McpSchema.CallToolResult approve =
                    client.callTool(new McpSchema.CallToolRequest("approve", Map.of("id", id)));
            assertTrue(McpRoutesTest.text(approve).contains("'decide' scope"), McpRoutesTest.text(approve));
            structured(client.callTool(new McpSchema.CallToolRequest("cancel_run", Map.of("id", id))));
        }
        String log = String.join("\n", stderr);
        assertTrue(log.contains("MCP call by stdio:" + System.getProperty("user.name") + ": start_run ok"), log);
    }

    @Test
    void anUnusableMcpTokenFileRefusesTheStartInOneLine() {
        WorkerProcess refused = WorkerProcess.builder(API_JAR, dir.resolve("api-bad-mcp-token.log"))
                .env("API_TOKEN_FILE", dir.resolve("tokens").toString())
                .env("MCP_TOKEN_FILE", dir.resolve("no-such-mcp-tokens").toString())
                .env("API_HTTP_PORT", "0")
                .start();
        assertEquals(2, refused.awaitExit(Duration.ofSeconds(60)), refused::output);
        String out = refused.output().strip();
        assertTrue(out.startsWith("clawfactory-api: The MCP token file"), out);
        assertTrue(out.contains("MCP_TOKEN_FILE"), out);
        assertEquals(1, out.lines().count(), out);
    }

    @Test
    void theStdioServerWritesNothingButJsonRpcOnStdout() throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                        javaBin, "-jar", API_JAR.toAbsolutePath().toString(), "mcp")
                .redirectError(dir.resolve("stdio-raw.err").toFile());
        pb.environment().put("TEMPORAL_ADDRESS", temporal);
        pb.environment().put("DEFINITIONS_DIR", defs.toString());
        pb.environment().remove("MCP_TOKEN_FILE");
        Process p = pb.start();
        try (var in = p.inputReader(StandardCharsets.UTF_8);
                var out = p.outputWriter(StandardCharsets.UTF_8)) {
            out.write("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}\n");
            out.write("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n");
            out.write("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
                    + "\"list_definitions\",\"arguments\":{}}}\n");
            out.flush();
            ObjectMapper json = new ObjectMapper();
            var first = json.readTree(in.readLine());
            assertEquals(1, first.path("id").asInt(), first::toString);
            var second = json.readTree(in.readLine());
            assertEquals(2, second.path("id").asInt(), second::toString);
            assertTrue(second.toString().contains(TYPE), second::toString);
            out.close();
            String rest = in.lines().reduce("", (a, b) -> a + b + "\n");
            assertEquals("", rest, "nothing else on stdout");
        } finally {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "stdin closed: the server ends");
        }
        assertEquals(0, p.exitValue());
        assertTrue(Files.readString(dir.resolve("stdio-raw.err")).contains("MCP call by stdio:"), "logs on stderr");
    }
}

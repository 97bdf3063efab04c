package ai.clawfactory.api.mcp;

import static ai.clawfactory.api.Http.json;
import static ai.clawfactory.api.Http.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.api.ApiContext;
import ai.clawfactory.api.Http;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** /mcp over real HTTP in a full context (Temporal's in-memory server behind it), driven raw and by the SDK's client. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpRoutesTest extends ApiContext {

    static final String MCP_TOKEN = "mcp-token-0123456789abcdef";
    static final String MCP_DECIDER = "mcp-decider-0123456789abcd";

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(super.getProperties());
        try {
            Files.writeString(dir.resolve("mcp-tokens"), MCP_TOKEN + "\n" + MCP_DECIDER + " read,operate,decide\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        p.put("mcp.token-file", dir.resolve("mcp-tokens").toString());
        return p;
    }

    private Http http() {
        return new Http(server.getURL().toString());
    }

    private HttpResponse<String> post(String token, String body) {
        return http().post("/mcp", token, body, "Accept", "application/json, text/event-stream");
    }

    @Test
    void withoutTheMcpTokenIs401AndTheApiTokenIsNotOneCountedOnHealth() {
        long before = json(http().get("/health", null)).path("mcpRefusedCalls").asLong();
        JsonNode p = problem(post(null, "{}"), 401);
        assertEquals("Authorization", p.path("field").asText());
        problem(post(TOKEN, "{}"), 401);
        assertEquals(
                before + 2,
                json(http().get("/health", null)).path("mcpRefusedCalls").asLong());
    }

    @Test
    void aBodyThatIsNotJsonRpcIs400WithAJsonRpcError() {
        HttpResponse<String> r = post(MCP_TOKEN, "{not json");
        assertEquals(400, r.statusCode(), r::body);
        JsonNode error = json(r).path("error");
        assertEquals(McpSchema.ErrorCodes.PARSE_ERROR, error.path("code").asInt(), r::body);
        assertTrue(error.path("message").asText().contains("JSON-RPC"), r::body);
    }

    @Test
    void aNotificationIs202WithoutBody() {
        HttpResponse<String> r = post(MCP_TOKEN, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        assertEquals(202, r.statusCode(), r::body);
        assertEquals("", r.body());
    }

    @Test
    void aBodyOver64KiBIs413() {
        String big =
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"x\":\"" + "a".repeat(70_000) + "\"}}";
        HttpResponse<String> r = post(MCP_TOKEN, big);
        assertEquals(413, r.statusCode(), r::body);
    }

    @Test
    void getAndDeleteAre405Problems() {
        HttpResponse<String> r = http().get("/mcp", MCP_TOKEN);
        problem(r, 405);
        assertEquals("POST", r.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void theSdkClientInitializesAndListsEveryToolWithItsHints() {
        try (McpSyncClient client = McpClients.http(server.getURL().toString(), MCP_TOKEN)) {
            McpSchema.InitializeResult init = client.initialize();
            assertEquals("clawfactory", init.serverInfo().name());
            List<McpSchema.Tool> tools = client.listTools().tools();
            assertEquals(
                    List.of(
                            "list_definitions",
                            "start_run",
                            "list_runs",
                            "get_run",
                            "cancel_run",
                            "list_schedules",
                            "trigger_schedule",
                            "approve",
                            "reject"),
                    tools.stream().map(McpSchema.Tool::name).toList());
            for (McpSchema.Tool t : tools) {
                assertNotNull(t.annotations(), t.name());
                assertNotNull(t.annotations().readOnlyHint(), t.name());
                assertNotNull(t.annotations().destructiveHint(), t.name());
                assertNotNull(t.annotations().idempotentHint(), t.name());
                assertFalse(t.description().isBlank(), t.name());
            }
            McpSchema.Tool get = tools.stream()
                    .filter(t -> t.name().equals("get_run"))
                    .findFirst()
                    .orElseThrow();
            assertTrue(get.annotations().readOnlyHint());
            McpSchema.Tool cancel = tools.stream()
                    .filter(t -> t.name().equals("cancel_run"))
                    .findFirst()
                    .orElseThrow();
            assertTrue(cancel.annotations().destructiveHint());
            assertFalse(cancel.annotations().readOnlyHint());
        }
    }

    @Test
    void startRunChecksTheInputAndStartsARunTheApiSees() {
        try (McpSyncClient client = McpClients.http(server.getURL().toString(), MCP_TOKEN)) {
            client.initialize();
            McpSchema.CallToolResult bad = client.callTool(new McpSchema.CallToolRequest(
                    "start_run", Map.of("type", "ResearchWorkflow", "input", Map.of("topik", "x"))));
            assertTrue(bad.isError(), bad::toString);
            assertTrue(text(bad).contains("did you mean 'topic'"), text(bad));

            String key = UUID.randomUUID().toString();
            McpSchema.CallToolResult started = client.callTool(new McpSchema.CallToolRequest(
                    "start_run",
                    Map.of("type", "ResearchWorkflow", "input", Map.of("topic", "sonnets"), "idempotencyKey", key)));
            assertFalse(started.isError(), () -> text(started));
            @SuppressWarnings("unchecked")
            Map<String, Object> s = (Map<String, Object>) started.structuredContent();
            assertEquals(true, s.get("created"));
            String id = (String) s.get("id");
            JsonNode run = json(http().get("/api/v1/runs/" + id, TOKEN));
            assertEquals("running", run.path("status").asText(), run::toString);
            assertEquals("unavailable", run.path("ledger").asText(), "no LEDGER_DB here: " + run);
            McpSchema.CallToolResult got = client.callTool(new McpSchema.CallToolRequest("get_run", Map.of("id", id)));
            @SuppressWarnings("unchecked")
            Map<String, Object> g = (Map<String, Object>) got.structuredContent();
            assertEquals("running", g.get("status"), () -> text(got));
            assertEquals("unavailable", g.get("ledger"), () -> text(got));

            McpSchema.CallToolResult again = client.callTool(new McpSchema.CallToolRequest(
                    "start_run",
                    Map.of("type", "ResearchWorkflow", "input", Map.of("topic", "sonnets"), "idempotencyKey", key)));
            @SuppressWarnings("unchecked")
            Map<String, Object> a = (Map<String, Object>) again.structuredContent();
            assertEquals(false, a.get("created"));
            assertEquals(id, a.get("id"));
        }
    }

    @Test
    void argumentsOutsideTheSchemaAreAToolErrorNotACall() {
        try (McpSyncClient client = McpClients.http(server.getURL().toString(), MCP_TOKEN)) {
            client.initialize();
            McpSchema.CallToolResult r =
                    client.callTool(new McpSchema.CallToolRequest("get_run", Map.of("id", "x", "extra", 1)));
            assertTrue(r.isError(), r::toString);
            assertTrue(text(r).contains("schema"), text(r));
        }
    }

    @Test
    void approveWithTheDefaultTokenIsRefusedNamingTheDecideScope() {
        try (McpSyncClient client = McpClients.http(server.getURL().toString(), MCP_TOKEN)) {
            client.initialize();
            McpSchema.CallToolResult r =
                    client.callTool(new McpSchema.CallToolRequest("approve", Map.of("id", "some-run")));
            assertTrue(r.isError(), r::toString);
            assertTrue(text(r).contains("'decide' scope"), text(r));
            assertTrue(text(r).contains("read,operate,decide"), text(r));
        }
    }

    @Test
    void approveWithADecideTokenReachesTemporal() {
        try (McpSyncClient client = McpClients.http(server.getURL().toString(), MCP_DECIDER)) {
            client.initialize();
            McpSchema.CallToolResult r = client.callTool(
                    new McpSchema.CallToolRequest("approve", Map.of("id", "no-such-run-" + UUID.randomUUID())));
            assertTrue(r.isError(), r::toString);
            assertTrue(text(r).contains("No run has the id"), text(r));
        }
    }

    static String text(McpSchema.CallToolResult r) {
        return r.content().stream()
                .filter(c -> c instanceof McpSchema.TextContent)
                .map(c -> ((McpSchema.TextContent) c).text())
                .reduce("", String::concat);
    }
}

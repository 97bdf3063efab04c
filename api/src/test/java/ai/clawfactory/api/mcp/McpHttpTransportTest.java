package ai.clawfactory.api.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.api.auth.Scope;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The transport alone, under the SDK's stateless server without tools: what each kind of body gets. */
class McpHttpTransportTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final McpCaller CALLER = new McpCaller("test#1", Set.of(Scope.READ));

    private final McpHttpTransport transport = new McpHttpTransport(new JacksonMcpJsonMapper(JSON));
    private final McpStatelessSyncServer server = McpServer.sync(transport)
            .serverInfo(McpServerFactory.info())
            .jsonSchemaValidator(new SchemaCheck(JSON))
            .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
            .build();

    @AfterEach
    void close() {
        server.close();
    }

    private static JsonNode json(McpHttpTransport.Answer a) throws Exception {
        return JSON.readTree(a.body());
    }

    @Test
    void aRequestGets200AndItsResponse() throws Exception {
        McpHttpTransport.Answer a = transport.handle("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}", CALLER);
        assertEquals(200, a.status(), a.body());
        assertEquals(7, json(a).path("id").asInt());
        assertTrue(json(a).has("result"), a.body());
    }

    @Test
    void aNotificationOrAResponseGets202AndNoBody() {
        McpHttpTransport.Answer n =
                transport.handle("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", CALLER);
        assertEquals(202, n.status());
        assertNull(n.body());
        McpHttpTransport.Answer r = transport.handle("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}", CALLER);
        assertEquals(202, r.status());
    }

    @Test
    void badJsonAnEmptyBodyAndAnOversizedOneAreJsonRpcErrorsWithIdNull() throws Exception {
        McpHttpTransport.Answer bad = transport.handle("{\"jsonrpc\":", CALLER);
        assertEquals(400, bad.status());
        assertEquals(
                McpSchema.ErrorCodes.PARSE_ERROR,
                json(bad).path("error").path("code").asInt());
        assertTrue(json(bad).get("id").isNull(), bad.body());

        assertEquals(400, transport.handle("  ", CALLER).status());

        String big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"x\":\""
                + "é".repeat(McpHttpTransport.MAX_BYTES / 2) + "\"}}";
        McpHttpTransport.Answer over = transport.handle(big, CALLER);
        assertEquals(413, over.status(), "64 KiB counted in bytes, not characters");
        assertTrue(json(over).path("error").path("message").asText().contains("65536"), over.body());
    }

    @Test
    void anUnknownMethodIsTheServersJsonRpcError() throws Exception {
        McpHttpTransport.Answer a = transport.handle("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"nope/nope\"}", CALLER);
        assertEquals(200, a.status(), a.body());
        assertEquals(
                McpSchema.ErrorCodes.METHOD_NOT_FOUND,
                json(a).path("error").path("code").asInt(),
                a.body());
    }

    @Test
    void aClosingTransportAnswers503() {
        transport.closeGracefully().block();
        assertEquals(
                503,
                transport
                        .handle("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", CALLER)
                        .status());
    }
}

package ai.clawfactory.api.mcp;

import static ai.clawfactory.api.Http.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.api.ApiContext;
import ai.clawfactory.api.Http;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Without an MCP token /mcp is closed with a problem saying how to open it; the REST API runs on. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpNotConfiguredTest extends ApiContext {

    @Inject
    EmbeddedServer server;

    @Test
    void mcpAnswers503ProblemAndTheRestApiStillAnswers() {
        Http http = new Http(server.getURL().toString());
        JsonNode p = problem(http.post("/mcp", TOKEN, "{}"), 503);
        assertTrue(p.path("detail").asText().contains("MCP_TOKEN_FILE"), p::toString);
        assertEquals(200, http.get("/api/v1/definitions", TOKEN).statusCode());
    }
}

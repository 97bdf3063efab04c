package ai.clawfactory.api;

import ai.clawfactory.api.auth.TokenFilter;
import ai.clawfactory.api.mcp.McpAccess;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * {@code GET /health}, outside {@code /api/} and without a token (for systemd, nginx and the
 * tests): the API is up, and how many calls it refused for want of a token or scope since start.
 */
@Controller("/health")
@Hidden
final class HealthController {

    /** {@code mcpRefusedCalls}: calls to /mcp refused for want of a valid MCP token. */
    record Health(String status, long refusedCalls, long mcpRefusedCalls) {}

    private final TokenFilter filter;
    private final McpAccess mcp;

    HealthController(TokenFilter filter, McpAccess mcp) {
        this.filter = filter;
        this.mcp = mcp;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    Health health() {
        return new Health("UP", filter.refused(), mcp.refused());
    }
}

package ai.clawfactory.api.mcp;

import ai.clawfactory.api.auth.ApiTokens;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The MCP server's own tokens: {@code MCP_TOKEN_FILE}, else the systemd credential {@code
 * mcp-token}, in the API tokens' format ({@code TOKEN [scopes]}; a line without scopes gets read
 * and operate, never decide). Without either, {@code /mcp} answers 503 and the REST API runs on;
 * a file that is set but unusable stops the start, with one line saying why.
 */
@Context
public final class McpAccess {

    private final Optional<ApiTokens> tokens;
    private final AtomicLong refused = new AtomicLong();

    McpAccess(@Value("${mcp.token-file:}") String tokenFile) {
        this.tokens = ApiTokens.ifConfigured(ApiTokens.MCP, tokenFile, System.getenv());
    }

    /** Calls to /mcp refused for want of a valid MCP token since start (shown on /health). */
    public long refused() {
        return refused.get();
    }

    /** Counts a refused call: the only trace it leaves. */
    void refuse() {
        refused.incrementAndGet();
    }

    /** The MCP tokens, or empty when the MCP server is not configured. */
    public Optional<ApiTokens> tokens() {
        return tokens;
    }
}

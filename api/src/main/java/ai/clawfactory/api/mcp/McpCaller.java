package ai.clawfactory.api.mcp;

import ai.clawfactory.api.auth.Scope;
import java.util.Set;

/**
 * Who calls a tool: {@code who} is the token's label ({@code mcp-token#1}, never the token) over
 * HTTP, {@code stdio:USER} over stdio; {@code scopes} what it may do.
 */
public record McpCaller(String who, Set<Scope> scopes) {

    /** The key under which the HTTP transport puts the caller into the SDK's transport context. */
    static final String CONTEXT_KEY = "clawfactory.caller";
}

package ai.clawfactory.api.mcp;

import ai.clawfactory.api.auth.ApiTokens;
import ai.clawfactory.api.problem.Problem;
import ai.clawfactory.api.problem.Problems;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.Optional;

/**
 * {@code /mcp}: MCP's Streamable HTTP on the API's server, behind the MCP server's own token
 * ({@link McpAccess}). POST one JSON-RPC message, get its answer as JSON; GET (a server stream)
 * and DELETE (a session end) are 405, as a server without sessions may answer. Errors that are not
 * JSON-RPC's (no token, not configured, wrong method) are problem+json; a call without a valid
 * token is counted, never logged.
 */
@Controller("/mcp")
@Hidden
@ExecuteOn(TaskExecutors.BLOCKING)
final class McpController {

    private final McpAccess access;
    private final McpHttpTransport transport;

    McpController(McpAccess access, McpHttpTransport transport, McpStatelessSyncServer server) {
        this.access = access;
        this.transport = transport;
        // the server is injected so that it is built (and hands the transport its handler) before a call
    }

    @Post(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    MutableHttpResponse<?> post(
            @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
            @Nullable @Header("MCP-Protocol-Version") String protocolVersion,
            @Nullable @Body byte[] body) {
        Optional<ApiTokens> tokens = access.tokens();
        if (tokens.isEmpty()) {
            return Problems.response(new Problem(
                    Problem.TYPE_BASE + "mcp-not-configured",
                    "MCP server not configured",
                    503,
                    "This API has no MCP token, so /mcp is closed (the REST API runs on). Set MCP_TOKEN_FILE to a"
                            + " token file (TOKEN [scopes] per line; ./clawfactory dev makes .data/mcp-token) or load"
                            + " the systemd credential mcp-token, and restart the API.",
                    null,
                    null));
        }
        Optional<ApiTokens.Token> token = tokens.get().fromHeader(authorization);
        if (token.isEmpty()) {
            access.refuse();
            return Problems.unauthenticated(
                    (authorization == null ? "No token was sent" : "The token is not one of the MCP server's")
                            + ": send Authorization: Bearer TOKEN with a token from the MCP token file"
                            + " (MCP_TOKEN_FILE; ./clawfactory dev prints the openclaw mcp add line).",
                    "clawfactory-mcp");
        }
        if (!transport.speaks(protocolVersion)) {
            return Problems.response(new Problem(
                    Problem.TYPE_BASE + "invalid-request",
                    "Unsupported MCP protocol version",
                    400,
                    "MCP-Protocol-Version names a version this server does not speak; it speaks "
                            + String.join(", ", transport.protocolVersions()) + ".",
                    "MCP-Protocol-Version",
                    null));
        }
        McpCaller caller = new McpCaller(token.get().label(), token.get().scopes());
        McpHttpTransport.Answer answer = transport.handle(
                body == null ? null : new String(body, java.nio.charset.StandardCharsets.UTF_8), caller);
        MutableHttpResponse<String> response =
                HttpResponse.status(io.micronaut.http.HttpStatus.valueOf(answer.status()));
        return answer.body() == null
                ? response
                : response.body(answer.body()).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    @Get
    MutableHttpResponse<Problem> get() {
        return notAllowed("GET");
    }

    @Delete
    MutableHttpResponse<Problem> delete() {
        return notAllowed("DELETE");
    }

    private static MutableHttpResponse<Problem> notAllowed(String method) {
        return Problems.response(new Problem(
                        Problem.TYPE_BASE + "method-not-allowed",
                        "Method not allowed",
                        405,
                        method + " /mcp is not served: this MCP server keeps no sessions and opens no server stream."
                                + " POST JSON-RPC messages to /mcp.",
                        null,
                        null))
                .header(HttpHeaders.ALLOW, "POST");
    }
}

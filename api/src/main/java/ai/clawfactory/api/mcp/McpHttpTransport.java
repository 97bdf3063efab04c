package ai.clawfactory.api.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The SDK's stateless server transport on a Micronaut controller instead of a servlet: one
 * JSON-RPC message per POST, answered with one JSON body (MCP Streamable HTTP without sessions or
 * server-sent streams, which the specification allows). A request gets 200 and its response, a
 * notification or a response 202 and no body, a message that is not JSON-RPC 400 with a JSON-RPC
 * error, a body over {@link #MAX_BYTES} 413. The caller (token label and scopes) travels in the
 * transport context to the tools.
 */
public final class McpHttpTransport implements McpStatelessServerTransport {

    private static final Logger LOG = LoggerFactory.getLogger(McpHttpTransport.class);

    /** Largest body accepted: 64 KiB, the API's own bound. */
    public static final int MAX_BYTES = 64 * 1024;

    /** What to answer: an HTTP status and a JSON body (null: none). */
    public record Answer(int status, String body) {}

    private final McpJsonMapper json;
    private volatile McpStatelessServerHandler handler;
    private volatile boolean closing;

    public McpHttpTransport(McpJsonMapper json) {
        this.json = json;
    }

    @Override
    public void setMcpHandler(McpStatelessServerHandler handler) {
        this.handler = handler;
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(() -> closing = true);
    }

    /** Whether {@code version} (the MCP-Protocol-Version header) is one this server speaks; null is. */
    public boolean speaks(String version) {
        return version == null || protocolVersions().contains(version);
    }

    /** Handles one POSTed message from {@code caller}; blocks until the server answers it. */
    public Answer handle(String body, McpCaller caller) {
        if (closing || handler == null) {
            return error(503, null, McpSchema.ErrorCodes.INTERNAL_ERROR, "The MCP server is shutting down.");
        }
        if (body == null || body.isBlank()) {
            return error(
                    400, null, McpSchema.ErrorCodes.INVALID_REQUEST, "The body is empty: POST one JSON-RPC message.");
        }
        if (body.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return error(
                    413,
                    null,
                    McpSchema.ErrorCodes.INVALID_REQUEST,
                    "The body is over " + MAX_BYTES + " bytes; MCP messages to this server are smaller.");
        }
        McpSchema.JSONRPCMessage message;
        try {
            message = McpSchema.deserializeJsonRpcMessage(json, body);
        } catch (Exception e) {
            return error(
                    400,
                    null,
                    McpSchema.ErrorCodes.PARSE_ERROR,
                    "The body is not a JSON-RPC 2.0 message: POST one request or notification as JSON.");
        }
        McpTransportContext context = McpTransportContext.create(Map.of(McpCaller.CONTEXT_KEY, caller));
        if (message instanceof McpSchema.JSONRPCRequest request) {
            try {
                McpSchema.JSONRPCResponse response = handler.handleRequest(context, request)
                        .contextWrite(c -> c.put(McpTransportContext.KEY, context))
                        .block();
                return new Answer(200, json.writeValueAsString(response));
            } catch (Exception e) {
                LOG.error("MCP request {} failed", request.method(), e);
                return error(
                        500,
                        request.id(),
                        McpSchema.ErrorCodes.INTERNAL_ERROR,
                        "The server failed to answer (" + e.getClass().getSimpleName() + "); its log has more.");
            }
        }
        if (message instanceof McpSchema.JSONRPCNotification notification) {
            try {
                handler.handleNotification(context, notification)
                        .contextWrite(c -> c.put(McpTransportContext.KEY, context))
                        .block();
            } catch (Exception e) {
                LOG.warn(
                        "MCP notification {} failed ({})",
                        notification.method(),
                        e.getClass().getSimpleName());
            }
            return new Answer(202, null);
        }
        // A response from the client: this server never asks the client anything, so nothing waits for it.
        return new Answer(202, null);
    }

    private Answer error(int status, Object id, int code, String message) {
        // Written as a map: JSON-RPC answers a message it could not read with id null, which the SDK's record refuses.
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("jsonrpc", McpSchema.JSONRPC_VERSION);
        response.put("id", id);
        response.put("error", Map.of("code", code, "message", message));
        try {
            return new Answer(status, json.writeValueAsString(response));
        } catch (Exception e) {
            throw new IllegalStateException("cannot write a JSON-RPC error", e);
        }
    }
}

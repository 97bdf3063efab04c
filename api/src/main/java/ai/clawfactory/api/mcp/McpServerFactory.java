package ai.clawfactory.api.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.inject.Singleton;

/** The MCP server over HTTP, in order: the JSON mapper, the transport, the server with its tools. */
@Factory
final class McpServerFactory {

    /** What the server tells a client it is for (shown to the agent's model). */
    static final String INSTRUCTIONS = "clawfactory runs scheduled, durable agent workflows on Temporal. List the"
            + " definitions to see what can run, start a run with its input, follow it with get_run; approve or"
            + " reject only with a token that has the decide scope.";

    @Singleton
    McpJsonMapper mcpJson() {
        return new JacksonMcpJsonMapper(new ObjectMapper());
    }

    @Singleton
    McpHttpTransport mcpTransport(McpJsonMapper json) {
        return new McpHttpTransport(json);
    }

    @Singleton
    @Bean(preDestroy = "close")
    McpStatelessSyncServer mcpServer(McpHttpTransport transport, McpJsonMapper json, McpTools tools) {
        return McpServer.sync(transport)
                .serverInfo(info())
                .instructions(INSTRUCTIONS)
                .jsonMapper(json)
                .jsonSchemaValidator(tools.schemaValidator())
                .capabilities(
                        McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(tools.stateless())
                .build();
    }

    /** The server's name and version (the jar's, else "dev"). */
    static McpSchema.Implementation info() {
        String version = McpServerFactory.class.getPackage().getImplementationVersion();
        return new McpSchema.Implementation("clawfactory", version == null ? "dev" : version);
    }
}

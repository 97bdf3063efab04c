package ai.clawfactory.api.mcp;

import ai.clawfactory.api.auth.ApiTokens;
import ai.clawfactory.api.auth.Scope;
import io.micronaut.context.ApplicationContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./clawfactory mcp} ({@code java -jar clawfactory-api.jar mcp}): the same tools over
 * stdio for a local MCP client. Stdout carries nothing but JSON-RPC (logs go to stderr, and
 * anything else that writes to {@code System.out} is sent to stderr too); no HTTP server starts
 * and no API token is needed. The caller is {@code stdio:USER} with the scopes of the first line
 * of {@code MCP_TOKEN_FILE} when set, else read and operate. It ends when stdin closes.
 */
public final class McpStdio {

    /** The Micronaut environment of this mode: beans of the HTTP server's (ApiTokens, TokenFilter) stay out. */
    public static final String ENVIRONMENT = "mcp-stdio";

    private McpStdio() {}

    /** Call before anything logs: sends logback's output to stderr. */
    public static void logToStderr() {
        System.setProperty("logback.configurationFile", "logback-stdio.xml");
    }

    public static void run() throws InterruptedException {
        PrintStream rpc = System.out;
        System.setOut(System.err);
        CountDownLatch closed = new CountDownLatch(1);
        InputStream in = new FilterInputStream(System.in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b < 0) {
                    closed.countDown();
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n < 0) {
                    closed.countDown();
                }
                return n;
            }
        };
        try (ApplicationContext context = ApplicationContext.builder()
                .environments(ENVIRONMENT)
                .deduceEnvironment(false)
                .start()) {
            McpTools tools = context.getBean(McpTools.class);
            McpJsonMapper json = context.getBean(McpJsonMapper.class);
            Set<Scope> scopes = context.getBean(McpAccess.class)
                    .tokens()
                    .map(ApiTokens::firstScopes)
                    .orElse(Scope.DEFAULT);
            McpCaller caller = new McpCaller("stdio:" + System.getProperty("user.name", "unknown"), scopes);
            McpSyncServer server = McpServer.sync(new StdioServerTransportProvider(json, in, rpc))
                    .serverInfo(McpServerFactory.info())
                    .instructions(McpServerFactory.INSTRUCTIONS)
                    .jsonMapper(json)
                    .jsonSchemaValidator(tools.schemaValidator())
                    .capabilities(
                            McpSchema.ServerCapabilities.builder().tools(false).build())
                    .tools(tools.forSession(caller))
                    .build();
            closed.await();
            // stdin closed: the SDK has ended the session (an answer not yet written is dropped, so a
            // client keeps stdin open until it has its answers, as MCP clients do).
            server.closeGracefully();
        }
    }
}

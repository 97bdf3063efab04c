package ai.clawfactory.api;

import ai.clawfactory.api.auth.ApiTokens;
import ai.clawfactory.api.mcp.McpStdio;
import ai.clawfactory.core.ExitCode;
import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/**
 * The runs API: its own process ({@code clawfactory-api.jar}, {@code clawfactory-api.service}),
 * a small Micronaut HTTP server in front of Temporal on 127.0.0.1:8090 (API_HTTP_HOST,
 * API_HTTP_PORT), behind a bearer token (API_TOKEN_FILE or the credential api-token). It keeps no
 * state: Temporal is the truth, so a restart loses nothing.
 * <p>
 * With the argument {@code mcp} it serves the MCP tools over stdio instead ({@link McpStdio}).
 * <p>
 * Exit codes: 0 stopped, 2 the configuration is wrong (one line on stderr says what), 1 anything else.
 */
@OpenAPIDefinition(
        info =
                @Info(
                        title = "clawfactory API",
                        version = "1",
                        description =
                                "Start, list, follow and cancel runs of the clawfactory scheduler; list definitions and"
                                        + " schedules. Every error is application/problem+json (RFC 9457)."),
        security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer")
public final class Application {

    private Application() {}

    public static void main(String[] args) throws InterruptedException {
        boolean stdio = args.length > 0 && args[0].equals("mcp");
        String name = stdio ? "clawfactory-api mcp: " : "clawfactory-api: ";
        // Refuse to start with a missing API token (the HTTP server) or an unusable MCP token file,
        // in one line, before anything binds or logs.
        try {
            if (!stdio) {
                ApiTokens.fromEnvironment();
            }
            ApiTokens.ifConfigured(ApiTokens.MCP, System.getenv(ApiTokens.MCP.variable()), System.getenv());
        } catch (ApiTokens.TokenFileException e) {
            System.err.println(name + e.getMessage());
            System.exit(ExitCode.INVALID.code());
        }
        if (stdio) {
            // ./clawfactory mcp: the MCP tools over stdio, no HTTP server, no API token.
            McpStdio.logToStderr();
            McpStdio.run();
            System.exit(0);
        }
        Micronaut.build(args).mainClass(Application.class).banner(false).start();
    }
}

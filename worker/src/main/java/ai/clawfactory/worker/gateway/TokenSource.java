package ai.clawfactory.worker.gateway;

import ai.clawfactory.worker.config.GatewayConfig;
import ai.clawfactory.worker.http.GatewayException;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the gateway token comes from, in order: {@code GATEWAY_TOKEN_FILE}, the systemd credential
 * {@code $CREDENTIALS_DIRECTORY/gateway-token} ({@code LoadCredential=}), then {@code GATEWAY_TOKEN}.
 * Read at each use so a rotated file takes effect; never logged, never part of a message.
 */
@Singleton
public class TokenSource {

    /** Name of the systemd credential holding the token. */
    public static final String CREDENTIAL = "gateway-token";

    private final String tokenFile;
    private final Map<String, String> env;

    public TokenSource(GatewayConfig config) {
        this(config.tokenFile(), System.getenv());
    }

    TokenSource(String tokenFile, Map<String, String> env) {
        this.tokenFile = tokenFile;
        this.env = env;
    }

    /** The token, or null when none is configured. */
    public String token() {
        if (tokenFile != null && !tokenFile.isBlank()) {
            return read(Path.of(tokenFile), "GATEWAY_TOKEN_FILE");
        }
        String credentials = env.get("CREDENTIALS_DIRECTORY");
        if (credentials != null && Files.isReadable(Path.of(credentials, CREDENTIAL))) {
            return read(Path.of(credentials, CREDENTIAL), "credential " + CREDENTIAL);
        }
        String inline = env.get("GATEWAY_TOKEN");
        return inline == null || inline.isBlank() ? null : inline.trim();
    }

    /** Where the token is read from, for messages (never the token itself). */
    public String describe() {
        if (tokenFile != null && !tokenFile.isBlank()) {
            return "file " + tokenFile;
        }
        String credentials = env.get("CREDENTIALS_DIRECTORY");
        if (credentials != null && Files.isReadable(Path.of(credentials, CREDENTIAL))) {
            return "systemd credential " + CREDENTIAL;
        }
        return env.containsKey("GATEWAY_TOKEN") ? "GATEWAY_TOKEN" : "nowhere";
    }

    private static String read(Path file, String what) {
        try {
            String t = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (t.isEmpty()) {
                throw new GatewayException(
                        GatewayException.Category.CONFIGURATION,
                        "The gateway token " + what + " (" + file + ") is empty",
                        null,
                        null,
                        null);
            }
            return t;
        } catch (IOException e) {
            throw new GatewayException(
                    GatewayException.Category.CONFIGURATION,
                    "Cannot read the gateway token from " + what + " (" + file + "): "
                            + e.getClass().getSimpleName() + ". Check the path and that the worker's user may read it.",
                    null,
                    null,
                    null);
        }
    }
}

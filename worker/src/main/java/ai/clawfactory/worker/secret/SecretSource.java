package ai.clawfactory.worker.secret;

import ai.clawfactory.core.definition.HttpTemplates;
import ai.clawfactory.worker.config.SecretsConfig;
import ai.clawfactory.worker.http.GatewayException;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The values of {@code {{secret.NAME}}} references: the file {@code $CREDENTIALS_DIRECTORY/NAME}
 * (systemd {@code LoadCredential=NAME:…}), else {@code $SECRETS_DIR/NAME} (a folder for
 * development; {@code ./clawfactory dev} uses {@code .data/secrets}). Read at each use, so a
 * rotated file takes effect; a trailing line break is dropped. Only the activity that sends the
 * request reads a value: it never enters a workflow, a message or a log line.
 */
@Singleton
public class SecretSource {

    private final String dir;
    private final Map<String, String> env;

    public SecretSource(SecretsConfig config) {
        this(config.dir(), System.getenv());
    }

    public SecretSource(String dir, Map<String, String> env) {
        this.dir = dir == null || dir.isBlank() ? null : dir;
        this.env = env;
    }

    /**
     * The value of secret {@code name}.
     *
     * @throws GatewayException of category CONFIGURATION when there is no such secret (retrying cannot help)
     */
    public String read(String name) {
        if (!HttpTemplates.SECRET_NAME.matcher(name).matches()) {
            throw configuration("'" + name + "' is not a secret name");
        }
        String credentials = env.get("CREDENTIALS_DIRECTORY");
        if (credentials != null && !credentials.isBlank() && Files.isRegularFile(Path.of(credentials, name))) {
            return read(Path.of(credentials, name), name);
        }
        if (dir != null && Files.isRegularFile(Path.of(dir, name))) {
            return read(Path.of(dir, name), name);
        }
        throw configuration("Secret '" + name + "' not found: no file " + name + " in "
                + (credentials == null
                        ? "$CREDENTIALS_DIRECTORY (unset)"
                        : "$CREDENTIALS_DIRECTORY (" + credentials + ")")
                + " or " + (dir == null ? "SECRETS_DIR (unset)" : "SECRETS_DIR (" + dir + ")")
                + ". Add LoadCredential=" + name + ":<file> to the worker's unit, or put the file into SECRETS_DIR.");
    }

    private static String read(Path file, String name) {
        try {
            String v = Files.readString(file, StandardCharsets.UTF_8);
            while (v.endsWith("\n") || v.endsWith("\r")) {
                v = v.substring(0, v.length() - 1);
            }
            if (v.isEmpty()) {
                throw configuration("Secret '" + name + "' (" + file + ") is empty");
            }
            return v;
        } catch (IOException e) {
            throw configuration("Cannot read secret '" + name + "' from " + file + ": "
                    + e.getClass().getSimpleName() + ". Check that the worker's user may read it.");
        }
    }

    private static GatewayException configuration(String message) {
        return new GatewayException(GatewayException.Category.CONFIGURATION, message, null, null, null);
    }
}

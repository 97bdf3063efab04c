package ai.clawfactory.worker.secret;

import ai.clawfactory.core.definition.HttpTemplates;
import ai.clawfactory.worker.config.SecretsConfig;
import ai.clawfactory.worker.http.GatewayException;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The values of {@code {{secret.NAME}}} references, in a namespace of their own: the systemd
 * credential {@code $CREDENTIALS_DIRECTORY/step-secret.NAME} ({@code LoadCredential=step-secret.NAME:…}),
 * else {@code $SECRETS_DIR/NAME} (a folder for development; {@code ./clawfactory dev} uses
 * {@code .data/secrets}). Only names the operator lists in {@code STEP_SECRETS} exist; the worker's
 * own credentials ({@link SecretsConfig#WORKER_CREDENTIALS}) are refused whatever the list or the
 * folders hold. Read at each use, so a rotated file takes effect; a trailing line break is
 * dropped. Only the activity that sends the request reads a value: it never enters a workflow, a
 * message or a log line.
 */
@Singleton
public class SecretSource {

    /** What a step secret's systemd credential name starts with. */
    public static final String CREDENTIAL_PREFIX = "step-secret.";

    private static final Logger LOG = LoggerFactory.getLogger(SecretSource.class);

    private final String dir;
    private final Set<String> allowed;
    private final Map<String, String> env;

    public SecretSource(SecretsConfig config) {
        this(config.dir(), config.allowed(), System.getenv());
        warnAboutOldCredentialNames();
    }

    public SecretSource(String dir, Set<String> allowed, Map<String, String> env) {
        this.dir = dir == null || dir.isBlank() ? null : dir;
        this.allowed = Set.copyOf(allowed);
        this.env = env;
    }

    /**
     * The value of secret {@code name}.
     *
     * @throws GatewayException of category CONFIGURATION when the name is not a step secret or has no
     *     value (retrying cannot help); the message says which setting to change
     */
    public String read(String name) {
        if (!HttpTemplates.SECRET_NAME.matcher(name).matches()) {
            throw configuration("'" + name + "' is not a secret name");
        }
        if (SecretsConfig.isWorkerCredential(name)) {
            throw configuration("Secret '" + name + "' is one of the worker's own credentials "
                    + new TreeSet<>(SecretsConfig.WORKER_CREDENTIALS)
                    + ", which are never step secrets. Give the step a secret of its own (STEP_SECRETS, "
                    + "LoadCredential=" + CREDENTIAL_PREFIX + "NAME:…).");
        }
        if (!allowed.contains(name)) {
            throw configuration("Secret '" + name + "' is not in STEP_SECRETS ("
                    + (allowed.isEmpty() ? "none listed" : String.join(", ", new TreeSet<>(allowed)))
                    + "). The operator lists the step secrets that exist: add it to STEP_SECRETS in the worker's"
                    + " environment (/etc/clawfactory/worker.env), e.g. STEP_SECRETS=" + name + ".");
        }
        Path credentials = credentialsDirectory();
        if (credentials != null && Files.isRegularFile(credentials.resolve(CREDENTIAL_PREFIX + name))) {
            return read(credentials.resolve(CREDENTIAL_PREFIX + name), name);
        }
        if (dir != null && Files.isRegularFile(Path.of(dir, name))) {
            return read(Path.of(dir, name), name);
        }
        if (credentials != null && Files.isRegularFile(credentials.resolve(name))) {
            throw configuration("Secret '" + name + "' is loaded as the credential '" + name
                    + "', its old name; step secrets are read only from credentials named " + CREDENTIAL_PREFIX
                    + "NAME. Rename LoadCredential=" + name + ":… to LoadCredential=" + CREDENTIAL_PREFIX + name
                    + ":… in the worker's drop-in and restart it.");
        }
        throw configuration("Secret '" + name + "' not found: no credential " + CREDENTIAL_PREFIX + name + " in "
                + (credentials == null
                        ? "$CREDENTIALS_DIRECTORY (unset)"
                        : "$CREDENTIALS_DIRECTORY (" + credentials + ")")
                + " and no file " + name + " in "
                + (dir == null ? "SECRETS_DIR (unset)" : "SECRETS_DIR (" + dir + ")")
                + ". Add LoadCredential=" + CREDENTIAL_PREFIX + name
                + ":<file> to the worker's unit, or put the file into SECRETS_DIR.");
    }

    /**
     * Credentials loaded under a bare name that is not the worker's own: step secrets of a
     * deployment from before the {@code step-secret.} namespace, which are no longer read.
     */
    private void warnAboutOldCredentialNames() {
        Path credentials = credentialsDirectory();
        if (credentials == null || !Files.isDirectory(credentials)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(credentials)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (!name.startsWith(CREDENTIAL_PREFIX)
                        && !SecretsConfig.isWorkerCredential(name)
                        && HttpTemplates.SECRET_NAME.matcher(name).matches()) {
                    LOG.warn(
                            "The credential '{}' is not read: step secrets are read only from credentials named {}NAME."
                                    + " If it is one, rename LoadCredential={}:… to LoadCredential={}{}:… and list"
                                    + " {} in STEP_SECRETS.",
                            name,
                            CREDENTIAL_PREFIX,
                            name,
                            CREDENTIAL_PREFIX,
                            name,
                            name);
                }
            }
        } catch (IOException e) {
            // Only a hint: the secrets themselves are checked when a step reads them.
        }
    }

    private Path credentialsDirectory() {
        String credentials = env.get("CREDENTIALS_DIRECTORY");
        return credentials == null || credentials.isBlank() ? null : Path.of(credentials);
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

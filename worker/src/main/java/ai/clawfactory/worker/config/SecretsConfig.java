package ai.clawfactory.worker.config;

import ai.clawfactory.core.definition.HttpTemplates;
import ai.clawfactory.core.temporal.TemporalClientSettings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which {@code {{secret.NAME}}} values exist and where they come from besides the systemd
 * credentials named {@code step-secret.NAME}.
 *
 * @param dir   a folder of step-secret files, one per name (SECRETS_DIR; {@code ./clawfactory dev} sets .data/secrets)
 * @param names the step secrets the operator provides, comma-separated (STEP_SECRETS); a secret not
 *              listed is refused, and none of the worker's own credentials may be listed
 */
@ConfigurationProperties("secrets")
public record SecretsConfig(@Nullable String dir, @Nullable String names) {

    /**
     * The worker's own systemd credentials (its unit's {@code LoadCredential=} lines): never a step
     * secret, whatever folder or list names them.
     */
    public static final Set<String> WORKER_CREDENTIALS = Set.of(
            "gateway-token",
            TemporalClientSettings.CREDENTIAL_API_KEY,
            TemporalClientSettings.CREDENTIAL_CLIENT_KEY,
            "ledger-db-password");

    public SecretsConfig {
        for (String name : split(names)) {
            if (!HttpTemplates.SECRET_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("secrets.names (STEP_SECRETS) lists '" + name
                        + "', which is not a secret name: letters, digits, '_' or '-', starting with a letter");
            }
            if (isWorkerCredential(name)) {
                throw new IllegalArgumentException("secrets.names (STEP_SECRETS) lists '" + name
                        + "', one of the worker's own credentials " + new TreeSet<>(WORKER_CREDENTIALS)
                        + ", which are never step secrets; give the step a secret of its own");
            }
        }
    }

    /** The listed step secrets; empty when STEP_SECRETS is unset (then no step secret exists). */
    public Set<String> allowed() {
        return split(names);
    }

    /** Whether {@code name} is one of the worker's own credentials, in any case. */
    public static boolean isWorkerCredential(String name) {
        return WORKER_CREDENTIALS.contains(name.toLowerCase(Locale.ROOT));
    }

    private static Set<String> split(String list) {
        return list == null
                ? Set.of()
                : Arrays.stream(list.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .collect(Collectors.toCollection(TreeSet::new));
    }
}

package ai.clawfactory.worker.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * Where {@code {{secret.NAME}}} values come from besides {@code $CREDENTIALS_DIRECTORY}.
 *
 * @param dir a folder of secret files, one per name (SECRETS_DIR; {@code ./clawfactory dev} sets .data/secrets)
 */
@ConfigurationProperties("secrets")
public record SecretsConfig(@Nullable String dir) {}

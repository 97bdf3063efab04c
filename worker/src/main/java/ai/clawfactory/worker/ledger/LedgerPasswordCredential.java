package ai.clawfactory.worker.ledger;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A PostgreSQL ledger's password from a file, not from the environment: LEDGER_DB_PASSWORD_FILE,
 * else the systemd credential {@code $CREDENTIALS_DIRECTORY/ledger-db-password}. Used only when
 * no password is configured (DATASOURCES_DEFAULT_PASSWORD).
 */
@Singleton
class LedgerPasswordCredential implements BeanCreatedEventListener<DatasourceConfiguration> {

    static final String CREDENTIAL = "ledger-db-password";

    @Override
    public DatasourceConfiguration onCreated(BeanCreatedEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration config = event.getBean();
        if (config.getPassword() != null && !config.getPassword().isEmpty()) {
            return config;
        }
        Path file = null;
        String named = System.getenv("LEDGER_DB_PASSWORD_FILE");
        String credentials = System.getenv("CREDENTIALS_DIRECTORY");
        if (named != null && !named.isBlank()) {
            file = Path.of(named);
        } else if (credentials != null
                && !credentials.isBlank()
                && Files.isReadable(Path.of(credentials, CREDENTIAL))) {
            file = Path.of(credentials, CREDENTIAL);
        }
        if (file != null) {
            try {
                config.setPassword(Files.readString(file).strip());
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "Cannot read the ledger database password from " + file
                                + " (LEDGER_DB_PASSWORD_FILE or the credential " + CREDENTIAL + ")",
                        e);
            }
        }
        return config;
    }
}

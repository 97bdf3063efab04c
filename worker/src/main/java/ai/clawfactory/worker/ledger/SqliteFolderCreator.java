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
 * Before the pool opens an SQLite ledger: sqlite-jdbc's native library from the launcher's cache
 * ({@link SqliteNativeLibrary}), and the ledger's folder (SQLite creates its file but not the
 * folder).
 */
@Singleton
class SqliteFolderCreator implements BeanCreatedEventListener<DatasourceConfiguration> {

    @Override
    public DatasourceConfiguration onCreated(BeanCreatedEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration config = event.getBean();
        String url = config.getUrl();
        if (url == null || !url.startsWith("jdbc:sqlite:")) {
            return config;
        }
        SqliteNativeLibrary.useCachedCopy();
        if (url.startsWith("jdbc:sqlite::memory:")) {
            return config;
        }
        String file = url.substring("jdbc:sqlite:".length());
        int q = file.indexOf('?');
        Path parent =
                Path.of(q >= 0 ? file.substring(0, q) : file).toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the ledger folder " + parent + " (set LEDGER_DB)", e);
        }
        return config;
    }
}

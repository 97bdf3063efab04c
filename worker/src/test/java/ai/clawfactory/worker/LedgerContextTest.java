package ai.clawfactory.worker;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code @MicronautTest} of the worker's context on a real ledger: a SQLite file in a temporary
 * folder, or the database a subclass names in {@link #ledgerUrl} (the {@code *OnPostgresIT}s:
 * {@link PostgresLedger#jdbcUrl()}). No Temporal worker, no definitions; one context per class,
 * no test transaction (the ledger commits each statement, as in the worker), and every test
 * starts from an empty ledger.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class LedgerContextTest implements TestPropertyProvider {

    /** The class's folder: made before the context starts (JUnit's own beforeAll), deleted after it closed. */
    @TempDir
    protected static Path dir;

    private String url;

    @Override
    public Map<String, String> getProperties() {
        url = ledgerUrl(dir);
        try {
            return TestContexts.properties(Files.createDirectories(dir.resolve("defs")), url);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ledger of this class's context: a SQLite file in {@code dir} unless a subclass says otherwise. */
    protected String ledgerUrl(Path dir) {
        return TestContexts.sqliteUrl(dir.resolve("ledger.db"));
    }

    @BeforeEach
    protected void emptyLedger() {
        TestContexts.emptyLedger(url);
    }
}

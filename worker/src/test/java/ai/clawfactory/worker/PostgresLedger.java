package ai.clawfactory.worker;

import ai.clawfactory.testing.PostgresServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL for the ledger of every {@link TestContexts} context of a test class, as a
 * JUnit 5 extension on a static field ({@code @RegisterExtension static final PostgresLedger PG = new PostgresLedger();}):
 * started before the class's first test (or earlier, when a {@link LedgerContextTest} asks for
 * {@link #jdbcUrl()} to start its context), stopped once the class is done and its contexts are
 * closed, the contexts back on SQLite after.
 */
public final class PostgresLedger implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresLedger.class);

    private PostgresServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        TestContexts.useLedger(jdbcUrl());
        // Closed with the class's store, after every afterAll: a @MicronautTest closes its context in its own.
        context.getStore(NAMESPACE).put(PostgresServer.class, (AutoCloseable) this::stop);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        TestContexts.useLedger(null);
    }

    /** The server's URL; started on the first call. */
    public synchronized String jdbcUrl() {
        if (server == null) {
            server = PostgresServer.start();
        }
        return server.jdbcUrl();
    }

    private synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}

package ai.clawfactory.worker;

import ai.clawfactory.testing.PostgresServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL for the ledger of every {@link TestContexts} context of a test class, as a
 * JUnit 5 extension on a static field ({@code @RegisterExtension static final PostgresLedger PG = new PostgresLedger();}):
 * started before the class's first test, stopped after its last, the contexts back on SQLite after.
 */
public final class PostgresLedger implements BeforeAllCallback, AfterAllCallback {

    private PostgresServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = PostgresServer.start();
        TestContexts.useLedger(server.jdbcUrl());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        TestContexts.useLedger(null);
        if (server != null) {
            server.close();
            server = null;
        }
    }

    public String jdbcUrl() {
        if (server == null) {
            throw new IllegalStateException(
                    "PostgresLedger must be registered with @RegisterExtension on a static field");
        }
        return server.jdbcUrl();
    }
}

package ai.clawfactory.worker;

import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Application contexts for tests: a real SQLite ledger file, the given definitions, no Temporal
 * worker. A test class that re-runs its parent on PostgreSQL ({@code *OnPostgresIT}) points every
 * context at that database instead with {@link #useLedger(String)}; each context then starts
 * from an empty ledger. {@link LedgerContextTest} is the same context under {@code @MicronautTest}.
 */
public final class TestContexts {

    private static volatile String ledgerUrl;

    private TestContexts() {}

    /** A JDBC URL every following context uses for its ledger (null: back to a SQLite file per test). */
    public static void useLedger(String jdbcUrl) {
        ledgerUrl = jdbcUrl;
    }

    /** A SQLite ledger file opened as the worker opens it (application.yml's URL). */
    public static String sqliteUrl(Path file) {
        return "jdbc:sqlite:" + file
                + "?journal_mode=WAL&busy_timeout=5000&transaction_mode=IMMEDIATE&jdbc.explicit_readonly=true";
    }

    /** The properties of a test context: no Temporal worker, these definitions, this ledger. */
    public static Map<String, String> properties(Path definitions, String ledger) {
        Map<String, String> props = new HashMap<>();
        props.put("clawfactory.worker.enabled", "false");
        props.put("definitions.dir", definitions.toString());
        props.put("datasources.default.url", ledger);
        props.put("gateway.heartbeat", "200ms");
        return props;
    }

    /** Deletes every attempt in the ledger at this URL. */
    public static void emptyLedger(String jdbcUrl) {
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            c.createStatement().executeUpdate("DELETE FROM turn_attempt");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot empty the test ledger", e);
        }
    }

    public static ApplicationContext start(Path dir, Path definitions, Map<String, Object> extra) {
        String shared = ledgerUrl;
        Map<String, Object> props =
                new HashMap<>(properties(definitions, shared != null ? shared : sqliteUrl(dir.resolve("ledger.db"))));
        props.putAll(extra);
        ApplicationContext ctx = ApplicationContext.builder()
                .properties(props)
                .deduceEnvironment(false)
                .start();
        if (shared != null) {
            try {
                emptyLedger(shared);
            } catch (RuntimeException e) {
                ctx.close();
                throw new IllegalStateException("cannot empty the shared test ledger", e);
            }
        }
        return ctx;
    }
}

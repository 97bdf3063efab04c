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
 * from an empty ledger.
 */
public final class TestContexts {

    private static volatile String ledgerUrl;

    private TestContexts() {}

    /** A JDBC URL every following context uses for its ledger (null: back to a SQLite file per test). */
    public static void useLedger(String jdbcUrl) {
        ledgerUrl = jdbcUrl;
    }

    public static ApplicationContext start(Path dir, Path definitions, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>();
        props.put("clawfactory.worker.enabled", "false");
        props.put("definitions.dir", definitions.toString());
        String shared = ledgerUrl;
        props.put(
                "datasources.default.url",
                shared != null
                        ? shared
                        : "jdbc:sqlite:" + dir.resolve("ledger.db")
                                + "?journal_mode=WAL&busy_timeout=5000&transaction_mode=IMMEDIATE&jdbc.explicit_readonly=true");
        props.put("gateway.heartbeat", "200ms");
        props.putAll(extra);
        ApplicationContext ctx = ApplicationContext.builder()
                .properties(props)
                .deduceEnvironment(false)
                .start();
        if (shared != null) {
            try (Connection c = DriverManager.getConnection(shared)) {
                c.createStatement().executeUpdate("DELETE FROM turn_attempt");
            } catch (SQLException e) {
                ctx.close();
                throw new IllegalStateException("cannot empty the shared test ledger", e);
            }
        }
        return ctx;
    }
}

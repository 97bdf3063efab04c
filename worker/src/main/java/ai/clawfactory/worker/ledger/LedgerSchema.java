package ai.clawfactory.worker.ledger;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the ledger's schema up to date when the worker opens its database: the numbered DDL files
 * {@code db/migration/V<n>__*.sql} not yet recorded in table {@code ledger_schema} run in order,
 * in one transaction with their version rows. Concurrent workers on one database take turns (SQLite:
 * the URL's {@code transaction_mode=IMMEDIATE}; PostgreSQL: a transaction-scoped advisory lock),
 * so the second finds the first one's versions and runs nothing. A database made by an earlier
 * release through Flyway (table {@code flyway_schema_history}) counts as version 1. Plain JDBC in
 * place of Flyway: ~370 fewer classes to load and no classpath scan at every start
 * (docs/JVM-LEVERS.md). The {@code turns} commands set {@code ledger.migrate=false}: they never
 * create or change a schema.
 */
@Singleton
@Requires(property = "ledger.migrate", notEquals = "false")
class LedgerSchema implements BeanCreatedEventListener<DataSource> {

    /** The migrations, oldest first; V&lt;n&gt; is version n. Add new ones at the end, never edit one. */
    static final List<String> MIGRATIONS =
            List.of("V1__turn_ledger.sql", "V2__command_bundle.sql", "V3__scale_indexes.sql");

    /** pg_advisory_xact_lock key: "claw" in ASCII. */
    private static final long PG_LOCK = 0x636c6177L;

    private static final Logger LOG = LoggerFactory.getLogger(LedgerSchema.class);

    private final DataSourceResolver resolver;

    /** The resolver unwraps Micronaut Data's contextual proxy, whose connections exist only inside its operations. */
    LedgerSchema(@Nullable DataSourceResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public DataSource onCreated(BeanCreatedEvent<DataSource> event) {
        DataSource ds = event.getBean();
        migrate(resolver != null ? resolver.resolve(ds) : ds);
        return ds;
    }

    /** Runs what is missing; returns the versions it applied. */
    static List<Integer> migrate(DataSource ds) {
        try (Connection c = ds.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                List<Integer> applied = migrate(c);
                c.commit();
                return applied;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot bring the turn ledger's schema up to date: " + e.getMessage(), e);
        }
    }

    private static List<Integer> migrate(Connection c) throws SQLException {
        boolean postgres =
                c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
        try (Statement s = c.createStatement()) {
            if (postgres) {
                s.execute("SELECT pg_advisory_xact_lock(" + PG_LOCK + ")");
            }
            s.executeUpdate("CREATE TABLE IF NOT EXISTS ledger_schema (version INTEGER NOT NULL PRIMARY KEY, "
                    + "script VARCHAR(255) NOT NULL, applied_at BIGINT NOT NULL)");
        }
        int current = currentVersion(c);
        List<Integer> applied = new ArrayList<>();
        for (int i = current; i < MIGRATIONS.size(); i++) {
            int version = i + 1;
            String script = MIGRATIONS.get(i);
            try (Statement s = c.createStatement()) {
                for (String sql : statements(read(script))) {
                    s.execute(sql);
                }
            } catch (SQLException e) {
                throw new SQLException(script + ": " + e.getMessage(), e.getSQLState(), e);
            }
            record(c, version, script);
            applied.add(version);
        }
        if (!applied.isEmpty()) {
            LOG.info(
                    "Turn ledger schema: applied {} (now version {})",
                    String.join(
                            ", ",
                            applied.stream().map(v -> MIGRATIONS.get(v - 1)).toList()),
                    MIGRATIONS.size());
        } else if (current > MIGRATIONS.size()) {
            LOG.warn(
                    "Turn ledger schema is version {}, newer than this worker knows ({}); is an older worker sharing it?",
                    current,
                    MIGRATIONS.size());
        }
        return applied;
    }

    private static int currentVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT MAX(version) FROM ledger_schema")) {
            int v = r.next() ? r.getInt(1) : 0;
            if (v > 0) {
                return v;
            }
        }
        // Made by Flyway (releases before this one): V1 is all Flyway ever applied.
        if (tableExists(c, "flyway_schema_history") && tableExists(c, "turn_attempt")) {
            record(c, 1, MIGRATIONS.get(0));
            return 1;
        }
        return 0;
    }

    private static boolean tableExists(Connection c, String name) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        try (ResultSet r = meta.getTables(null, null, name, null)) {
            return r.next();
        }
    }

    private static void record(Connection c, int version, String script) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement("INSERT INTO ledger_schema (version, script, applied_at) VALUES (?, ?, ?)")) {
            p.setInt(1, version);
            p.setString(2, script);
            p.setLong(3, System.currentTimeMillis());
            p.executeUpdate();
        }
    }

    static String read(String script) {
        try (InputStream in = LedgerSchema.class.getResourceAsStream("/db/migration/" + script)) {
            if (in == null) {
                throw new IllegalStateException("missing resource db/migration/" + script);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The statements of a DDL file: {@code --} comment lines dropped, split at semicolons. */
    static List<String> statements(String sql) {
        StringBuilder b = new StringBuilder();
        for (String line : sql.split("\n", -1)) {
            if (!line.strip().startsWith("--")) {
                b.append(line).append('\n');
            }
        }
        List<String> out = new ArrayList<>();
        for (String part : b.toString().split(";")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }
}

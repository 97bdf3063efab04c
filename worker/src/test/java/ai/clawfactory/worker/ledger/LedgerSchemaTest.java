package ai.clawfactory.worker.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

class LedgerSchemaTest {

    @TempDir
    Path dir;

    private SQLiteDataSource sqlite(String name) {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + dir.resolve(name) + "?transaction_mode=IMMEDIATE");
        return ds;
    }

    private static long count(SQLiteDataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void anEmptyDatabaseGetsEveryMigrationOnceAndTheTableWorks() throws SQLException {
        SQLiteDataSource ds = sqlite("fresh.db");
        assertEquals(List.of(1, 2, 3), LedgerSchema.migrate(ds));
        assertEquals(List.of(), LedgerSchema.migrate(ds), "the second start applies nothing");
        assertEquals(3, count(ds, "SELECT COUNT(*) FROM ledger_schema"));
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate(
                    "INSERT INTO turn_attempt (id, turn_key, workflow_id, run_id, workflow_type, step_id, attempt, kind, "
                            + "status, started_at) VALUES ('a', 'k', 'w', 'r', 't', 's', 1, 'agentTurn', 'ok', 0)");
        }
        assertEquals(1, count(ds, "SELECT COUNT(*) FROM turn_attempt WHERE turn_key = 'k'"));
    }

    @Test
    void aDatabaseMadeByFlywayCountsAsVersionOneAndKeepsItsRows() throws SQLException {
        SQLiteDataSource ds = sqlite("flyway.db");
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate(
                    "CREATE TABLE flyway_schema_history (installed_rank INT NOT NULL PRIMARY KEY, version VARCHAR(50))");
            s.executeUpdate("INSERT INTO flyway_schema_history VALUES (1, '1')");
            for (String sql : LedgerSchema.statements(LedgerSchema.read(LedgerSchema.MIGRATIONS.get(0)))) {
                s.execute(sql);
            }
            s.executeUpdate(
                    "INSERT INTO turn_attempt (id, turn_key, workflow_id, run_id, workflow_type, step_id, attempt, kind, "
                            + "status, started_at) VALUES ('a', 'k', 'w', 'r', 't', 's', 1, 'agentTurn', 'ok', 0)");
        }
        assertEquals(List.of(2, 3), LedgerSchema.migrate(ds), "version 1 is Flyway's; only the later ones run");
        assertEquals(3, count(ds, "SELECT MAX(version) FROM ledger_schema"));
        assertEquals(1, count(ds, "SELECT COUNT(*) FROM turn_attempt"));
    }

    @Test
    void whatAPruneReadsGoesAlongAnIndexNotAcrossEveryOldRow() throws SQLException {
        SQLiteDataSource ds = sqlite("plans.db");
        LedgerSchema.migrate(ds);
        assertTrue(
                plan(ds, "SELECT bundle FROM turn_attempt WHERE started_at < 5 AND bundle IS NOT NULL LIMIT 10")
                        .contains("turn_attempt_bundle_started"),
                "the old attempts' bundles: the partial index (V3)");
        String batchEnd = plan(
                ds, "SELECT started_at FROM turn_attempt WHERE started_at < 5 ORDER BY started_at LIMIT 1 OFFSET 9");
        assertTrue(batchEnd.contains("COVERING INDEX turn_attempt_started"), batchEnd);
        assertTrue(
                plan(ds, "DELETE FROM turn_attempt WHERE started_at <= 5").contains("turn_attempt_started"),
                "a prune batch is a range of the start-time index");
        String workflow =
                plan(ds, "SELECT * FROM turn_attempt WHERE workflow_id = 'w' ORDER BY started_at DESC, id LIMIT 20");
        assertTrue(workflow.contains("turn_attempt_workflow (workflow_id=?)"), workflow);
    }

    private static String plan(SQLiteDataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
            StringBuilder out = new StringBuilder();
            while (r.next()) {
                out.append(r.getString("detail")).append('\n');
            }
            return out.toString();
        }
    }

    @Test
    void aFailedMigrationLeavesNothingBehindAndSaysWhich() throws SQLException {
        SQLiteDataSource ds = sqlite("clash.db");
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            // A table of that name but no schema record: V1's CREATE TABLE fails.
            s.executeUpdate("CREATE TABLE turn_attempt (x INTEGER)");
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LedgerSchema.migrate(ds));
        assertTrue(e.getMessage().contains("V1__turn_ledger.sql"), e.getMessage());
        assertEquals(
                0,
                count(ds, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'ledger_schema'"),
                "rolled back with the failed script");
    }

    @Test
    void statementsDropCommentLinesAndSplitAtSemicolons() {
        assertEquals(
                List.of("CREATE TABLE a (x INT)", "CREATE INDEX b ON a (x)"),
                LedgerSchema.statements(
                        "-- a comment; with a semicolon\nCREATE TABLE a (x INT);\n\nCREATE INDEX b ON a (x);\n"));
    }
}

package ai.clawfactory.api.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API reads a run's turns from a ledger with the worker's own schema, read-only, and never fails for it. */
class LedgerTurnsTest {

    /** The worker's own DDL: the API reads the columns the worker writes. */
    private static final Path MIGRATIONS = Path.of("../worker/src/main/resources/db/migration");

    @TempDir
    Path dir;

    private Path ledger() throws Exception {
        Path db = dir.resolve("ledger.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            for (String file : new String[] {"V1__turn_ledger.sql", "V2__command_bundle.sql"}) {
                for (String sql : Files.readString(MIGRATIONS.resolve(file)).split(";")) {
                    String statement = sql.lines()
                            .filter(l -> !l.strip().startsWith("--"))
                            .reduce("", (a, b) -> a + "\n" + b)
                            .strip();
                    if (!statement.isEmpty()) {
                        s.execute(statement);
                    }
                }
            }
            for (int i = 0; i < 205; i++) {
                insert(c, "wf-1", "run-1", "step-" + i, 1, 1_000L + i, i == 204 ? "x".repeat(5000) : "out " + i);
            }
            insert(c, "wf-1", "run-0", "older-run", 1, 10L, "not this run");
            // A turn without an HTTP status or a duration yet (a dry run, one still running): NULLs.
            try (Statement n = c.createStatement()) {
                n.executeUpdate("INSERT INTO turn_attempt (id, turn_key, workflow_id, run_id, workflow_type, step_id,"
                        + " attempt, kind, status, started_at) VALUES ('n', 'k', 'wf-2', 'run-2', 'T', 'execute', 1,"
                        + " 'agentTurn', 'running', 5)");
            }
        }
        return db;
    }

    private static void insert(Connection c, String wf, String run, String step, int attempt, long at, String output)
            throws Exception {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO turn_attempt (id, turn_key, workflow_id, run_id,"
                + " workflow_type, step_id, attempt, kind, status, http_status, started_at, duration_ms, output)"
                + " VALUES (?, ?, ?, ?, 'T', ?, ?, 'agentTurn', 'completed', 200, ?, 12, ?)")) {
            p.setString(1, UUID.randomUUID().toString());
            p.setString(2, wf + ":" + step);
            p.setString(3, wf);
            p.setString(4, run);
            p.setString(5, step);
            p.setInt(6, attempt);
            p.setLong(7, at);
            p.setString(8, output);
            p.executeUpdate();
        }
    }

    @Test
    void showsTheRunsNewestTurnsBoundedAndCut() throws Exception {
        LedgerTurns turns = new LedgerTurns("", ledger().toString(), "", "");
        LedgerTurns.Turns t = turns.of("wf-1", "run-1");
        assertNull(t.ledger());
        assertEquals(LedgerTurns.MAX_ROWS, t.turns().size());
        LedgerTurns.Turn newest = t.turns().get(0);
        assertEquals("step-204", newest.step());
        assertEquals(LedgerTurns.MAX_TEXT, newest.output().length());
        assertTrue(newest.truncated());
        assertEquals(200, newest.httpStatus());
        assertEquals(12L, newest.durationMs());
        assertFalse(t.turns().get(1).truncated());
        assertTrue(t.turns().stream().noneMatch(x -> x.step().equals("older-run")), "only this run's turns");
        turns.close();
    }

    @Test
    void aTurnWithoutHttpStatusOrDurationShowsThemAsAbsent() throws Exception {
        LedgerTurns turns = new LedgerTurns("", ledger().toString(), "", "");
        LedgerTurns.Turns t = turns.of("wf-2", "run-2");
        assertNull(t.ledger(), "the ledger was read");
        assertEquals(1, t.turns().size());
        assertNull(t.turns().get(0).httpStatus());
        assertNull(t.turns().get(0).durationMs());
        turns.close();
    }

    @Test
    void opensTheLedgerReadOnly() throws Exception {
        Path db = ledger();
        LedgerTurns turns = new LedgerTurns("", db.toString(), "", "");
        turns.of("wf-1", "run-1");
        java.lang.reflect.Field f = LedgerTurns.class.getDeclaredField("connection");
        f.setAccessible(true);
        Connection c = (Connection) f.get(turns);
        try (Statement s = c.createStatement()) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(
                    java.sql.SQLException.class, () -> s.executeUpdate("DELETE FROM turn_attempt"));
            assertTrue(e.getMessage().toLowerCase().contains("readonly"), e.getMessage());
        }
        turns.close();
    }

    @Test
    void withoutSettingsOrWithAMissingFileTheLedgerIsUnavailable() {
        assertEquals(
                "unavailable", new LedgerTurns("", "", "", "").of("wf", "run").ledger());
        LedgerTurns missing = new LedgerTurns("", dir.resolve("nope.db").toString(), "", "");
        assertEquals("unavailable", missing.of("wf", "run").ledger());
        assertFalse(Files.exists(dir.resolve("nope.db")), "a read never creates the ledger");
    }
}

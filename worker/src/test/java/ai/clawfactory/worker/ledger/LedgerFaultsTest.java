package ai.clawfactory.worker.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

class LedgerFaultsTest {

    @TempDir
    Path dir;

    private static RuntimeException wrapped(SQLException e) {
        return new LedgerAccessException("UPDATE turn_attempt", e);
    }

    private static String sqlite(SQLiteErrorCode code) {
        return LedgerFaults.describe(wrapped(new SQLiteException("[" + code.name() + "] " + code.message, code)));
    }

    @Test
    void sqliteFaultsAreNamedPlainly() {
        assertTrue(sqlite(SQLiteErrorCode.SQLITE_FULL).startsWith("the ledger's disk is full ([SQLITE_FULL]"));
        assertTrue(sqlite(SQLiteErrorCode.SQLITE_READONLY).startsWith("the ledger is read-only ("));
        assertTrue(sqlite(SQLiteErrorCode.SQLITE_BUSY)
                .startsWith("the ledger is locked by another writer past the busy timeout ("));
        assertTrue(sqlite(SQLiteErrorCode.SQLITE_IOERR).startsWith("the ledger file cannot be read or written ("));
    }

    @Test
    void postgresFaultsAreNamedBySqlState() {
        assertTrue(LedgerFaults.describe(wrapped(new SQLException("ERROR: could not extend file", "53100")))
                .startsWith("the ledger's disk is full"));
        assertTrue(LedgerFaults.describe(
                        wrapped(new SQLException("ERROR: cannot execute INSERT in a read-only transaction", "25006")))
                .startsWith("the ledger is read-only"));
        assertTrue(LedgerFaults.describe(wrapped(new SQLException("Connection refused", "08001")))
                .startsWith("the ledger database cannot be reached"));
        assertTrue(LedgerFaults.describe(
                        wrapped(new SQLTransientConnectionException("HikariPool-1 - Connection is not available")))
                .startsWith("the ledger database cannot be reached"));
    }

    @Test
    void onlyDatabaseFailuresAreLedgerFaults() {
        assertTrue(LedgerFaults.isLedgerFault(wrapped(new SQLException("x"))));
        assertFalse(LedgerFaults.isLedgerFault(new IllegalStateException("a bug")));
        assertEquals(
                "the ledger refused the statement (syntax error)",
                LedgerFaults.describe(wrapped(new SQLException("syntax error", "42601"))));
    }

    private SQLiteDataSource sqliteLedger(String query) {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + dir.resolve("ledger.db") + "?" + query);
        return ds;
    }

    private static TurnAttempt row() {
        return new TurnAttempt(
                "id-1",
                "k",
                "wf",
                "run",
                "T",
                "s",
                1,
                "http",
                TurnAttempt.RUNNING,
                null,
                null,
                0,
                null,
                null,
                null,
                null);
    }

    @Test
    void theRepositorysOwnFailuresOnARealSqliteLedgerAreNamed() throws SQLException {
        SQLiteDataSource rw = sqliteLedger("journal_mode=WAL&busy_timeout=50&transaction_mode=IMMEDIATE");
        LedgerSchema.migrate(rw);
        SQLiteDataSource opensReadOnly = sqliteLedger("busy_timeout=50");
        opensReadOnly.setReadOnly(true); // SQLITE_OPEN_READONLY, as `turns` opens it
        TurnAttemptRepository readOnly = new TurnAttemptRepository(opensReadOnly);
        LedgerAccessException ro = assertThrows(LedgerAccessException.class, () -> readOnly.save(row()));
        assertTrue(LedgerFaults.isLedgerFault(ro));
        assertTrue(LedgerFaults.describe(ro).startsWith("the ledger is read-only ([SQLITE_READONLY]"), ro.toString());
        assertThrows(
                LedgerAccessException.class, readOnly::deleteNothing, "health: a read-only ledger takes no writes");

        TurnAttemptRepository repository = new TurnAttemptRepository(rw);
        try (Connection holder = rw.getConnection();
                Statement s = holder.createStatement()) {
            holder.setAutoCommit(false);
            s.executeUpdate("DELETE FROM turn_attempt"); // holds the write lock until the rollback
            LedgerAccessException busy = assertThrows(LedgerAccessException.class, repository::deleteNothing);
            assertTrue(
                    LedgerFaults.describe(busy)
                            .startsWith("the ledger is locked by another writer past the busy timeout ([SQLITE_BUSY"),
                    busy.toString());
            assertEquals(0, repository.count(), "reads go on while another writer holds the lock");
            holder.rollback();
        }
        repository.deleteNothing();
        assertEquals(row(), repository.save(row()));
    }
}

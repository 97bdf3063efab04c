package ai.clawfactory.worker.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.data.connection.jdbc.exceptions.CannotGetJdbcConnectionException;
import io.micronaut.data.exceptions.DataAccessException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Naming ledger faults; LedgerFaultsOnSqliteTest has real ones, through the repository. */
class LedgerFaultsTest {

    /** As Micronaut Data reports a failed statement. */
    private static RuntimeException wrapped(SQLException e) {
        return new DataAccessException("Error executing SQL UPDATE: " + e.getMessage(), e);
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
        assertTrue(LedgerFaults.describe(new CannotGetJdbcConnectionException(
                        "Failed to obtain JDBC Connection",
                        new SQLTransientConnectionException("HikariPool-1 - Connection is not available")))
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
}

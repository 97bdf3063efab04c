package ai.clawfactory.worker.ledger;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;

/**
 * Telling ledger faults (the database, not our data) from bugs, and naming them plainly:
 * disk full, read-only, locked past the busy timeout, database unreachable.
 */
public final class LedgerFaults {

    private LedgerFaults() {}

    /**
     * True when a failure came from the database: an SQLException somewhere in the chain, as
     * Micronaut Data's DataAccessException, CannotGetJdbcConnectionException (no connection from
     * the pool) and transaction exceptions all carry the driver's.
     */
    public static boolean isLedgerFault(Throwable e) {
        return sqlException(e) != null;
    }

    /** One plain line: what is wrong with the ledger, then the driver's own first line. */
    public static String describe(Throwable e) {
        SQLException sql = sqlException(e);
        String detail = firstLine(sql != null ? sql.getMessage() : rootMessage(e));
        return kind(sql, detail) + " (" + detail + ")";
    }

    private static String kind(SQLException sql, String detail) {
        String m = detail.toUpperCase(Locale.ROOT);
        String state = sql == null || sql.getSQLState() == null ? "" : sql.getSQLState();
        if (m.contains("SQLITE_FULL") || state.equals("53100") || m.contains("NO SPACE LEFT")) {
            return "the ledger's disk is full";
        }
        if (m.contains("SQLITE_READONLY")
                || state.equals("25006")
                || (m.contains("READ-ONLY") || m.contains("READONLY")) && !m.contains("READ-ONLY STATUS")) {
            return "the ledger is read-only";
        }
        if (m.contains("SQLITE_BUSY")
                || m.contains("SQLITE_LOCKED")
                || state.equals("55P03")
                || state.equals("40P01")) {
            return "the ledger is locked by another writer past the busy timeout";
        }
        if (m.contains("SQLITE_IOERR") || m.contains("SQLITE_CANTOPEN") || m.contains("SQLITE_CORRUPT")) {
            return "the ledger file cannot be read or written";
        }
        if (sql instanceof SQLTransientConnectionException
                || state.startsWith("08")
                || state.startsWith("57P")
                || state.equals("53300")) {
            return "the ledger database cannot be reached";
        }
        return "the ledger refused the statement";
    }

    private static SQLException sqlException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static String firstLine(String s) {
        String line = s == null ? "" : s.lines().findFirst().orElse("").strip();
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}

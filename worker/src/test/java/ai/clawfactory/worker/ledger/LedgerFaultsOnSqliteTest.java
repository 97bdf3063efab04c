package ai.clawfactory.worker.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.worker.LedgerContextTest;
import io.micronaut.context.ApplicationContext;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * Real faults of a SQLite ledger, through the repository as the worker and {@code turns} open it:
 * each surfaces with the driver's SQLException in its chain, so {@link LedgerFaults} names it and
 * the attempt waits it out (worker/turn/LedgerRetry).
 */
class LedgerFaultsOnSqliteTest extends LedgerContextTest {

    @Inject
    TurnAttemptRepository repository;

    /** As the worker opens it, but a lock held by another writer is given up after 50 ms. */
    @Override
    protected String ledgerUrl(Path dir) {
        return "jdbc:sqlite:" + file()
                + "?journal_mode=WAL&busy_timeout=50&transaction_mode=IMMEDIATE&jdbc.explicit_readonly=true";
    }

    private Path file() {
        return dir.resolve("ledger.db");
    }

    private static TurnAttempt row() {
        return LedgerRows.attempt("id-1", "k", "wf", TurnAttempt.RUNNING, 0, null);
    }

    @Test
    void aWriteWhileAnotherWriterHoldsTheLockIsNamedLockedAndReadsGoOn() throws SQLException {
        try (Connection holder = DriverManager.getConnection(ledgerUrl(dir));
                Statement s = holder.createStatement()) {
            holder.setAutoCommit(false);
            s.executeUpdate("DELETE FROM turn_attempt"); // holds the write lock until the rollback
            RuntimeException busy = assertThrows(RuntimeException.class, repository::deleteNothing);
            assertTrue(LedgerFaults.isLedgerFault(busy), busy.toString());
            assertTrue(
                    LedgerFaults.describe(busy)
                            .startsWith("the ledger is locked by another writer past the busy timeout ([SQLITE_BUSY"),
                    LedgerFaults.describe(busy));
            assertThrows(RuntimeException.class, () -> repository.save(row()));
            assertEquals(0, repository.count(), "reads go on while another writer holds the lock");
            holder.rollback();
        }
        repository.deleteNothing();
        assertEquals(row(), repository.save(row()));
        assertEquals(row(), repository.findById("id-1").orElseThrow());
    }

    @Test
    void theLedgerOpenedReadOnlyAsTurnsOpensItRefusesWritesNamingItAndReads() {
        repository.save(row());
        var target = TurnsCommand.Target.resolve(file(), false, new PrintWriter(new StringWriter()));
        try (ApplicationContext turns = ApplicationContext.builder()
                .properties(target.props())
                .deduceEnvironment(false)
                .start()) {
            TurnAttemptRepository readOnly = turns.getBean(TurnAttemptRepository.class);
            RuntimeException ro = assertThrows(RuntimeException.class, () -> readOnly.save(row()));
            assertTrue(LedgerFaults.isLedgerFault(ro), ro.toString());
            assertTrue(
                    LedgerFaults.describe(ro).startsWith("the ledger is read-only ([SQLITE_READONLY]"),
                    LedgerFaults.describe(ro));
            RuntimeException health = assertThrows(
                    RuntimeException.class, readOnly::deleteNothing, "health: a read-only ledger takes no writes");
            assertTrue(LedgerFaults.describe(health).startsWith("the ledger is read-only"), health.toString());
            assertTrue(readOnly.findCompleted("k").isEmpty(), "a running attempt is not completed");
            assertEquals(1, readOnly.count(), "reads work on the read-only ledger");
            assertEquals(row(), readOnly.findById("id-1").orElseThrow());
        }
    }
}

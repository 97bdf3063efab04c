package ai.clawfactory.worker.ledger;

import java.sql.SQLException;

/**
 * A ledger statement failed; the driver's {@link SQLException} is the cause, which is what
 * {@link LedgerFaults} classifies (disk full, read-only, locked, database away).
 */
public class LedgerAccessException extends RuntimeException {

    public LedgerAccessException(String statement, SQLException cause) {
        super("Error executing SQL " + statement + ": " + cause.getMessage(), cause);
    }
}

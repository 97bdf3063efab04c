package ai.clawfactory.worker.ledger;

import io.micronaut.data.exceptions.DataAccessException;
import java.sql.SQLException;

/**
 * A ledger fault for tests that inject one: what the ledger's repository throws when a statement
 * fails (Micronaut Data's {@link DataAccessException}, its message as Micronaut Data words it, the
 * driver's {@link SQLException} as the cause, which is what {@link LedgerFaults} classifies).
 */
public class LedgerAccessException extends DataAccessException {

    public LedgerAccessException(String statement, SQLException cause) {
        super("Error executing SQL " + statement + ": " + cause.getMessage(), cause);
    }
}

package ai.clawfactory.worker.ledger;

import ai.clawfactory.worker.PostgresLedger;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link LedgerUpkeepTest} on a real PostgreSQL ledger. */
class LedgerUpkeepOnPostgresIT extends LedgerUpkeepTest {

    @RegisterExtension
    static final PostgresLedger POSTGRES = new PostgresLedger();
}

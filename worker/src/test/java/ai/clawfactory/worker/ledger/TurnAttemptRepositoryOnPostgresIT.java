package ai.clawfactory.worker.ledger;

import ai.clawfactory.worker.PostgresLedger;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link TurnAttemptRepositoryTest} on a real PostgreSQL ledger. */
class TurnAttemptRepositoryOnPostgresIT extends TurnAttemptRepositoryTest {

    @RegisterExtension
    static final PostgresLedger POSTGRES = new PostgresLedger();
}

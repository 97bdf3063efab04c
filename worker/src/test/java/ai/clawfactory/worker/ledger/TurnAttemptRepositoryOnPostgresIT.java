package ai.clawfactory.worker.ledger;

import ai.clawfactory.worker.PostgresLedger;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link TurnAttemptRepositoryTest} on a real PostgreSQL ledger. */
@MicronautTest(transactional = false)
class TurnAttemptRepositoryOnPostgresIT extends TurnAttemptRepositoryTest {

    @RegisterExtension
    static final PostgresLedger POSTGRES = new PostgresLedger();

    @Override
    protected String ledgerUrl(Path dir) {
        return POSTGRES.jdbcUrl();
    }
}

package ai.clawfactory.worker.ledger;

import ai.clawfactory.worker.PostgresLedger;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link LedgerUpkeepTest} on a real PostgreSQL ledger. */
@MicronautTest(transactional = false)
class LedgerUpkeepOnPostgresIT extends LedgerUpkeepTest {

    @RegisterExtension
    static final PostgresLedger POSTGRES = new PostgresLedger();

    @Override
    protected String ledgerUrl(Path dir) {
        return POSTGRES.jdbcUrl();
    }
}

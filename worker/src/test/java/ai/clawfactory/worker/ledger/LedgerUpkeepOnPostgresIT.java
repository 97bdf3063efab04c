package ai.clawfactory.worker.ledger;

import ai.clawfactory.testing.PostgresServer;
import ai.clawfactory.worker.TestContexts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link LedgerUpkeepTest} on a real PostgreSQL ledger. */
class LedgerUpkeepOnPostgresIT extends LedgerUpkeepTest {

    private static PostgresServer pg;

    @BeforeAll
    static void startPostgres() {
        pg = PostgresServer.start();
        TestContexts.useLedger(pg.jdbcUrl());
    }

    @AfterAll
    static void stopPostgres() {
        TestContexts.useLedger(null);
        if (pg != null) {
            pg.close();
        }
    }
}

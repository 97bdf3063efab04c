package ai.clawfactory.worker.turn;

import ai.clawfactory.testing.PostgresServer;
import ai.clawfactory.worker.TestContexts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Every ledger behaviour of {@link AgentTurnWorkflowTest} again, on a real PostgreSQL ledger. */
class AgentTurnWorkflowOnPostgresIT extends AgentTurnWorkflowTest {

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

package ai.clawfactory.worker.step.agentturn;

import ai.clawfactory.worker.PostgresLedger;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every ledger behaviour of {@link AgentTurnWorkflowTest} again, on a real PostgreSQL ledger. */
class AgentTurnWorkflowOnPostgresIT extends AgentTurnWorkflowTest {

    @RegisterExtension
    static final PostgresLedger POSTGRES = new PostgresLedger();
}

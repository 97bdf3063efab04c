package ai.clawfactory.worker.ledger;

import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** At worker start: attempts a stopped worker left running are marked abandoned ({@link LedgerUpkeep#reconcileStale()}). */
@Singleton
@Requires(property = "clawfactory.worker.enabled", notEquals = "false")
public class StaleAttemptReconciler {

    private static final Logger LOG = LoggerFactory.getLogger(StaleAttemptReconciler.class);

    private final LedgerUpkeep upkeep;

    StaleAttemptReconciler(LedgerUpkeep upkeep) {
        this.upkeep = upkeep;
    }

    @PostConstruct
    void reconcile() {
        try {
            upkeep.reconcileStale();
        } catch (RuntimeException e) {
            // Upkeep only: the worker runs without it; /health reports a ledger that takes no writes.
            LOG.warn("Could not reconcile attempts left running in the ledger: {}", LedgerFaults.describe(e));
        }
    }
}

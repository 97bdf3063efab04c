package ai.clawfactory.worker.step.attempt;

import ai.clawfactory.core.Names;
import ai.clawfactory.worker.config.LedgerConfig;
import ai.clawfactory.worker.ledger.LedgerFaults;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries ledger reads and writes inside the attempt while the database is at fault, so a full
 * disk, a read-only file, a lock held past the busy timeout or a database restart costs no retry
 * of the step. Heartbeats meanwhile (with the kept answer, if any). Gives up after
 * ledger.fault-retry, or shortly before the attempt's own timeout, with a failure of type
 * {@link Names#FAILURE_LEDGER} that names the fault.
 */
final class LedgerRetry {

    /** Logged under the runner's name, where operators already look for attempts. */
    private static final Logger LOG = LoggerFactory.getLogger(AttemptRunner.class);

    private final AttemptRunner.Attempt a;
    private final ActivityExecutionContext activity;
    private final long deadline;

    LedgerRetry(AttemptRunner.Attempt a, ActivityExecutionContext activity, LedgerConfig ledgerConfig) {
        this.a = a;
        this.activity = activity;
        long now = System.currentTimeMillis();
        long byConfig = now + ledgerConfig.faultRetry().toMillis();
        var info = activity.getInfo();
        long byTimeout = Long.MAX_VALUE;
        if (info.getStartToCloseTimeout() != null
                && !info.getStartToCloseTimeout().isZero()) {
            long timeout = info.getStartToCloseTimeout().toMillis();
            byTimeout = info.getCurrentAttemptScheduledTimestamp() + timeout - Math.max(1000, timeout / 10);
        }
        this.deadline = Math.min(byConfig, Math.max(now, byTimeout));
    }

    <T> T call(String what, AttemptRunner.AnsweredTurn keep, Supplier<T> op) {
        long pause = 200;
        long lastLog = 0;
        int tries = 0;
        while (true) {
            try {
                return op.get();
            } catch (RuntimeException e) {
                if (!LedgerFaults.isLedgerFault(e)) {
                    throw e;
                }
                tries++;
                String fault = LedgerFaults.describe(e);
                long now = System.currentTimeMillis();
                if (now >= deadline) {
                    String m = a.redactor()
                            .apply("Ledger fault while " + what + " for step '" + a.stepId() + "' of "
                                    + a.context().workflowId() + ": " + fault + "; gave up after " + tries + " tries. "
                                    + (keep != null
                                            ? "The gateway's answer is kept for the next attempt, which records it "
                                                    + "without calling again. "
                                            : "")
                                    + "Free the disk, make the ledger writable or bring the "
                                    + "database back.");
                    throw ApplicationFailure.newFailure(m, Names.FAILURE_LEDGER);
                }
                if (now - lastLog >= 30_000) {
                    LOG.warn(
                            "Ledger fault while {} for step '{}' of {}: {}; retrying inside this attempt (no step retry is used)",
                            what,
                            a.stepId(),
                            a.context().workflowId(),
                            fault);
                    lastLog = now;
                }
                activity.heartbeat(keep);
                try {
                    Thread.sleep(Math.min(pause, Math.max(1, deadline - now)));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw ApplicationFailure.newFailure(
                            "interrupted while waiting for the ledger: " + fault, Names.FAILURE_LEDGER);
                }
                pause = Math.min(pause * 2, 5_000);
            }
        }
    }

    /** Like {@link #call}, but a give-up is logged, not thrown: the caller fails the attempt anyway. */
    void callOrGiveUp(String what, Runnable op) {
        try {
            call(what, null, () -> {
                op.run();
                return null;
            });
        } catch (ApplicationFailure gaveUp) {
            LOG.warn("{}", gaveUp.getOriginalMessage());
        }
    }
}

package ai.clawfactory.worker.ledger;

import ai.clawfactory.core.definition.Durations;
import ai.clawfactory.worker.config.LedgerConfig;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeping the ledger small and truthful: pruning old attempts ({@code turns prune}, daily by
 * clawfactory-ledger-prune.timer) and, when a worker starts, marking attempts that a stopped
 * worker left {@code running} as {@code abandoned} ({@link StaleAttemptReconciler}).
 */
@Singleton
public class LedgerUpkeep {

    /** Below this, a pruned row might still be the one that short-circuits a retry of a live run. */
    public static final Duration MIN_RETENTION = Duration.ofDays(1);

    /**
     * Attempts per prune transaction: one range delete each. At 20,000, a million rows go in under
     * 5 s on SQLite and each batch holds the write lock some 100 ms (docs/BENCHMARKS.md, "How cost grows");
     * 500 row-by-row took 21 s.
     */
    static final int BATCH = 20_000;

    private static final Logger LOG = LoggerFactory.getLogger(LedgerUpkeep.class);

    private final TurnLedger ledger;
    private final LedgerConfig config;
    private final Clock clock;
    private final BundleFiles bundles;

    LedgerUpkeep(TurnLedger ledger, LedgerConfig config, BundleFiles bundles) {
        this.ledger = ledger;
        this.config = config;
        this.bundles = bundles;
        this.clock = Clock.systemUTC();
    }

    public Duration retention() {
        return config.retention();
    }

    /** The cut-off for attempts older than {@code olderThan}. */
    public Instant cutoff(Duration olderThan) {
        if (olderThan.compareTo(MIN_RETENTION) < 0) {
            throw new IllegalArgumentException("refusing to prune attempts younger than "
                    + Durations.format(MIN_RETENTION)
                    + " (asked: " + Durations.format(olderThan) + "): a recent ok attempt is what stops a retry "
                    + "from calling the gateway again");
        }
        return clock.instant().minus(olderThan);
    }

    public long countOlderThan(Duration olderThan) {
        return ledger.countStartedBefore(cutoff(olderThan).toEpochMilli());
    }

    /**
     * Deletes every attempt older than {@code olderThan}, in batches, and first the execution
     * bundles their rows point at (under COMMANDS_BUNDLES_DIR); returns how many attempts.
     */
    public long prune(Duration olderThan) {
        return prune(olderThan, BATCH);
    }

    long prune(Duration olderThan, int batch) {
        long cutoff = cutoff(olderThan).toEpochMilli();
        long total = 0;
        int n;
        List<String> old = ledger.bundlesStartedBefore(cutoff, Integer.MAX_VALUE);
        int removed = bundles.remove(old);
        if (removed > 0) {
            LOG.info(
                    "Removed {} execution bundle(s) of attempts started before {}",
                    removed,
                    Instant.ofEpochMilli(cutoff));
        }
        do {
            n = ledger.pruneBatch(cutoff, batch);
            total += n;
        } while (n > 0);
        return total;
    }

    /** Marks attempts left running longer than abandon-after as abandoned; returns how many. */
    public int reconcileStale() {
        Instant cutoff = clock.instant().minus(config.abandonAfter());
        int n = ledger.abandonRunningStartedBefore(
                cutoff.toEpochMilli(),
                "abandoned: still running at a worker start "
                        + clock.instant() + ", more than " + Durations.format(config.abandonAfter())
                        + " after it began; the worker "
                        + "that ran it stopped before recording the outcome. Not counted as completed: a retry sends the same "
                        + "idempotency key.");
        if (n > 0) {
            LOG.warn(
                    "Marked {} ledger attempt(s) left running since before {} as abandoned (their worker stopped)",
                    n,
                    cutoff);
        }
        return n;
    }
}

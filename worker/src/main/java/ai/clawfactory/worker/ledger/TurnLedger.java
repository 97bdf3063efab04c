package ai.clawfactory.worker.ledger;

import ai.clawfactory.worker.metrics.Metrics;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Records every attempt and answers whether a turn already completed. Every method is one
 * statement of {@link TurnAttemptRepository}, in its own transaction (auto-commit): none needs
 * {@code @Transactional}, which on SQLite ({@code transaction_mode=IMMEDIATE}) would also take the
 * write lock for every read. A method that comes to write more than one statement gets it.
 */
@Singleton
public class TurnLedger {

    private final TurnAttemptRepository repository;
    private final Metrics metrics;

    public TurnLedger(TurnAttemptRepository repository, Metrics metrics) {
        this.repository = repository;
        this.metrics = metrics;
    }

    /** The completed (ok or skipped) attempt of this key, if any: a retry must not run it again. */
    public Optional<TurnAttempt> completed(String turnKey) {
        return repository.findCompleted(turnKey);
    }

    /** Records an attempt as running before the request goes out. */
    public TurnAttempt start(
            String turnKey,
            String workflowId,
            String runId,
            String workflowType,
            String stepId,
            int attempt,
            String kind,
            String request) {
        return start(turnKey, workflowId, runId, workflowType, stepId, attempt, kind, request, null);
    }

    /** Records an attempt as running, pointing at its execution bundle (a command step's), or none. */
    public TurnAttempt start(
            String turnKey,
            String workflowId,
            String runId,
            String workflowType,
            String stepId,
            int attempt,
            String kind,
            String request,
            String bundle) {
        TurnAttempt row = new TurnAttempt(
                UUID.randomUUID().toString(),
                turnKey,
                workflowId,
                runId,
                workflowType,
                stepId,
                attempt,
                kind,
                TurnAttempt.RUNNING,
                null,
                null,
                System.currentTimeMillis(),
                null,
                request,
                null,
                null,
                bundle);
        try {
            return repository.save(row);
        } catch (RuntimeException e) {
            metrics.ledgerWriteFailed();
            throw e;
        }
    }

    /** Records how an attempt ended. */
    public TurnAttempt finish(
            TurnAttempt row, String status, Integer httpStatus, String gatewayRunId, String output, String error) {
        long took = System.currentTimeMillis() - row.startedAt();
        metrics.attempt(
                row.workflowType(), row.stepId(), row.kind(), status, httpStatus, Duration.ofMillis(Math.max(0, took)));
        try {
            return repository.update(row.finish(status, httpStatus, gatewayRunId, took, output, error));
        } catch (RuntimeException e) {
            metrics.ledgerWriteFailed();
            throw e;
        }
    }

    /** Throws when the ledger cannot take a write now (read-only file, disk gone, locked past the busy timeout). */
    public void checkWritable() {
        repository.deleteNothing();
    }

    /** The full output of a row (for outputs that travel by reference). */
    public Optional<String> output(String id) {
        return repository.findById(id).map(TurnAttempt::output);
    }

    public List<TurnAttempt> latest(String workflowId, int limit) {
        return workflowId == null ? repository.findLatest(limit) : repository.findLatestOfWorkflow(workflowId, limit);
    }

    /** How many attempts started before {@code cutoff} (epoch ms). */
    public long countStartedBefore(long cutoff) {
        return repository.countByStartedAtLessThan(cutoff);
    }

    /** Up to {@code batch} bundle paths of attempts started before {@code cutoff}. */
    public List<String> bundlesStartedBefore(long cutoff, int batch) {
        return repository.findBundlesStartedBefore(cutoff, batch);
    }

    /**
     * Deletes the oldest attempts started before {@code cutoff}, about {@code batch} of them (more when
     * several share the last start time), as one range delete in one transaction; returns how many.
     * Zero only when none is left.
     */
    public int pruneBatch(long cutoff, int batch) {
        List<Long> end = repository.findBatchEnd(cutoff, batch);
        return end.isEmpty()
                ? repository.deleteAllStartedBefore(cutoff)
                : repository.deleteStartedAtOrBefore(end.get(0));
    }

    /**
     * Marks attempts still {@code running} that started before {@code cutoff} as {@code abandoned}.
     * Only the status and the note change: an abandoned attempt never counts as completed, so its
     * turn is not short-circuited, and its retry sends the same idempotency key (a gateway that
     * had answered it answers the retry with the same run).
     */
    public int abandonRunningStartedBefore(long cutoff, String note) {
        return repository.abandonRunningStartedBefore(cutoff, note);
    }

    public long attempts(String turnKey) {
        return repository.countByTurnKey(turnKey);
    }
}

package ai.clawfactory.worker.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.worker.LedgerContextTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Pruning and reconciling the ledger (SQLite here; {@code LedgerUpkeepOnPostgresIT} re-runs it on PostgreSQL). */
class LedgerUpkeepTest extends LedgerContextTest {

    private static final long DAY = Duration.ofDays(1).toMillis();

    @Inject
    TurnAttemptRepository repository;

    @Inject
    TurnLedger ledger;

    @Inject
    LedgerUpkeep upkeep;

    private TurnAttempt row(String key, String status, long startedAt) {
        return repository.save(
                LedgerRows.attempt(UUID.randomUUID().toString(), key, "wf-" + key, status, startedAt, "{}"));
    }

    @Test
    void pruneDeletesOnlyAttemptsOlderThanTheRetentionInBatches() {
        long now = System.currentTimeMillis();
        for (int i = 0; i < 520; i++) {
            row("old-" + i, TurnAttempt.OK, now - 40 * DAY - i);
        }
        row("recent", TurnAttempt.OK, now - 29 * DAY);
        row("today", TurnAttempt.RUNNING, now);

        assertEquals(520, upkeep.countOlderThan(Duration.ofDays(30)));
        assertEquals(520, upkeep.prune(Duration.ofDays(30), 100));
        assertEquals(2, repository.count());
        assertTrue(ledger.completed("recent").isPresent(), "a younger ok attempt still short-circuits its turn");
        assertEquals(0, upkeep.prune(Duration.ofDays(30)), "a second prune finds nothing");
    }

    @Test
    void pruneDeletesInRangesAndAttemptsSharingAStartTimeAreNeverLeftBehind() {
        long now = System.currentTimeMillis();
        long old = now - 40 * DAY;
        for (int i = 0; i < 25; i++) {
            // Ten attempts share each start time: more than a batch of 7.
            row("tie-" + i, TurnAttempt.OK, old - (i / 10));
        }
        row("recent", TurnAttempt.OK, now - 29 * DAY);

        assertEquals(25, upkeep.prune(Duration.ofDays(30), 7));
        assertEquals(1, repository.count());
        assertTrue(ledger.completed("recent").isPresent());
        assertEquals(0, upkeep.prune(Duration.ofDays(30), 7), "a second prune finds nothing");
    }

    @Test
    void pruneRefusesARetentionShorterThanADay() {
        var e = assertThrows(IllegalArgumentException.class, () -> upkeep.prune(Duration.ofHours(12)));
        assertTrue(e.getMessage().contains("younger than 1d"), e.getMessage());
    }

    @Test
    void theDefaultRetentionIsThirtyDays() {
        assertEquals(Duration.ofDays(30), upkeep.retention());
    }

    @Test
    void attemptsLeftRunningByAStoppedWorkerAreMarkedAbandonedAndNeverCountAsCompleted() {
        long now = System.currentTimeMillis();
        TurnAttempt stale = row("stale", TurnAttempt.RUNNING, now - 2 * DAY);
        TurnAttempt live = row("live", TurnAttempt.RUNNING, now - 60_000);
        TurnAttempt answered = row("answered", TurnAttempt.OK, now - 2 * DAY);

        assertEquals(1, upkeep.reconcileStale());
        TurnAttempt marked = repository.findById(stale.id()).orElseThrow();
        assertEquals(TurnAttempt.ABANDONED, marked.status());
        assertTrue(marked.error().startsWith("abandoned: still running at a worker start"), marked.error());
        assertTrue(ledger.completed("stale").isEmpty(), "an abandoned attempt is not a completed turn");
        assertEquals(
                TurnAttempt.RUNNING,
                repository.findById(live.id()).orElseThrow().status(),
                "an attempt younger than abandon-after (maybe in flight on another worker) is left alone");
        assertEquals(
                TurnAttempt.OK, repository.findById(answered.id()).orElseThrow().status());
        assertTrue(ledger.completed("answered").isPresent(), "an answered turn still short-circuits");
        assertEquals(0, upkeep.reconcileStale(), "idempotent");
    }

    @Test
    void anAbandonedAttemptThatFinishesAfterAllIsRecordedAsItEnded() {
        TurnAttempt slow = row("slow", TurnAttempt.RUNNING, System.currentTimeMillis() - 2 * DAY);
        upkeep.reconcileStale();
        ledger.finish(slow, TurnAttempt.OK, 200, "r-late", "out", null);
        assertEquals(
                TurnAttempt.OK, repository.findById(slow.id()).orElseThrow().status());
        assertTrue(ledger.completed("slow").isPresent());
    }
}

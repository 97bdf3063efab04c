package ai.clawfactory.worker.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.worker.LedgerContextTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ledger's repository on a real SQLite file ({@code TurnAttemptRepositoryOnPostgresIT} re-runs
 * it on PostgreSQL): the same SQL, the dialect ANSI, on both.
 */
class TurnAttemptRepositoryTest extends LedgerContextTest {

    @Inject
    TurnAttemptRepository repository;

    private static TurnAttempt row(String id, String key, String workflow, String status, long startedAt) {
        return LedgerRows.attempt(id, key, workflow, status, startedAt, null);
    }

    @Test
    void nullColumnsReadBackAsNullAndZeroAsZero() {
        TurnAttempt empty = repository.save(row("a", "k", "wf", TurnAttempt.RUNNING, 1_000));
        TurnAttempt read = repository.findById("a").orElseThrow();
        assertEquals(empty, read);
        assertNull(read.httpStatus());
        assertNull(read.durationMs());
        assertNull(read.gatewayRunId());
        assertNull(read.request());
        assertNull(read.output());
        assertNull(read.error());

        TurnAttempt zeros = empty.finish(TurnAttempt.OK, 0, "", 0L, "", "");
        repository.update(zeros);
        TurnAttempt readZeros = repository.findById("a").orElseThrow();
        assertEquals(zeros, readZeros);
        assertEquals(Integer.valueOf(0), readZeros.httpStatus(), "0 is not NULL");
        assertEquals(Long.valueOf(0), readZeros.durationMs(), "0 is not NULL");

        TurnAttempt full = new TurnAttempt(
                "b",
                "k2",
                "wf",
                "run-2",
                "Type",
                "step",
                3,
                "http",
                TurnAttempt.TRANSIENT_ERROR,
                503,
                "gw-1",
                Long.MAX_VALUE / 2,
                12_345_678_901L,
                "{\"q\":1}",
                "out\nput",
                "error ü");
        repository.save(full);
        assertEquals(full, repository.findById("b").orElseThrow());

        TurnAttempt nullsAgain = full.finish(TurnAttempt.CANCELLED, null, null, 7, null, null);
        TurnAttempt backToNull = new TurnAttempt(
                nullsAgain.id(),
                nullsAgain.turnKey(),
                nullsAgain.workflowId(),
                nullsAgain.runId(),
                nullsAgain.workflowType(),
                nullsAgain.stepId(),
                nullsAgain.attempt(),
                nullsAgain.kind(),
                nullsAgain.status(),
                null,
                null,
                nullsAgain.startedAt(),
                null,
                null,
                null,
                null);
        repository.update(backToNull);
        assertEquals(backToNull, repository.findById("b").orElseThrow());
        assertTrue(repository.findById("missing").isEmpty());
    }

    @Test
    void queriesFilterOrderAndLimit() {
        repository.save(row("1", "k", "wf-a", TurnAttempt.OK, 100));
        repository.save(row("2", "k", "wf-a", TurnAttempt.SKIPPED, 200));
        repository.save(row("3", "k", "wf-a", TurnAttempt.TRANSIENT_ERROR, 300));
        repository.save(row("4", "other", "wf-b", TurnAttempt.OK, 300));
        repository.save(row("5", "none", "wf-b", TurnAttempt.ABANDONED, 50));

        assertEquals("2", repository.findCompleted("k").orElseThrow().id(), "the latest ok or skipped one");
        assertTrue(repository.findCompleted("none").isEmpty(), "abandoned never counts as completed");
        assertEquals(
                List.of("3", "4", "2"),
                repository.findLatest(3).stream().map(TurnAttempt::id).toList(),
                "newest first, ties by id");
        assertEquals(
                List.of("4", "5"),
                repository.findLatestOfWorkflow("wf-b", 10).stream()
                        .map(TurnAttempt::id)
                        .toList());
        assertEquals(3, repository.countByTurnKey("k"));
        assertEquals(5, repository.count());
        assertEquals(2, repository.countByStartedAtLessThan(200));
        assertEquals(List.of(50L), repository.findBatchEnd(200, 0), "the oldest start before the cut-off");
        assertEquals(List.of(100L), repository.findBatchEnd(200, 1));
        assertEquals(List.of(), repository.findBatchEnd(200, 2), "fewer left than the offset");
        assertEquals(1, repository.deleteStartedAtOrBefore(50), "one batch: a range up to its end, inclusive");
        assertEquals(1, repository.deleteAllStartedBefore(200), "the last batch: the rest before the cut-off");
        assertEquals(3, repository.count());
        repository.save(row("6", "run", "wf-c", TurnAttempt.RUNNING, 10));
        assertEquals(1, repository.abandonRunningStartedBefore(1_000, "gone"));
        assertEquals("gone", repository.findById("6").orElseThrow().error());
        assertEquals(
                TurnAttempt.ABANDONED, repository.findById("6").orElseThrow().status());
        repository.deleteNothing();
        assertEquals(4, repository.count());
    }
}

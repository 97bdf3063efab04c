package ai.clawfactory.worker.ledger;

/** Ledger rows for tests: an attempt of step {@code execute} of type {@code T}, nothing recorded yet. */
final class LedgerRows {

    private LedgerRows() {}

    static TurnAttempt attempt(String id, String key, String workflow, String status, long startedAt, String request) {
        return new TurnAttempt(
                id,
                key,
                workflow,
                "run",
                "T",
                "execute",
                1,
                "openclaw-hooks",
                status,
                null,
                null,
                startedAt,
                null,
                request,
                null,
                null);
    }
}

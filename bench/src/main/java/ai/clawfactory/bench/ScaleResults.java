package ai.clawfactory.bench;

import java.util.List;

/**
 * What {@code ./clawfactory bench --scale} measured: how each cost grows with the work. Written as
 * {@code scale-results.json}; {@link ScaleReport} renders it. A part not measured is named in
 * {@link #notMeasured} with the reason, never filled with a figure.
 */
record ScaleResults(
        String mode,
        String machine,
        String startedAt,
        long wallSeconds,
        String loadNote,
        List<SyncRow> sync,
        List<PunctualityRow> punctuality,
        List<WorkerRow> worker,
        List<ParkedRow> parked,
        List<LedgerRow> ledger,
        List<String> notMeasured) {

    /**
     * {@code validate} and {@code schedules sync} with {@code schedules} generated definitions, each
     * with a schedule. Wall times are the CLI's whole process (JVM start included); {@code *InProcessMs}
     * is what the sync itself reported. {@code secondNoIndex*}: the same second sync in a namespace
     * without the hash search attribute (every schedule described, as before issue 34).
     * {@code secondSyncSettled*}: the second sync again once the machine has settled (the server
     * still starts the new schedules' scheduler workflows for a while after the first sync), as a
     * sync that changes nothing meets it at a deploy or a boot; null in results made before it.
     */
    record SyncRow(
            int schedules,
            long validateMs,
            long firstSyncMs,
            long firstSyncInProcessMs,
            int firstSyncCalls,
            long secondSyncMs,
            long secondSyncInProcessMs,
            int secondSyncCalls,
            Long secondNoIndexMs,
            Integer secondNoIndexCalls,
            long updateAllMs,
            long deleteAllMs,
            Long secondSyncSettledMs,
            Long secondSyncSettledInProcessMs) {}

    /**
     * {@code schedules} schedules due at the same second: lateness of each run's start after its
     * scheduled time, and the schedules that had not fired {@code waitedSeconds} after it.
     */
    record PunctualityRow(
            int schedules,
            double p50LatenessMs,
            double p99LatenessMs,
            double maxLatenessMs,
            int notFired,
            int waitedSeconds) {}

    /** The worker with {@code definitions} definitions: launch to first poll, RSS idle, and after a hot reload. */
    record WorkerRow(int definitions, long firstPollMs, double idleRssMiB, long reloadMs, double afterReloadRssMiB) {}

    /** {@code count} runs parked in a one-hour wait: how long parking took, worker and dev-server RSS. */
    record ParkedRow(
            int count,
            long secondsToPark,
            double workerIdleRssMiB,
            double workerParkedRssMiB,
            double serverIdleRssMiB,
            double serverParkedRssMiB) {}

    /**
     * The {@code turns} commands on a ledger of {@code rows} attempts (whole process, JVM start
     * included; the read commands the median of five, one in the quick mode): database {@code sqlite} or {@code postgresql}.
     */
    record LedgerRow(
            String database,
            int rows,
            long fillMs,
            double sizeMiB,
            long turnsWorkflowMs,
            long turnsLimit50Ms,
            long pruneMs,
            long pruned) {}
}

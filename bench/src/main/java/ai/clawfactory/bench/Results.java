package ai.clawfactory.bench;

import java.util.List;
import java.util.Map;

/**
 * Everything one harness run measured; written as {@code results.json} and rendered by {@link Report}.
 * Fields added with the Python column are null in the results of earlier runs, which still render.
 */
record Results(
        String mode,
        String machine,
        String startedAt,
        long wallSeconds,
        String unitFlags,
        double jvmAloneMs,
        List<StartupRow> startup,
        Classes classes,
        Parked parked,
        Throughput throughput,
        ScheduleLatency schedule,
        String workerJava,
        Python python) {

    /** Cold starts of one worker with one set of JVM flags: launch to first poll, and RSS once idle. */
    record StartupRow(
            String worker,
            String flagsName,
            String flags,
            List<Long> firstPollMs,
            double medianFirstPollMs,
            List<Double> idleRssMiB,
            double medianIdleRssMiB,
            List<Long> contextStartMs,
            double medianContextStartMs) {}

    /** Classes the JVM loaded by the first poll: where start-up goes. */
    record Classes(long worker, long bare) {}

    /**
     * Resident memory with {@code count} workflows parked in a one-hour wait: the clawfactory
     * worker's (the top-level fields), the bare SDK's and the Python worker's.
     */
    record Parked(
            int count,
            double idleRssMiB,
            double parkedRssMiB,
            long secondsToPark,
            ParkedColumn bare,
            ParkedColumn python) {}

    record ParkedColumn(double idleRssMiB, double parkedRssMiB, long secondsToPark) {}

    /**
     * Completions per second of {@code count} two-turn workflows, per round; each ratio is the
     * median of the rounds' ratios (ratio: worker / bare, ratioPython: worker / Python,
     * ratioBarePython: bare / Python).
     */
    record Throughput(
            int count,
            long waitMillis,
            List<Double> worker,
            List<Double> bare,
            double medianWorker,
            double medianBare,
            double ratio,
            List<Double> python,
            Double medianPython,
            Double ratioPython,
            Double ratioBarePython,
            Map<String, Cpu> cpu) {}

    /**
     * CPU time per workflow in one column's rounds (ms): its worker process's, and the dev server's
     * while those rounds ran; null in the results of runs before it was measured.
     */
    record Cpu(List<Double> worker, List<Double> server, double medianWorkerMs, double medianServerMs) {}

    /**
     * From each scheduled time to the gateway receiving the run's turn, split at the run's start
     * time: the server's scheduler before it, the worker (task, definition, ledger, HTTP) after it.
     */
    record ScheduleLatency(
            int firings,
            String interval,
            List<Long> latenciesMs,
            double p50Ms,
            double p99Ms,
            double maxMs,
            List<Long> serverMs,
            double serverP50Ms,
            double serverP99Ms,
            List<Long> workerMs,
            double workerP50Ms,
            double workerP99Ms) {}

    /** The Python worker: interpreter and package versions, and how it is sized. */
    record Python(String version, String temporalio, String httpx, String sizing) {}
}

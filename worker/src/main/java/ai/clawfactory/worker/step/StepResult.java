package ai.clawfactory.worker.step;

/**
 * What one step produced. Small outputs travel inline; larger ones stay in the turn ledger and
 * travel as {@code outputRef} (the ledger row id), keeping Temporal payloads small.
 *
 * @param status   ok, skipped, failed or cancelled
 * @param runId    the gateway's run id, if any
 * @param output   the output text when small enough, else null
 * @param outputRef ledger row holding the full output, or null
 * @param attempts how many attempts the step took
 */
public record StepResult(
        String stepId,
        String kind,
        String status,
        String runId,
        String output,
        String outputRef,
        Integer httpStatus,
        String error,
        int attempts) {

    public static final String OK = "ok";
    public static final String SKIPPED = "skipped";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";

    public StepResult withAttempts(int n) {
        return new StepResult(stepId, kind, status, runId, output, outputRef, httpStatus, error, n);
    }
}

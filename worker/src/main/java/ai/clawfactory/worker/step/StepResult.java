package ai.clawfactory.worker.step;

import ai.clawfactory.core.definition.StepKind;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What one step produced. Small outputs travel inline; larger ones stay in the turn ledger and
 * travel as {@code outputRef} (the ledger row id), keeping Temporal payloads small. Written into
 * history: its JSON is the history contract (the kind and status as the strings they always were).
 *
 * @param status   ok, skipped, failed or cancelled
 * @param runId    the gateway's run id, if any
 * @param output   the output text when small enough, else null
 * @param outputRef ledger row holding the full output, or null
 * @param attempts how many attempts the step took
 * @param carriedFrom set on a re-run's step taken over from the old run: that run, as
 *                 {@code <workflow id>/<run id>} (this run did not run the step); null otherwise,
 *                 and then left out of the JSON, so every other result is written as before
 * @param item     for one item of a fan-out ({@code forEach}): the item it ran for, else null (and
 *                 left out of the JSON)
 * @param items    for a fan-out step: each item's result, in item order, else null (and left out)
 */
public record StepResult(
        String stepId,
        StepKind kind,
        StepStatus status,
        String runId,
        String output,
        String outputRef,
        Integer httpStatus,
        String error,
        int attempts,
        @JsonInclude(JsonInclude.Include.NON_NULL) String carriedFrom,
        @JsonInclude(JsonInclude.Include.NON_NULL) String item,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<StepResult> items) {

    /** A result as every step that ran has it before fan-outs and re-runs: not carried, no item, no items. */
    public StepResult(
            String stepId,
            StepKind kind,
            StepStatus status,
            String runId,
            String output,
            String outputRef,
            Integer httpStatus,
            String error,
            int attempts) {
        this(stepId, kind, status, runId, output, outputRef, httpStatus, error, attempts, null, null, null);
    }

    /** A fan-out step's result: its status and error over its items, the most attempts one took, each item's result. */
    public static StepResult ofItems(
            String stepId, StepKind kind, StepStatus status, String error, int attempts, List<StepResult> items) {
        return new StepResult(
                stepId, kind, status, null, null, null, null, error, attempts, null, null, List.copyOf(items));
    }

    /** This result as one item of a fan-out, run for {@code value}. */
    public StepResult withItem(String value) {
        return new StepResult(
                stepId, kind, status, runId, output, outputRef, httpStatus, error, attempts, carriedFrom, value, items);
    }

    /** A step that ran to its end without an answer of its own (a wait). */
    public static StepResult ok(String stepId, StepKind kind, int attempts) {
        return new StepResult(stepId, kind, StepStatus.OK, null, null, null, null, null, attempts);
    }

    /** A step that did not run, and why. */
    public static StepResult skipped(String stepId, StepKind kind, String reason) {
        return new StepResult(stepId, kind, StepStatus.SKIPPED, null, null, null, null, reason, 0);
    }

    /** A step that failed after {@code attempts} attempts with {@code error}. */
    public static StepResult failed(String stepId, StepKind kind, String error, int attempts) {
        return new StepResult(stepId, kind, StepStatus.FAILED, null, null, null, null, error, attempts);
    }

    /** A step cancelled in its attempt {@code attempts}. */
    public static StepResult cancelled(String stepId, StepKind kind, int attempts) {
        return new StepResult(stepId, kind, StepStatus.CANCELLED, null, null, null, null, "cancelled", attempts);
    }

    public StepResult withAttempts(int n) {
        return new StepResult(
                stepId, kind, status, runId, output, outputRef, httpStatus, error, n, carriedFrom, item, items);
    }

    /** This result as a re-run takes it over from {@code run} ({@code <workflow id>/<run id>}): as it was, marked carried. */
    public StepResult carriedOverFrom(String run) {
        return new StepResult(
                stepId, kind, status, runId, output, outputRef, httpStatus, error, attempts, run, item, items);
    }
}

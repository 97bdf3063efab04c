package ai.clawfactory.worker.step.approval;

import ai.clawfactory.core.approval.DecisionResult;
import ai.clawfactory.worker.step.TurnContext;

/**
 * How an approval step ended, for its ledger row. Written into history: it only gains components.
 *
 * @param context  the run
 * @param stepId   the approval step
 * @param prompt   the prompt as rendered
 * @param status   {@code approved}, {@code rejected} or {@code timed_out}
 * @param decision the decision (who, channel, note as data), or null when none came
 * @param error    why the step failed (rejected, timed out), or null
 */
public record ApprovalRecord(
        TurnContext context, String stepId, String prompt, String status, DecisionResult decision, String error) {}

package ai.clawfactory.worker.interpreter;

import ai.clawfactory.worker.step.StepResult;
import ai.clawfactory.worker.step.approval.PendingApproval;
import java.util.List;
import java.util.Map;

/**
 * Answer of the {@code status} query.
 *
 * @param currentStep  id of the running step, or null before the first / after the last
 * @param kind         the run's phase: starting, the running step's kind (agentTurn, wait, http,
 *                     wake, …), backoff (between attempts), failed or done
 * @param attempt      attempt number of the running turn (1-based), 0 when none
 * @param nextWakeTime ISO-8601 instant a wait or backoff ends, or null
 * @param steps        results of the steps finished so far
 * @param active       every step (and fan-out item) running or waiting now, in definition order;
 *                     the components above describe the first of them
 * @param approvals    the approval steps waiting for a decision now: step, prompt, deadline, channels
 */
public record WorkflowStatus(
        String workflowType,
        String definitionVersion,
        String currentStep,
        String kind,
        int attempt,
        String nextWakeTime,
        Map<String, StepResult> steps,
        List<ActiveStep> active,
        List<PendingApproval> approvals) {

    /** An answer of the shape before approvals: none pending. */
    public WorkflowStatus(
            String workflowType,
            String definitionVersion,
            String currentStep,
            String kind,
            int attempt,
            String nextWakeTime,
            Map<String, StepResult> steps,
            List<ActiveStep> active) {
        this(workflowType, definitionVersion, currentStep, kind, attempt, nextWakeTime, steps, active, List.of());
    }

    /** An answer of the shape before graphs: no list of active steps. */
    public WorkflowStatus(
            String workflowType,
            String definitionVersion,
            String currentStep,
            String kind,
            int attempt,
            String nextWakeTime,
            Map<String, StepResult> steps) {
        this(workflowType, definitionVersion, currentStep, kind, attempt, nextWakeTime, steps, List.of());
    }
}

package ai.clawfactory.worker.interpreter;

import ai.clawfactory.worker.step.StepResult;
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
 */
public record WorkflowStatus(
        String workflowType,
        String definitionVersion,
        String currentStep,
        String kind,
        int attempt,
        String nextWakeTime,
        Map<String, StepResult> steps) {}

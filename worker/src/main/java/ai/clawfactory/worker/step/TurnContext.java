package ai.clawfactory.worker.step;

import java.util.Map;

/**
 * What templates may read: the run, its input and the earlier steps' results; for an alert also
 * {@code failure.*} (null for steps).
 */
public record TurnContext(
        String workflowId,
        String runId,
        String workflowType,
        String startTime,
        Map<String, String> input,
        Map<String, StepResult> steps,
        Map<String, String> failure) {

    /** The context of a step (no {@code failure.*}). */
    public TurnContext(
            String workflowId,
            String runId,
            String workflowType,
            String startTime,
            Map<String, String> input,
            Map<String, StepResult> steps) {
        this(workflowId, runId, workflowType, startTime, input, steps, null);
    }
}

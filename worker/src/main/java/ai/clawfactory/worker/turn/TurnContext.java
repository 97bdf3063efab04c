package ai.clawfactory.worker.turn;

import ai.clawfactory.worker.interpreter.StepResult;

import java.util.Map;

/** What templates may read: the run, its input and the earlier steps' results. */
public record TurnContext(
        String workflowId,
        String runId,
        String workflowType,
        String startTime,
        Map<String, String> input,
        Map<String, StepResult> steps) {
}

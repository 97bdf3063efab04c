package ai.clawfactory.worker.step;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * What templates may read: the run, its input and the earlier steps' results; for an alert also
 * {@code failure.*} (null for steps); in one item of a fan-out, the item by its name
 * ({@code {{topic}}}; null elsewhere); in an approval step's {@code notify:} call,
 * {@code approval.link|command|prompt} (null elsewhere, and then left out of the JSON, so every
 * other context is written as before). Written into history in each kind's input: it only gains components.
 */
public record TurnContext(
        String workflowId,
        String runId,
        String workflowType,
        String startTime,
        Map<String, String> input,
        Map<String, StepResult> steps,
        Map<String, String> failure,
        Map<String, String> item,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, String> approval) {

    /** The context of a step, an alert or a fan-out item: no {@code approval.*}. */
    public TurnContext(
            String workflowId,
            String runId,
            String workflowType,
            String startTime,
            Map<String, String> input,
            Map<String, StepResult> steps,
            Map<String, String> failure,
            Map<String, String> item) {
        this(workflowId, runId, workflowType, startTime, input, steps, failure, item, null);
    }

    /** The context of a step or an alert, without an item. */
    public TurnContext(
            String workflowId,
            String runId,
            String workflowType,
            String startTime,
            Map<String, String> input,
            Map<String, StepResult> steps,
            Map<String, String> failure) {
        this(workflowId, runId, workflowType, startTime, input, steps, failure, null);
    }

    /** This context in the fan-out item {@code value}, read as {@code name}. */
    public TurnContext withItem(String name, String value) {
        return new TurnContext(
                workflowId, runId, workflowType, startTime, input, steps, failure, Map.of(name, value), approval);
    }

    /** This context in an approval step's {@code notify:} call, where {@code approval.*} reads {@code fields}. */
    public TurnContext withApproval(Map<String, String> fields) {
        return new TurnContext(workflowId, runId, workflowType, startTime, input, steps, failure, item, fields);
    }

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

package ai.clawfactory.worker.step.approval;

import java.util.List;

/**
 * An approval waiting for a decision, as the {@code status} query shows it.
 *
 * @param step     the approval step's id
 * @param prompt   what the person is asked, as rendered
 * @param deadline ISO-8601 instant the step times out
 * @param by       the channels that may decide
 */
public record PendingApproval(String step, String prompt, String deadline, List<String> by) {}

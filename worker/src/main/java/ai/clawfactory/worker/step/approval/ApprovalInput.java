package ai.clawfactory.worker.step.approval;

import ai.clawfactory.worker.step.TurnContext;

/**
 * An approval step opening: its prompt, still a template. Written into history: it only gains components.
 *
 * @param context what the prompt may read
 * @param stepId  the approval step
 * @param prompt  the prompt template
 */
public record ApprovalInput(TurnContext context, String stepId, String prompt) {}

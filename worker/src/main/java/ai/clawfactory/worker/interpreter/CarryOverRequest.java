package ai.clawfactory.worker.interpreter;

/**
 * What a re-run asks to carry over, as its memo names it (written by whoever started the run: it is
 * checked, never trusted). Recorded in history as the local activity's input: fields may be
 * added, never renamed or removed.
 *
 * @param workflowType the re-run's own type: the old run must be of the same one
 * @param workflowId   the old run's workflow id
 * @param runId        the old run's run id
 * @param from         the step the re-run runs from; the steps before it are carried over
 */
public record CarryOverRequest(String workflowType, String workflowId, String runId, String from) {}

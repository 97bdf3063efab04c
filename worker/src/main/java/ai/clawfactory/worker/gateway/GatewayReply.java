package ai.clawfactory.worker.gateway;

/**
 * A completed turn.
 *
 * @param httpStatus the gateway's status, null in dry-run
 * @param runId      the gateway's run id, if it gave one
 * @param skipped    the agent decided there was nothing to do
 * @param output     the agent's output text when the kind returns it (openai-chat), else a summary
 */
public record GatewayReply(Integer httpStatus, String runId, boolean skipped, String output) {
}

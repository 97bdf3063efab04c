package ai.clawfactory.worker.gateway;

/**
 * A completed turn.
 *
 * @param httpStatus the gateway's status, null in dry-run
 * @param runId      the gateway's run id, if it gave one
 * @param skipped    the agent decided there was nothing to do
 * @param output     the agent's output text when the kind returns it (openai-chat), else a summary
 * @param replyDisposition what the gateway says became of the agent's reply (OpenClaw hooks:
 *                   {@code completion.replyDisposition}, e.g. {@code delivered}, {@code silent}), null when not reported
 */
public record GatewayReply(Integer httpStatus, String runId, boolean skipped, String output, String replyDisposition) {

    /** A reply without a reported disposition. */
    public GatewayReply(Integer httpStatus, String runId, boolean skipped, String output) {
        this(httpStatus, runId, skipped, output, null);
    }
}

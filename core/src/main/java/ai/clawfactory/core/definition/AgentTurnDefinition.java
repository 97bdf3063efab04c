package ai.clawfactory.core.definition;

/**
 * An agent turn sent to the gateway. Field names follow OpenClaw's {@code POST /hooks/agent}
 * body; {@code message} may hold {@code {{...}}} templates.
 *
 * @param jobId  legacy {@code cron-fire} gateways only: the job to fire
 * @param expect what the answer must satisfy to count as a success, or null (any completed turn)
 */
public record AgentTurnDefinition(
        String message,
        String name,
        String agentId,
        String sessionKey,
        String sessionMode,
        String model,
        String thinking,
        Integer timeoutSeconds,
        Boolean deliver,
        String channel,
        String to,
        String wakeMode,
        String jobId,
        OutputCheck expect)
        implements StepAction {

    @Override
    public StepKind kind() {
        return StepKind.AGENT_TURN;
    }

    /** A turn without an output check (the fields before {@code expect}). */
    public AgentTurnDefinition(
            String message,
            String name,
            String agentId,
            String sessionKey,
            String sessionMode,
            String model,
            String thinking,
            Integer timeoutSeconds,
            Boolean deliver,
            String channel,
            String to,
            String wakeMode,
            String jobId) {
        this(
                message,
                name,
                agentId,
                sessionKey,
                sessionMode,
                model,
                thinking,
                timeoutSeconds,
                deliver,
                channel,
                to,
                wakeMode,
                jobId,
                null);
    }

    /** This turn with another message (rendered templates), everything else kept. */
    public AgentTurnDefinition withMessage(String rendered) {
        return new AgentTurnDefinition(
                rendered,
                name,
                agentId,
                sessionKey,
                sessionMode,
                model,
                thinking,
                timeoutSeconds,
                deliver,
                channel,
                to,
                wakeMode,
                jobId,
                expect);
    }
}

package ai.clawfactory.core.definition;

/**
 * An agent turn sent to the gateway. Field names follow OpenClaw's {@code POST /hooks/agent}
 * body; {@code message} may hold {@code {{...}}} templates.
 *
 * @param jobId legacy {@code cron-fire} gateways only: the job to fire
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
        String jobId) {
}

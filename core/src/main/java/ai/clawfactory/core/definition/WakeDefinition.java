package ai.clawfactory.core.definition;

/**
 * A wake of the gateway's main session: OpenClaw's {@code POST /hooks/wake {text, mode}}, what an
 * OpenClaw {@code systemEvent} cron job did. {@code text} may hold {@code {{...}}} templates.
 *
 * @param text what the main session is told
 * @param mode {@code now} or {@code next-heartbeat}; null means {@code now}
 */
public record WakeDefinition(String text, String mode) implements StepAction {

    @Override
    public StepKind kind() {
        return StepKind.WAKE;
    }
}

package ai.clawfactory.core.definition;

/**
 * What a step (or an alert) does: the one record of its kind, typed. The wire records implement it
 * without a getter-named method, so their JSON stays as it was (the history contract); callers
 * dispatch on {@link #kind()}, e.g. through a map keyed by {@link StepKind}.
 */
public sealed interface StepAction
        permits AgentTurnDefinition,
                WaitDefinition,
                HttpCallDefinition,
                WakeDefinition,
                CommandDefinition,
                ApprovalDefinition {

    /** Which kind this is. */
    StepKind kind();
}

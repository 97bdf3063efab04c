package ai.clawfactory.worker.step.command;

import ai.clawfactory.core.definition.CommandDefinition;
import ai.clawfactory.worker.step.TurnContext;
import java.time.Duration;

/** One attempt of a command step; argv and env are still templates. Written into history: it only gains components. */
public record CommandInput(
        TurnContext context, String stepId, int attempt, Duration timeout, CommandDefinition command) {}

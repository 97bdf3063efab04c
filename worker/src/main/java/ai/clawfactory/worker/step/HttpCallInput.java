package ai.clawfactory.worker.step;

import ai.clawfactory.core.definition.HttpCallDefinition;
import java.time.Duration;

/** One attempt of a plain HTTP step. */
public record HttpCallInput(
        TurnContext context, String stepId, int attempt, Duration timeout, HttpCallDefinition http) {}

package ai.clawfactory.worker.step.httpcall;

import ai.clawfactory.core.definition.HttpCallDefinition;
import ai.clawfactory.worker.step.TurnContext;
import java.time.Duration;

/** One attempt of a plain HTTP step. */
public record HttpCallInput(
        TurnContext context, String stepId, int attempt, Duration timeout, HttpCallDefinition http) {}

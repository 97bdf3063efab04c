package ai.clawfactory.worker.step;

import ai.clawfactory.core.definition.WakeDefinition;
import java.time.Duration;

/** One attempt of a wake step; the text is still a template. */
public record WakeInput(TurnContext context, String stepId, int attempt, Duration timeout, WakeDefinition wake) {}

package ai.clawfactory.worker.step.wake;

import ai.clawfactory.core.definition.WakeDefinition;
import ai.clawfactory.worker.step.TurnContext;
import java.time.Duration;

/** One attempt of a wake step; the text is still a template. */
public record WakeInput(TurnContext context, String stepId, int attempt, Duration timeout, WakeDefinition wake) {}

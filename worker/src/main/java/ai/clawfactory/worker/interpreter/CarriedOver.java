package ai.clawfactory.worker.interpreter;

import ai.clawfactory.worker.step.StepResult;
import java.util.Map;

/**
 * What a re-run starts from, recorded in its history: the definition (the worker's own, of the
 * same version as the old run's; never a definition read from another history) and the old run's
 * results of the steps before the re-run's first step, each marked {@link StepResult#carriedFrom}.
 * Fields may be added, never renamed or removed.
 *
 * @param loaded  the definition, as {@code LoadDefinition} returns it for a new run
 * @param steps   the carried results by step id, in file order; empty when refused
 * @param refusal why the re-run cannot go on (the run then fails), or null
 */
public record CarriedOver(LoadedDefinition loaded, Map<String, StepResult> steps, String refusal) {}

package ai.clawfactory.worker.step;

import ai.clawfactory.core.definition.StepDefinition;
import ai.clawfactory.core.definition.StepKind;

/**
 * The workflow side of one step kind: runs a step to its result, issuing the kind's commands
 * (its activity with its options and summary, or its timer). The interpreter finds it by the
 * step's kind in the map of runners ({@code StepRunners}). Runners hold no state: what
 * they report (attempts, waits) goes to the {@link StepRun} they are handed.
 *
 * <p>A runner is workflow code: a change of the commands it issues, for any history that could
 * already exist, is guarded by {@code Workflow.getVersion} (see the interpreter's versioning policy).
 */
public interface StepRunner {

    /** Runs {@code step} of the run that {@code run} reports to; returns its result. */
    StepResult run(StepDefinition step, StepRun run);

    /** The kind of {@code step} as the definition model names it (an {@code http} step when none is set). */
    static StepKind kindOf(StepDefinition step) {
        return StepKind.ofKey(step.kind());
    }
}

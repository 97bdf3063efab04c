package ai.clawfactory.worker.interpreter;

import ai.clawfactory.core.definition.StepKind;

/**
 * Where a run is, as the {@code status} query tells it ({@link WorkflowStatus#kind()}): on the wire
 * the strings it always was, the running step's kind standing for {@link #RUNNING}.
 */
enum Phase {
    /** Loading the definition and reading the input. */
    STARTING("starting"),
    /** A step runs (an attempt of its activity, or its wait): written as the step's kind. */
    RUNNING(null),
    /** Between two attempts of a step. */
    BACKOFF("backoff"),
    /** A step failed and the run stops. */
    FAILED("failed"),
    /** Every step is done. */
    DONE("done");

    private final String wire;

    Phase(String wire) {
        this.wire = wire;
    }

    /** The string the status query answers, {@code running} being the kind of the step that runs. */
    String wire(StepKind running) {
        return this == RUNNING ? running.key() : wire;
    }
}

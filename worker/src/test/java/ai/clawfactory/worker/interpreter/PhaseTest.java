package ai.clawfactory.worker.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.clawfactory.core.definition.StepKind;
import org.junit.jupiter.api.Test;

/** The status query's {@code kind}: the strings clients have always read. */
class PhaseTest {

    @Test
    void aRunningStepIsWrittenAsItsKindEveryOtherPhaseAsItsName() {
        assertEquals("starting", Phase.STARTING.wire(null));
        assertEquals("agentTurn", Phase.RUNNING.wire(StepKind.AGENT_TURN));
        assertEquals("wait", Phase.RUNNING.wire(StepKind.WAIT));
        assertEquals("wake", Phase.RUNNING.wire(StepKind.WAKE));
        assertEquals("backoff", Phase.BACKOFF.wire(StepKind.HTTP));
        assertEquals("failed", Phase.FAILED.wire(StepKind.HTTP));
        assertEquals("done", Phase.DONE.wire(StepKind.HTTP));
    }
}

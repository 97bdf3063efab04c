package ai.clawfactory.worker.step.kinds;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.clawfactory.core.definition.StepKind;
import ai.clawfactory.worker.step.agentturn.AgentTurnRunner;
import ai.clawfactory.worker.step.command.CommandRunner;
import ai.clawfactory.worker.step.httpcall.HttpCallRunner;
import ai.clawfactory.worker.step.wait.WaitRunner;
import ai.clawfactory.worker.step.wake.WakeRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StepRunnersTest {

    /** A kind added to the definition model without a runner in the worker fails here, not in a run. */
    @ParameterizedTest
    @EnumSource(StepKind.class)
    void everyStepKindOfTheDefinitionModelHasARunner(StepKind kind) {
        assertNotNull(StepRunners.of(kind));
    }

    @Test
    void eachKindIsRunByItsOwnSlice() {
        assertInstanceOf(AgentTurnRunner.class, StepRunners.of(StepKind.AGENT_TURN));
        assertInstanceOf(WaitRunner.class, StepRunners.of(StepKind.WAIT));
        assertInstanceOf(HttpCallRunner.class, StepRunners.of(StepKind.HTTP));
        assertInstanceOf(WakeRunner.class, StepRunners.of(StepKind.WAKE));
        assertInstanceOf(CommandRunner.class, StepRunners.of(StepKind.COMMAND));
    }

    @Test
    void alertsGoThroughTheActivityRunnersAndAWaitCannotAlert() {
        assertInstanceOf(AgentTurnRunner.class, StepRunners.activity(StepKind.AGENT_TURN));
        assertInstanceOf(HttpCallRunner.class, StepRunners.activity(StepKind.HTTP));
        assertThrows(IllegalArgumentException.class, () -> StepRunners.activity(StepKind.WAIT));
    }
}

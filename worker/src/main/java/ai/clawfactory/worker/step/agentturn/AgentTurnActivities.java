package ai.clawfactory.worker.step.agentturn;

import ai.clawfactory.core.Names;
import ai.clawfactory.worker.step.StepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Sends one agent turn to the gateway and records it in the ledger. */
@ActivityInterface
public interface AgentTurnActivities {

    @ActivityMethod(name = Names.ACTIVITY_AGENT_TURN)
    StepResult agentTurn(TurnInput input);
}

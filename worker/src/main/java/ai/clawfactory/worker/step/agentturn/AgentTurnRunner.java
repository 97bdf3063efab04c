package ai.clawfactory.worker.step.agentturn;

import ai.clawfactory.core.definition.AgentTurnDefinition;
import ai.clawfactory.worker.step.StepCall;
import ai.clawfactory.worker.step.StepResult;
import ai.clawfactory.worker.step.activity.ActivityRunner;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;

/** The {@code agentTurn} kind, workflow side: one {@code AgentTurn} activity per attempt. */
public final class AgentTurnRunner extends ActivityRunner<AgentTurnDefinition> {

    public AgentTurnRunner() {
        super(AgentTurnDefinition.class);
    }

    @Override
    protected StepResult call(AgentTurnDefinition turn, StepCall c, ActivityOptions options) {
        return Workflow.newActivityStub(AgentTurnActivities.class, options)
                .agentTurn(new TurnInput(c.context(), c.stepId(), c.attempt(), c.generation(), c.timeout(), turn));
    }
}

package ai.clawfactory.worker.step.command;

import ai.clawfactory.core.Names;
import ai.clawfactory.core.definition.CommandDefinition;
import ai.clawfactory.worker.step.StepCall;
import ai.clawfactory.worker.step.StepResult;
import ai.clawfactory.worker.step.activity.ActivityRunner;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;

/**
 * The {@code command} kind, workflow side: one {@code Command} activity per attempt, on the
 * worker's task queue, or with {@code host: NAME} on the agent host's ({@code clawfactory-agent-NAME}),
 * where it must be picked up within the step's timeout (a host that is down fails the attempt, and
 * the step's retries try again). A kind added after the first release: no history reaches it.
 */
public final class CommandRunner extends ActivityRunner<CommandDefinition> {

    public CommandRunner() {
        super(CommandDefinition.class);
    }

    @Override
    protected StepResult call(CommandDefinition command, StepCall c, ActivityOptions options) {
        ActivityOptions o = command.host() == null
                ? options
                : ActivityOptions.newBuilder(options)
                        .setTaskQueue(Names.AGENT_TASK_QUEUE_PREFIX + command.host())
                        .setScheduleToStartTimeout(c.timeout())
                        .build();
        return Workflow.newActivityStub(CommandActivities.class, o)
                .command(new CommandInput(c.context(), c.stepId(), c.attempt(), c.timeout(), command));
    }
}

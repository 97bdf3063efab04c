package ai.clawfactory.core.definition;

import java.util.List;

/**
 * A {@code command} step: one command or an exec block (several, run in order, stopping at the
 * first that fails), on the worker's host or on the agent host {@code host}. The concatenated
 * stdout, cut at {@code maxOutput} bytes, is the step's output.
 *
 * @param host      the agent host that runs it, or null for the worker itself
 * @param commands  the commands, in order (one for the single form)
 * @param maxOutput at most this many bytes of stdout become the step's output
 */
public record CommandDefinition(String host, List<CommandEntry> commands, int maxOutput) implements StepAction {

    @Override
    public StepKind kind() {
        return StepKind.COMMAND;
    }
}

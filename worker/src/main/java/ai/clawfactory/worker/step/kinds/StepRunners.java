package ai.clawfactory.worker.step.kinds;

import ai.clawfactory.core.definition.StepKind;
import ai.clawfactory.worker.step.StepRunner;
import ai.clawfactory.worker.step.activity.ActivityRunner;
import ai.clawfactory.worker.step.agentturn.AgentTurnRunner;
import ai.clawfactory.worker.step.approval.ApprovalRunner;
import ai.clawfactory.worker.step.command.CommandRunner;
import ai.clawfactory.worker.step.httpcall.HttpCallRunner;
import ai.clawfactory.worker.step.wait.WaitRunner;
import ai.clawfactory.worker.step.wake.WakeRunner;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The one map from a step kind to its runner: the interpreter runs every step through it, the
 * alert workflow sends its alerts through it. A new kind registers its runner here (and its
 * activity implementation in {@code WorkerLifecycle}). Runners hold no state, so one of each
 * serves every workflow.
 */
public final class StepRunners {

    private static final Map<StepKind, StepRunner> RUNNERS;

    static {
        Map<StepKind, StepRunner> m = new EnumMap<>(StepKind.class);
        m.put(StepKind.AGENT_TURN, new AgentTurnRunner());
        m.put(StepKind.WAIT, new WaitRunner());
        m.put(StepKind.HTTP, new HttpCallRunner());
        m.put(StepKind.WAKE, new WakeRunner());
        m.put(StepKind.COMMAND, new CommandRunner());
        // An approval's notify: call runs through the runner of its kind (agentTurn or http).
        m.put(StepKind.APPROVAL, new ApprovalRunner(StepRunners::of));
        RUNNERS = Collections.unmodifiableMap(m);
    }

    private StepRunners() {}

    /** The runner of {@code kind}; throws for a kind this worker has no runner for. */
    public static StepRunner of(StepKind kind) {
        StepRunner r = RUNNERS.get(kind);
        if (r == null) {
            throw new IllegalStateException("This worker has no runner for step kind '" + kind + "': register one in "
                    + StepRunners.class.getName());
        }
        return r;
    }

    /** The runner of {@code kind} when it calls an activity (what an alert may do); throws for one that does not. */
    public static ActivityRunner<?> activity(StepKind kind) {
        if (of(kind) instanceof ActivityRunner<?> a) {
            return a;
        }
        throw new IllegalArgumentException("Step kind '" + kind + "' calls no activity, so it cannot alert");
    }
}

package ai.clawfactory.worker.interpreter;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptorBase;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.NonDeterministicException;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The graph's change id is what keeps a recorded graph run replaying: answered
 * {@code DEFAULT_VERSION} (as if the graph had been added without a guard and the history were
 * older), the same definition runs its steps one after another, and the replay of two branches
 * scheduled side by side fails.
 */
class GraphReplayGuardTest {

    @Test
    void withoutTheGraphVersionTheRecordedBranchesDoNotReplay() throws Exception {
        Path file = Path.of(GraphReplayGuardTest.class
                .getResource("/histories/graph-branches-joined.json")
                .toURI());
        replay(file, null);
        Throwable thrown = assertThrows(Throwable.class, () -> replay(file, Workflow.DEFAULT_VERSION));
        boolean nonDeterministic = false;
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            nonDeterministic |= t instanceof NonDeterministicException
                    || String.valueOf(t.getMessage()).contains(NonDeterministicException.class.getName());
        }
        assertTrue(nonDeterministic, () -> "a non-determinism error, not: " + thrown);
    }

    /** Replays {@code file} with change {@code graph} answered {@code pinned} (no marker), or as recorded when null. */
    private static void replay(Path file, Integer pinned) throws URISyntaxException {
        TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .setWorkerFactoryOptions(WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(new WorkerInterceptorBase() {
                            @Override
                            public WorkflowInboundCallsInterceptor interceptWorkflow(
                                    WorkflowInboundCallsInterceptor next) {
                                return new WorkflowInboundCallsInterceptorBase(next) {
                                    @Override
                                    public void init(WorkflowOutboundCallsInterceptor outbound) {
                                        super.init(new WorkflowOutboundCallsInterceptorBase(outbound) {
                                            @Override
                                            public int getVersion(String changeId, int min, int max) {
                                                return pinned != null
                                                                && changeId.equals(InterpreterWorkflow.CHANGE_GRAPH)
                                                        ? pinned
                                                        : super.getVersion(changeId, min, max);
                                            }
                                        });
                                    }
                                };
                            }
                        })
                        .build())
                .build());
        try {
            Worker w = env.newWorker("replay");
            w.registerWorkflowImplementationTypes(InterpreterWorkflow.class);
            WorkflowReplayer.replayWorkflowExecution(InterpreterReplayTest.history(file), w);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            env.close();
        }
    }
}

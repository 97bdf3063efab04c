package ai.clawfactory.worker.alert;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.NonDeterministicException;
import io.temporal.workflow.Workflow;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The alert workflow against committed histories of real runs (src/test/resources/histories/alerts,
 * recorded by {@code HistoryRecorder} on the dev server). It lives for months, so a change of its
 * command sequence must be guarded like the interpreter's; a changed shape fails here.
 */
class AlertWorkflowReplayTest {

    static Stream<Path> histories() throws URISyntaxException, IOException {
        Path dir = Path.of(
                AlertWorkflowReplayTest.class.getResource("/histories/alerts").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> list =
                    files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            assertFalse(list.isEmpty());
            return list.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("histories")
    void committedHistoryReplaysOnTheCurrentCode(Path file) throws Exception {
        WorkflowReplayer.replayWorkflowExecution(
                WorkflowExecutionHistory.fromJson(Files.readString(file)), AlertWorkflowImpl.class);
    }

    /** The replay can fail: an alert workflow that would not send the recorded alerts is caught. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("histories")
    void aWorkflowThatSendsNothingDoesNotReplayTheHistory(Path file) throws Exception {
        WorkflowExecutionHistory h = WorkflowExecutionHistory.fromJson(Files.readString(file));
        Throwable thrown =
                assertThrows(Throwable.class, () -> WorkflowReplayer.replayWorkflowExecution(h, Silent.class));
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            // The replayer reports it as the error of its replay query, by name in the message.
            if (t instanceof NonDeterministicException
                    || String.valueOf(t.getMessage())
                            .contains(NonDeterministicException.class.getName() + ": [TMPRL1100]")) {
                return;
            }
        }
        throw new AssertionError("expected a NonDeterministicException, got " + thrown, thrown);
    }

    /** Hears every report and never alerts. */
    public static class Silent implements AlertWorkflow {
        private final Deque<RunOutcome> pending = new ArrayDeque<>();

        @Override
        public void watch(AlertState state) {
            while (true) {
                Workflow.await(() -> !pending.isEmpty());
                pending.poll();
            }
        }

        @Override
        public void runEnded(RunOutcome outcome) {
            pending.add(outcome);
        }

        @Override
        public AlertState alertState() {
            return null;
        }
    }
}

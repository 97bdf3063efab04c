package ai.clawfactory.worker.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.worker.ReplayedCommands;
import ai.clawfactory.worker.step.agentturn.TurnInput;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.NonDeterministicException;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The alert workflow against committed histories of real runs (src/test/resources/histories/alerts,
 * recorded by {@code HistoryRecorder} on the dev server). It lives for months, so a change of its
 * command sequence must be guarded like the interpreter's; a changed shape fails here.
 * {@code before-own-alerts-*}: recorded before change {@value AlertWorkflowImpl#CHANGE_OWN_ALERTS}
 * (one of them with a report handled after the deploy).
 */
class AlertWorkflowReplayTest {

    static final String BEFORE_OWN_ALERTS = "before-own-alerts-";

    static Stream<Path> histories() throws URISyntaxException, IOException {
        return histories(p -> true);
    }

    static Stream<Path> beforeOwnAlerts() throws URISyntaxException, IOException {
        return histories(p -> p.getFileName().toString().startsWith(BEFORE_OWN_ALERTS));
    }

    static Stream<Path> withOwnAlerts() throws URISyntaxException, IOException {
        return histories(p -> !p.getFileName().toString().startsWith(BEFORE_OWN_ALERTS));
    }

    private static Stream<Path> histories(Predicate<Path> which) throws URISyntaxException, IOException {
        Path dir = Path.of(
                AlertWorkflowReplayTest.class.getResource("/histories/alerts").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> list = files.filter(p -> p.toString().endsWith(".json"))
                    .filter(which)
                    .sorted()
                    .toList();
            assertFalse(list.isEmpty());
            return list.stream();
        }
    }

    private static WorkflowExecutionHistory history(Path file) throws IOException {
        return WorkflowExecutionHistory.fromJson(Files.readString(file));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("histories")
    void committedHistoryReplaysOnTheCurrentCode(Path file) throws Exception {
        WorkflowReplayer.replayWorkflowExecution(history(file), AlertWorkflowImpl.class);
    }

    /**
     * The commands the current code issues on every committed history also have the recorded
     * options, summaries and inputs (replay compares kind and type only), and no getVersion but
     * change {@value AlertWorkflowImpl#CHANGE_OWN_ALERTS} and its per-report ids is asked about.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("histories")
    void theReplayIssuesTheRecordedCommandsWithTheirOptionsSummariesAndInputs(Path file) throws Exception {
        WorkflowExecutionHistory h = history(file);
        ReplayedCommands.Replay replay = ReplayedCommands.replayed(h, AlertWorkflowImpl.class);
        assertEquals(ReplayedCommands.recorded(h), replay.commands(), file + ": commands");
        assertTrue(
                replay.changeIds().stream()
                        .allMatch(id -> id.equals(AlertWorkflowImpl.CHANGE_OWN_ALERTS)
                                || id.startsWith(AlertWorkflowImpl.CHANGE_OWN_ALERTS + "/")),
                file + ": getVersion asked about " + replay.changeIds());
    }

    /** The replay can fail: an alert workflow that would not send the recorded alerts is caught. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("histories")
    void aWorkflowThatSendsNothingDoesNotReplayTheHistory(Path file) throws Exception {
        WorkflowExecutionHistory h = history(file);
        assertNonDeterministic(() -> WorkflowReplayer.replayWorkflowExecution(h, Silent.class));
    }

    /** Change own-alerts made without its getVersion guard would break the alert workflows already running. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("beforeOwnAlerts")
    void theChangeWithoutItsGuardDoesNotReplayAHistoryFromBeforeIt(Path file) throws Exception {
        WorkflowExecutionHistory h = history(file);
        assertNonDeterministic(() -> replayWithOwnAlertsPinnedTo(1, h));
    }

    /** The new histories do hold the change: the code before it cannot replay them. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("withOwnAlerts")
    void theCodeBeforeTheChangeDoesNotReplayAHistoryWithIt(Path file) throws Exception {
        WorkflowExecutionHistory h = history(file);
        assertNonDeterministic(() -> replayWithOwnAlertsPinnedTo(Workflow.DEFAULT_VERSION, h));
    }

    /**
     * The workflow recorded across a deploy: before it, the report's own block ran (the failure
     * alert); after it, the report carried an http action and the definition's agent turn ran instead.
     */
    @Test
    void aReportHeardAfterTheDeployRanTheDefinitionsActionNotTheOneItCarried() throws Exception {
        Path file = beforeOwnAlerts()
                .filter(p -> p.getFileName().toString().contains("after-the-deploy"))
                .findFirst()
                .orElseThrow();
        var converter = DefaultDataConverter.newDefaultInstance();
        List<HistoryEvent> events = history(file).getEvents();
        List<String> activities = events.stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
                .map(e -> {
                    var a = e.getActivityTaskScheduledEventAttributes();
                    TurnInput in =
                            converter.fromPayloads(0, Optional.of(a.getInput()), TurnInput.class, TurnInput.class);
                    return a.getActivityType().getName() + " " + in.stepId() + " "
                            + in.turn().name();
                })
                .toList();
        assertEquals(
                List.of("AgentTurn alerts.onFailure ops-alert", "AgentTurn alerts.onRecovery ops-recovered"),
                activities);
        RunOutcome afterTheDeploy = events.stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
                .map(e -> converter.fromPayloads(
                        0,
                        Optional.of(
                                e.getWorkflowExecutionSignaledEventAttributes().getInput()),
                        RunOutcome.class,
                        RunOutcome.class))
                .reduce((first, second) -> second)
                .orElseThrow();
        assertTrue(afterTheDeploy.ok());
        assertEquals("http", afterTheDeploy.alerts().onRecovery().kind(), "the report carried an http action");
    }

    /** Replays with every getVersion of change own-alerts answered {@code version}, no marker recorded. */
    private static void replayWithOwnAlertsPinnedTo(int version, WorkflowExecutionHistory h) throws Exception {
        TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .setWorkerFactoryOptions(WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(new PinnedOwnAlertsVersion(version))
                        .build())
                .build());
        try {
            Worker w = env.newWorker("replay");
            w.registerWorkflowImplementationTypes(AlertWorkflowImpl.class);
            WorkflowReplayer.replayWorkflowExecution(h, w);
        } finally {
            env.close();
        }
    }

    private static void assertNonDeterministic(Executable replay) {
        Throwable thrown = assertThrows(Throwable.class, replay);
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

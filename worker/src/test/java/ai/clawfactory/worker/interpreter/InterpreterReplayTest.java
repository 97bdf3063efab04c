package ai.clawfactory.worker.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.worker.ReplayedCommands;
import ai.clawfactory.worker.alert.RunOutcome;
import ai.clawfactory.worker.step.StepResult;
import ai.clawfactory.worker.step.StepStatus;
import ai.clawfactory.worker.step.agentturn.TurnInput;
import ai.clawfactory.worker.step.approval.ApprovalActivities;
import ai.clawfactory.worker.step.approval.ApprovalInput;
import ai.clawfactory.worker.step.approval.ApprovalRecord;
import ai.clawfactory.worker.step.command.CommandInput;
import ai.clawfactory.worker.step.httpcall.HttpCallInput;
import ai.clawfactory.worker.step.wake.WakeInput;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.EncodedValues;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.NonDeterministicException;
import io.temporal.workflow.DynamicWorkflow;
import io.temporal.workflow.Workflow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The interpreter against committed histories of real runs (src/test/resources/histories, made by
 * {@link HistoryRecorder} on the real dev server; {@code legacy-*} ones by the code before a
 * change). A run parked in a wait across a deploy replays its history on the new code: if a change
 * alters the command sequence without a {@code Workflow.getVersion} guard, a test here fails.
 */
class InterpreterReplayTest {

    static Stream<Path> histories() throws URISyntaxException, IOException {
        Path dir = Path.of(InterpreterReplayTest.class.getResource("/histories").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> list =
                    files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            assertTrue(list.size() >= 35, "committed histories: " + list);
            return list.stream();
        }
    }

    static WorkflowExecutionHistory history(Path file) {
        try {
            return WorkflowExecutionHistory.fromJson(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("histories")
    void committedHistoryReplaysOnTheCurrentCode(Path file) throws Exception {
        WorkflowReplayer.replayWorkflowExecution(history(file), InterpreterWorkflow.class);
    }

    /**
     * Replay matches commands by kind and type only: the commands the current code issues on every
     * committed history also have the recorded options, summaries, inputs and upserts, and it asks
     * {@code getVersion} about no change id but the known ones (a new one would answer
     * {@code DEFAULT_VERSION} on replay and pass unseen).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("histories")
    void theReplayIssuesTheRecordedCommandsWithTheirOptionsSummariesAndInputs(Path file) throws Exception {
        WorkflowExecutionHistory h = history(file);
        ReplayedCommands.Replay replay = ReplayedCommands.replayed(h, InterpreterWorkflow.class);
        List<String> recorded = ReplayedCommands.recorded(h);
        List<String> replayed = replay.commands();
        if (reportsCarryAlerts(file)) {
            // Issue 28 (own-alerts): a report names the definition version instead of carrying the
            // alerts block, a change of the ReportRun payload only (the alert workflow reads both).
            recorded = ReplayedCommands.withoutInputOf(ai.clawfactory.core.Names.ACTIVITY_REPORT_RUN, recorded);
            replayed = ReplayedCommands.withoutInputOf(ai.clawfactory.core.Names.ACTIVITY_REPORT_RUN, replayed);
        }
        assertEquals(recorded, replayed, file + ": commands");
        assertTrue(
                Set.of(
                                InterpreterWorkflow.CHANGE_UI_METADATA,
                                InterpreterWorkflow.CHANGE_ALERTS,
                                InterpreterWorkflow.CHANGE_STRICT_INPUT,
                                InterpreterWorkflow.CHANGE_RERUN,
                                InterpreterWorkflow.CHANGE_GRAPH)
                        .containsAll(replay.changeIds()),
                file + ": getVersion asked about " + replay.changeIds());
    }

    /** Recorded before change own-alerts of issue 28: its reports carry the alerts block. */
    private static boolean reportsCarryAlerts(Path file) {
        String name = file.getFileName().toString();
        return name.contains("before-own-alerts-") || name.startsWith("ui-metadata-1-");
    }

    /** The comparison above can fail where replay cannot: an activity without its summary still replays. */
    @Test
    void anActivityWithoutItsSummaryReplaysButItsCommandsDiffer() throws Exception {
        WorkflowExecutionHistory h = history(resource("turn-wait-turn.json"));
        ReplayedCommands.Replay replay = ReplayedCommands.replayed(
                h,
                InterpreterWorkflow.class,
                o -> io.temporal.activity.ActivityOptions.newBuilder(o)
                        .setSummary(null)
                        .build());
        List<String> recorded = ReplayedCommands.recorded(h);
        assertEquals(recorded.size(), replay.commands().size(), "the same commands, replayed without complaint");
        assertNotEquals(recorded, replay.commands());
    }

    /** The records written into history are a contract: every committed payload still reads. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("histories")
    void committedPayloadsDeserialiseIntoTheCurrentRecords(Path file) {
        var converter = DefaultDataConverter.newDefaultInstance();
        List<HistoryEvent> events = history(file).getEvents();
        HistoryEvent marker = events.stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED
                        && e.getMarkerRecordedEventAttributes().getDetailsMap().containsKey("result"))
                .findFirst()
                .orElse(null);
        if (!file.getFileName().toString().endsWith("unknown-type.json")) {
            assertNotNull(marker, "the LoadDefinition (or a re-run's CarryOver) local activity result is in history");
            Optional<Payloads> result = Optional.of(
                    marker.getMarkerRecordedEventAttributes().getDetailsMap().get("result"));
            LoadedDefinition loaded = localActivityType(marker).equals(ai.clawfactory.core.Names.ACTIVITY_CARRY_OVER)
                    ? converter
                            .fromPayloads(0, result, CarriedOver.class, CarriedOver.class)
                            .loaded()
                    : converter.fromPayloads(0, result, LoadedDefinition.class, LoadedDefinition.class);
            assertNotNull(loaded.definition(), file + ": definition");
            assertFalse(loaded.definition().steps().isEmpty());
            assertTrue(loaded.definition().steps().stream().allMatch(s -> s.id() != null && s.kind() != null));
        }
        java.util.Set<Long> reports = new java.util.HashSet<>();
        for (HistoryEvent e : events) {
            if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
                var a = e.getActivityTaskScheduledEventAttributes();
                Optional<Payloads> input = Optional.of(a.getInput());
                if (a.getActivityType().getName().equals(ApprovalActivities.ACTIVITY_OPEN)) {
                    reports.add(e.getEventId()); // its result is no StepResult
                    ApprovalInput in = converter.fromPayloads(0, input, ApprovalInput.class, ApprovalInput.class);
                    assertNotNull(in.prompt(), file + ": approval prompt");
                } else if (a.getActivityType().getName().equals(ApprovalActivities.ACTIVITY_RECORD)) {
                    reports.add(e.getEventId()); // no result
                    ApprovalRecord r = converter.fromPayloads(0, input, ApprovalRecord.class, ApprovalRecord.class);
                    assertNotNull(r.status(), file + ": approval status");
                } else if (a.getActivityType().getName().equals(ai.clawfactory.core.Names.ACTIVITY_REPORT_RUN)) {
                    reports.add(e.getEventId());
                    RunOutcome o = converter.fromPayloads(0, input, RunOutcome.class, RunOutcome.class);
                    if (reportsCarryAlerts(file)) {
                        assertNotNull(o.alerts().onFailure(), file + ": reported alerts (read, no longer used)");
                    } else {
                        // Change own-alerts: a report names the definition version, never an alerts block.
                        assertNull(o.alerts(), file + ": a report carries no alerts block");
                        assertNotNull(o.definitionVersion(), file + ": reported definition version");
                    }
                    assertEquals(o.ok(), o.message() == null, file + ": a failure has a message");
                } else if (a.getActivityType().getName().equals(ai.clawfactory.core.Names.ACTIVITY_AGENT_TURN)) {
                    TurnInput in = converter.fromPayloads(0, input, TurnInput.class, TurnInput.class);
                    assertNotNull(in.turn().message(), file + ": turn message");
                    assertNotNull(in.context().workflowId());
                } else if (a.getActivityType().getName().equals(ai.clawfactory.core.Names.ACTIVITY_COMMAND)) {
                    CommandInput in = converter.fromPayloads(0, input, CommandInput.class, CommandInput.class);
                    assertFalse(in.command().commands().isEmpty(), file + ": commands");
                    assertNotNull(in.command().commands().get(0).argv(), file + ": argv");
                } else if (a.getActivityType().getName().equals(ai.clawfactory.core.Names.ACTIVITY_WAKE)) {
                    WakeInput in = converter.fromPayloads(0, input, WakeInput.class, WakeInput.class);
                    assertNotNull(in.wake().text(), file + ": wake text");
                } else {
                    assertEquals(
                            ai.clawfactory.core.Names.ACTIVITY_HTTP_CALL,
                            a.getActivityType().getName());
                    HttpCallInput in = converter.fromPayloads(0, input, HttpCallInput.class, HttpCallInput.class);
                    assertNotNull(in.http().url(), file + ": http url");
                }
            }
            if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED
                    && !reports.contains(
                            e.getActivityTaskCompletedEventAttributes().getScheduledEventId())) {
                StepResult r = converter.fromPayloads(
                        0,
                        Optional.of(e.getActivityTaskCompletedEventAttributes().getResult()),
                        StepResult.class,
                        StepResult.class);
                assertEquals(StepStatus.OK, r.status(), file + ": activity result");
            }
            if (e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED) {
                RunResult r = converter.fromPayloads(
                        0,
                        Optional.of(
                                e.getWorkflowExecutionCompletedEventAttributes().getResult()),
                        RunResult.class,
                        RunResult.class);
                assertFalse(r.steps().isEmpty(), file + ": run result");
            }
        }
    }

    private static String localActivityType(HistoryEvent marker) {
        return DefaultDataConverter.newDefaultInstance()
                .fromPayloads(
                        0,
                        Optional.of(marker.getMarkerRecordedEventAttributes()
                                .getDetailsMap()
                                .get("type")),
                        String.class,
                        String.class);
    }

    /**
     * A re-run (change rerun): one CarryOver local activity instead of LoadDefinition, then only
     * the step it runs from; the carried steps are in its result, marked with the old run.
     */
    @Test
    void aRecordedRerunSendsOnlyItsStepAndRecordsTheCarriedOnesAsTheyWere() throws Exception {
        WorkflowExecutionHistory h = history(resource("rerun-from-synthesize.json"));
        List<String> activities = h.getEvents().stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
                .map(e -> e.getActivityTaskScheduledEventAttributes()
                        .getActivityType()
                        .getName())
                .toList();
        assertEquals(List.of(ai.clawfactory.core.Names.ACTIVITY_AGENT_TURN), activities);
        List<String> localActivities = h.getEvents().stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED
                        && e.getMarkerRecordedEventAttributes().getDetailsMap().containsKey("type"))
                .map(InterpreterReplayTest::localActivityType)
                .toList();
        assertEquals(List.of(ai.clawfactory.core.Names.ACTIVITY_CARRY_OVER), localActivities);
        HistoryEvent end = h.getLastEvent();
        RunResult r = DefaultDataConverter.newDefaultInstance()
                .fromPayloads(
                        0,
                        Optional.of(end.getWorkflowExecutionCompletedEventAttributes()
                                .getResult()),
                        RunResult.class,
                        RunResult.class);
        assertTrue(r.steps().get("execute").carriedFrom().startsWith("rerun-old/"), r.toString());
        assertTrue(r.steps().get("settle").carriedFrom().startsWith("rerun-old/"), r.toString());
        assertNull(r.steps().get("synthesize").carriedFrom());
        assertEquals(StepStatus.OK, r.steps().get("synthesize").status());
    }

    /**
     * The rerun guard is what keeps that history replaying: answered as the code before the change
     * (the memo ignored, LoadDefinition and every step), it is refused at the CarryOver marker
     * (local activity markers are matched by their sequence, so the refusal is that the recorded
     * result is not a LoadedDefinition).
     */
    @Test
    void theRerunHistoryIsRefusedByCodeThatIgnoresTheMemo() {
        Throwable thrown = assertThrows(Throwable.class, () -> {
            io.temporal.testing.TestWorkflowEnvironment env = io.temporal.testing.TestWorkflowEnvironment.newInstance(
                    io.temporal.testing.TestEnvironmentOptions.newBuilder()
                            .setWorkerFactoryOptions(io.temporal.worker.WorkerFactoryOptions.newBuilder()
                                    .setWorkerInterceptors(new RerunAsBefore())
                                    .build())
                            .build());
            try {
                io.temporal.worker.Worker w = env.newWorker("replay");
                w.registerWorkflowImplementationTypes(InterpreterWorkflow.class);
                WorkflowReplayer.replayWorkflowExecution(history(resource("rerun-from-synthesize.json")), w);
            } finally {
                env.close();
            }
        });
        assertTrue(
                String.valueOf(thrown.getMessage())
                        .contains("Failure handling event 7 of type 'EVENT_TYPE_MARKER_RECORDED'"),
                String.valueOf(thrown.getMessage()));
    }

    /** Answers getVersion("rerun") with DEFAULT_VERSION, as the code before the change behaved. */
    static final class RerunAsBefore extends io.temporal.common.interceptors.WorkerInterceptorBase {
        @Override
        public io.temporal.common.interceptors.WorkflowInboundCallsInterceptor interceptWorkflow(
                io.temporal.common.interceptors.WorkflowInboundCallsInterceptor next) {
            return new io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase(next) {
                @Override
                public void init(io.temporal.common.interceptors.WorkflowOutboundCallsInterceptor outbound) {
                    super.init(new io.temporal.common.interceptors.WorkflowOutboundCallsInterceptorBase(outbound) {
                        @Override
                        public int getVersion(String changeId, int minSupported, int maxSupported) {
                            return changeId.equals(InterpreterWorkflow.CHANGE_RERUN)
                                    ? Workflow.DEFAULT_VERSION
                                    : super.getVersion(changeId, minSupported, maxSupported);
                        }
                    });
                }
            };
        }
    }

    /**
     * The net under the tests above can catch something: an interpreter that issues one command
     * more before its first one (here a timer) must be refused on every committed history.
     */
    @Test
    void anIncompatibleChangeOfTheCommandSequenceIsDetected() throws Exception {
        for (Path file : histories().toList()) {
            assertNonDeterministic(
                    () -> WorkflowReplayer.replayWorkflowExecution(history(file), IncompatibleInterpreter.class));
        }
    }

    private static void assertNonDeterministic(org.junit.jupiter.api.function.Executable replay) {
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

    /** Runs started by this code read like the definition in the Web UI; runs from before replay without it. */
    @Test
    void newRunsCarryStepSummariesTimerSummariesAndSearchAttributes() {
        var converter = DefaultDataConverter.newDefaultInstance();
        List<String> summaries = new java.util.ArrayList<>();
        boolean upserted = false;
        for (HistoryEvent e : history(resource("turn-wait-turn.json")).getEvents()) {
            if (e.hasUserMetadata() && e.getUserMetadata().hasSummary()) {
                summaries.add(e.getEventType().name().replace("EVENT_TYPE_", "") + " "
                        + converter.fromPayload(e.getUserMetadata().getSummary(), String.class, String.class));
            }
            upserted |= e.getEventType() == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES
                    && e.getUpsertWorkflowSearchAttributesEventAttributes()
                            .getSearchAttributes()
                            .getIndexedFieldsMap()
                            .containsKey(ai.clawfactory.core.Names.SEARCH_ATTRIBUTE_DEFINITION);
        }
        assertEquals(
                List.of(
                        "MARKER_RECORDED load the definition of ReplayTurns",
                        "ACTIVITY_TASK_SCHEDULED execute: agent turn replay-execute (attempt 1 of 3)",
                        "TIMER_STARTED settle: wait 2h",
                        "ACTIVITY_TASK_SCHEDULED synthesize: agent turn replay-synthesize (attempt 1 of 3)"),
                summaries);
        assertTrue(upserted, "the run is indexed by ClawfactoryDefinition");
        assertFalse(memoUpserted(resource("turn-wait-turn.json")), "an indexed run (ui-metadata 2) upserts no memo");
        assertTrue(
                memoUpserted(resource("ui-metadata-1-turn-wait-turn.json")),
                "an indexed run of ui-metadata 1 upserted the memo as well, and replays doing so");
        assertTrue(
                history(resource("before-ui-metadata-turn-wait-turn.json")).getEvents().stream()
                        .noneMatch(
                                e -> e.hasUserMetadata() && e.getUserMetadata().hasSummary()),
                "recorded before the change");
    }

    private static boolean memoUpserted(Path file) {
        return history(file).getEvents().stream()
                .anyMatch(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED
                        && e.getWorkflowPropertiesModifiedEventAttributes()
                                .getUpsertedMemo()
                                .getFieldsMap()
                                .containsKey(ai.clawfactory.core.Names.MEMO_DEFINITION));
    }

    private Path resource(String name) {
        return Path.of(getClass().getResource("/histories/" + name).getPath());
    }

    /** A run parked by the code before input was checked (nested input accepted) still replays: the check is versioned. */
    @Test
    void aRunParkedBeforeInputWasCheckedReplaysThroughTheVersionGuard() throws Exception {
        Path legacy = Path.of(getClass()
                .getResource("/histories/legacy-nested-input-parked.json")
                .getPath());
        assertTrue(
                history(legacy).getEvents().stream()
                        .noneMatch(ev -> ev.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED
                                && ev.getMarkerRecordedEventAttributes()
                                        .getMarkerName()
                                        .equals("Version")),
                "recorded before the guard existed");
        WorkflowReplayer.replayWorkflowExecution(history(legacy), InterpreterWorkflow.class);
        // Without the guard the same history fails: the new code would fail the run where the old one went on.
        assertNonDeterministic(
                () -> WorkflowReplayer.replayWorkflowExecution(history(legacy), UnguardedInputInterpreter.class));
    }

    /** The interpreter with a timer before everything else: a different first command. */
    public static class IncompatibleInterpreter implements DynamicWorkflow {
        @Override
        public Object execute(EncodedValues args) {
            Workflow.sleep(Duration.ofSeconds(1));
            return new InterpreterWorkflow().execute(args);
        }
    }

    /** The interpreter as it would be had the input check been added without getVersion. */
    public static class UnguardedInputInterpreter implements DynamicWorkflow {
        @Override
        public Object execute(EncodedValues args) {
            Object raw = args.getSize() == 0 ? null : args.get(0, Object.class);
            if (raw instanceof java.util.Map<?, ?> m
                    && m.values().stream().anyMatch(v -> v instanceof java.util.Map || v instanceof List)) {
                // Issue the (local activity) command the real code issues first, then fail where the old code went on.
                Workflow.newLocalActivityStub(
                                DefinitionActivities.class,
                                io.temporal.activity.LocalActivityOptions.newBuilder()
                                        .setStartToCloseTimeout(Duration.ofSeconds(30))
                                        .build())
                        .loadDefinition(Workflow.getInfo().getWorkflowType());
                throw io.temporal.failure.ApplicationFailure.newNonRetryableFailure("nested input", "InvalidInput");
            }
            return new InterpreterWorkflow().execute(args);
        }
    }
}

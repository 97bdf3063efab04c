package ai.clawfactory.worker.interpreter;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.Names;
import ai.clawfactory.core.definition.StepKind;
import ai.clawfactory.worker.TestWorkflows;
import ai.clawfactory.worker.config.DefinitionsConfig;
import ai.clawfactory.worker.definition.DefinitionRegistry;
import ai.clawfactory.worker.step.StepResult;
import ai.clawfactory.worker.step.StepStatus;
import ai.clawfactory.worker.step.agentturn.AgentTurnActivities;
import ai.clawfactory.worker.step.agentturn.TurnInput;
import ai.clawfactory.worker.step.httpcall.HttpCallActivities;
import ai.clawfactory.worker.step.httpcall.HttpCallInput;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The interpreter on Temporal's time-skipping test server, with scripted activities. */
class InterpreterWorkflowTest {

    @RegisterExtension
    final TestWorkflowExtension temporal = TestWorkflows.interpreter()
            .registerSearchAttribute(Names.SEARCH_ATTRIBUTE_DEFINITION, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
            .registerSearchAttribute(
                    Names.SEARCH_ATTRIBUTE_DEFINITION_VERSION, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
            .build();

    @TempDir
    Path definitions;

    private TestWorkflowEnvironment env;
    private WorkflowClient client;
    private String taskQueue;
    private final List<TurnInput> turns = new CopyOnWriteArrayList<>();
    private volatile Function<TurnInput, StepResult> script = InterpreterWorkflowTest::ok;
    /** Whether the namespace has the search attributes, as the worker tells runs. */
    private volatile boolean indexed = true;

    static StepResult ok(TurnInput in) {
        return new StepResult(
                in.stepId(),
                StepKind.AGENT_TURN,
                StepStatus.OK,
                "run-" + in.stepId(),
                "output of " + in.stepId(),
                null,
                200,
                null,
                1);
    }

    /** The scripted agent-turn activity: records each call, answers as the script says. */
    class ScriptedTurns implements AgentTurnActivities {
        @Override
        public StepResult agentTurn(TurnInput input) {
            turns.add(input);
            return script.apply(input);
        }
    }

    static class NoHttp implements HttpCallActivities {
        @Override
        public StepResult httpCall(HttpCallInput input) {
            throw new UnsupportedOperationException();
        }
    }

    @BeforeEach
    void setUp(TestWorkflowEnvironment env, Worker worker) throws IOException {
        Files.copy(Path.of("../definitions/poetry-research.yaml"), definitions.resolve("poetry-research.yaml"));
        write("conditional.yaml", """
                name: ConditionalWorkflow
                input: { extra: "no" }
                steps:
                  - id: first
                    continueOnFailure: true
                    retry: { maximumAttempts: 2, initialInterval: 10s }
                    agentTurn: { message: "first" }
                  - id: onSuccess
                    when: steps.first.ok
                    agentTurn: { message: "after {{steps.first.output}}" }
                  - id: onFailure
                    when: steps.first.failed
                    agentTurn: { message: "repair" }
                  - id: optional
                    when: input.extra
                    agentTurn: { message: "extra" }
                """);
        DefinitionRegistry registry = new DefinitionRegistry(new DefinitionsConfig(definitions.toString(), null));
        worker.registerActivitiesImplementations(
                new ScriptedTurns(), new NoHttp(), new DefinitionActivitiesImpl(registry, () -> indexed));
        env.start();
        this.env = env;
        client = env.getWorkflowClient();
        taskQueue = worker.getTaskQueue();
    }

    private void write(String name, String yaml) throws IOException {
        Files.writeString(definitions.resolve(name), yaml);
    }

    private WorkflowStub start(String type, String id, Object... args) {
        return start(client, taskQueue, type, id, args);
    }

    /** Starts a run of {@code type} as {@code id} on {@code taskQueue} with {@code args}. */
    static WorkflowStub start(WorkflowClient client, String taskQueue, String type, String id, Object... args) {
        WorkflowStub stub = client.newUntypedWorkflowStub(
                type,
                WorkflowOptions.newBuilder()
                        .setTaskQueue(taskQueue)
                        .setWorkflowId(id)
                        .build());
        stub.start(args);
        return stub;
    }

    @Test
    void poetryResearchRunsBothTurnsAcrossTheTwoHourWaitInSimulatedTime() {
        long before = env.currentTimeMillis();
        long wallStart = System.nanoTime();
        RunResult result = start("PoetryResearchWorkflow", "poetry-1").getResult(RunResult.class);
        long simulated = env.currentTimeMillis() - before;
        assertEquals(
                List.of("execute", "synthesize"),
                turns.stream().map(TurnInput::stepId).toList());
        assertTrue(simulated >= Duration.ofHours(2).toMillis(), "simulated " + simulated + " ms");
        assertTrue(System.nanoTime() - wallStart < TimeUnit.MINUTES.toNanos(1), "the wait was skipped, not slept");
        assertEquals("poetry-research-execute", turns.get(0).turn().name());
        assertEquals(Duration.ofMinutes(10), turns.get(0).timeout());
        assertEquals(StepStatus.OK, result.steps().get("settle").status());
        assertEquals(
                "run-execute", turns.get(1).context().steps().get("execute").runId());
        assertEquals("contemporary poetry", turns.get(1).context().input().get("topic"));
    }

    @Test
    void inputOverridesDeclaredDefaultsAndUnknownInputFailsFast() {
        start("PoetryResearchWorkflow", "poetry-input", Map.of("topic", "sonnets"))
                .getResult(RunResult.class);
        assertEquals("sonnets", turns.get(0).context().input().get("topic"));
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class,
                () -> start("PoetryResearchWorkflow", "poetry-bad-input", Map.of("subject", "x"))
                        .getResult(RunResult.class));
        ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, e.getCause());
        assertTrue(cause.getOriginalMessage().contains("Unknown input 'subject'"), cause.getOriginalMessage());
    }

    @Test
    void conditionsPickTheFailureBranchAfterRetriesAreExhausted() {
        script = in -> {
            if (in.stepId().equals("first")) {
                throw ApplicationFailure.newFailure("gateway 503", "GatewayTransientError", 0L);
            }
            return ok(in);
        };
        RunResult result = start("ConditionalWorkflow", "cond-1").getResult(RunResult.class);
        assertEquals(
                List.of("first", "first", "onFailure"),
                turns.stream().map(TurnInput::stepId).toList());
        assertEquals(StepStatus.FAILED, result.steps().get("first").status());
        assertEquals(2, result.steps().get("first").attempts());
        assertEquals(StepStatus.SKIPPED, result.steps().get("onSuccess").status());
        assertEquals(StepStatus.SKIPPED, result.steps().get("optional").status());
    }

    @Test
    void inputConditionRunsTheOptionalStep() {
        start("ConditionalWorkflow", "cond-2", Map.of("extra", true)).getResult(RunResult.class);
        assertEquals(
                List.of("first", "onSuccess", "optional"),
                turns.stream().map(TurnInput::stepId).toList());
    }

    @Test
    void transientFailuresBackOffExponentiallyThenSucceed() {
        script = in -> {
            if (in.stepId().equals("execute") && in.attempt() < 3) {
                throw ApplicationFailure.newFailure("gateway 500", "GatewayTransientError", 0L);
            }
            return ok(in);
        };
        long t0 = env.currentTimeMillis();
        RunResult result = start("PoetryResearchWorkflow", "retry-1").getResult(RunResult.class);
        assertEquals(3, result.steps().get("execute").attempts());
        assertEquals(List.of(1, 2, 3, 1), turns.stream().map(TurnInput::attempt).toList());
        // 30 s then 60 s of backoff before the third attempt, then the 2 h wait.
        long elapsed = env.currentTimeMillis() - t0;
        assertTrue(elapsed >= Duration.ofHours(2).plusSeconds(90).toMillis(), "elapsed " + elapsed);
        assertEquals(0, turns.get(2).generation(), "transient failures keep the idempotency key");
    }

    @Test
    void retryAfterSetsTheNextDelay() {
        script = in -> {
            if (in.attempt() == 1) {
                throw ApplicationFailure.newFailure(
                        "429", "GatewayTransientError", Duration.ofMinutes(7).toMillis());
            }
            return ok(in);
        };
        WorkflowStub stub = start("ConditionalWorkflow", "retry-after");
        stub.getResult(RunResult.class);
        History history = client.fetchHistory("retry-after").getHistory();
        long timer = history.getEventsList().stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_TIMER_STARTED)
                .map(e -> e.getTimerStartedEventAttributes()
                        .getStartToFireTimeout()
                        .getSeconds())
                .findFirst()
                .orElseThrow();
        assertEquals(Duration.ofMinutes(7).toSeconds(), timer);
    }

    @Test
    void agentErrorRetriesWithANewIdempotencyGeneration() {
        script = in -> {
            if (in.generation() == 0) {
                throw ApplicationFailure.newFailure("agent run settled as error", Names.FAILURE_AGENT_RUN);
            }
            return ok(in);
        };
        start("ConditionalWorkflow", "gen-1").getResult(RunResult.class);
        assertEquals(
                List.of(0, 1),
                turns.stream()
                        .filter(t -> t.stepId().equals("first"))
                        .map(TurnInput::generation)
                        .toList());
    }

    @Test
    void permanentFailureStopsTheWorkflowAfterOneAttempt() {
        script = in -> {
            throw ApplicationFailure.newNonRetryableFailure("HTTP 400 bad agentId", Names.FAILURE_GATEWAY_PERMANENT);
        };
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class,
                () -> start("PoetryResearchWorkflow", "perm-1").getResult(RunResult.class));
        assertEquals(1, turns.size());
        ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, e.getCause());
        assertTrue(cause.getOriginalMessage().contains("Step 'execute'"), cause.getOriginalMessage());
        assertTrue(cause.getOriginalMessage().contains("HTTP 400 bad agentId"), cause.getOriginalMessage());
    }

    @Test
    void statusQueryShowsTheWaitAndSkipWaitEndsIt() {
        WorkflowStub stub = start("PoetryResearchWorkflow", "skip-1");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "settle"
                        .equals(stub.query(Names.QUERY_STATUS, WorkflowStatus.class)
                                .currentStep()));
        WorkflowStatus status = stub.query(Names.QUERY_STATUS, WorkflowStatus.class);
        assertEquals("wait", status.kind());
        assertNotNull(status.nextWakeTime());
        Instant wake = Instant.parse(status.nextWakeTime());
        assertEquals(
                Duration.ofHours(2).toMinutes(),
                Duration.between(Instant.ofEpochMilli(env.currentTimeMillis()), wake)
                                .toMinutes()
                        + 1,
                1);
        stub.signal(Names.SIGNAL_SKIP_WAIT);
        // Wait (without skipping time: only getResult does) until the signal ended the wait; else a
        // loaded machine can let the test server jump to the timer before the signal is handled.
        // (This passes only because the wait's timer is cancelled when skipped, as version 1 does.)
        // The query can answer from the worker's state before that workflow task reached the server, so
        // wait for the cancelled timer in history: until then the server could still skip to the timer.
        await().atMost(Duration.ofSeconds(20))
                .until(() -> client.fetchHistory("skip-1").getEvents().stream()
                        .anyMatch(e -> e.getEventType() == EventType.EVENT_TYPE_TIMER_CANCELED));
        stub.getResult(RunResult.class);
        assertTrue(
                client.fetchHistory("skip-1").getEvents().stream()
                        .noneMatch(e -> e.getEventType() == EventType.EVENT_TYPE_TIMER_FIRED),
                "the 2 h timer never fired");
        // Server time from the signal to the run's end, from the history: the test server may skip
        // to a far timer (the 10-year default execution timeout) once the run has completed, so
        // env.currentTimeMillis() after getResult is no measure of the wait.
        var events = client.fetchHistory("skip-1").getEvents();
        long signalled = events.stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
                .findFirst()
                .orElseThrow()
                .getEventTime()
                .getSeconds();
        long completed = events.stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED)
                .findFirst()
                .orElseThrow()
                .getEventTime()
                .getSeconds();
        long elapsed = (completed - signalled) * 1000;
        assertTrue(
                elapsed < Duration.ofHours(1).toMillis(),
                () -> "the wait ended early: " + elapsed + " ms; "
                        + client.fetchHistory("skip-1").getEvents().stream()
                                .map(e -> e.getEventType().name().replace("EVENT_TYPE_", "") + "@"
                                        + e.getEventTime().getSeconds())
                                .toList());
        assertEquals(2, turns.size());
    }

    @Test
    void cancellationDuringATurnStopsTheRun() throws InterruptedException {
        CountDownLatch inFlight = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        script = in -> {
            inFlight.countDown();
            try {
                // Heartbeat until cancelled, as the real activity does.
                for (int i = 0; i < 600 && !released.await(100, TimeUnit.MILLISECONDS); i++) {
                    io.temporal.activity.Activity.getExecutionContext().heartbeat(i);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ok(in);
        };
        WorkflowStub stub = start("PoetryResearchWorkflow", "cancel-1");
        assertTrue(inFlight.await(20, TimeUnit.SECONDS));
        stub.cancel();
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> stub.getResult(RunResult.class));
        released.countDown();
        assertInstanceOf(CanceledFailure.class, e.getCause());
        assertEquals(1, turns.size(), "no turn after the cancelled one");
    }

    @Test
    void unknownTypeFailsFastNamingTheKnownTypes() {
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class,
                () -> start("NoSuchWorkflow", "unknown-1").getResult(RunResult.class));
        ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, e.getCause());
        assertEquals(Names.FAILURE_UNKNOWN_WORKFLOW_TYPE, cause.getType());
        assertTrue(
                cause.getOriginalMessage().contains("ConditionalWorkflow, PoetryResearchWorkflow"),
                cause.getOriginalMessage());
    }

    @Test
    void aNewRunOfATypeWhoseFileIsInvalidFailsAtOnceNamingTheFile() throws IOException {
        write("broken.yaml", "name: BrokenWorkflow\nsteps:\n  - id: a\n    wait: 200000000d\n");
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class,
                () -> start("BrokenWorkflow", "broken-1").getResult(RunResult.class));
        ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, e.getCause());
        assertEquals(Names.FAILURE_INVALID_DEFINITION, cause.getType());
        assertTrue(
                cause.getOriginalMessage().contains("broken.yaml:4:11: steps[0](a).wait: '200000000d' is longer than"),
                cause.getOriginalMessage());
        assertTrue(cause.isNonRetryable());
        // The other types still run.
        start("ConditionalWorkflow", "after-broken").getResult(RunResult.class);
        assertEquals(
                List.of("first", "onSuccess"),
                turns.stream().map(TurnInput::stepId).toList());
    }

    @Test
    void nestedOrOversizedInputIsAnInputErrorNotFlattenedText() {
        WorkflowFailedException nested = assertThrows(
                WorkflowFailedException.class,
                () -> start("PoetryResearchWorkflow", "nested-1", Map.of("topic", Map.of("a", List.of(1, 2))))
                        .getResult(RunResult.class));
        ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, nested.getCause());
        assertEquals(Names.FAILURE_INVALID_INPUT, cause.getType());
        assertTrue(
                cause.getOriginalMessage().contains("Input 'topic' of PoetryResearchWorkflow is a JSON object"),
                cause.getOriginalMessage());
        WorkflowFailedException list = assertThrows(
                WorkflowFailedException.class,
                () -> start("PoetryResearchWorkflow", "nested-2", Map.of("topic", List.of("a")))
                        .getResult(RunResult.class));
        assertTrue(
                list.getCause().getMessage().contains("is a list"),
                list.getCause().getMessage());
        WorkflowFailedException big = assertThrows(
                WorkflowFailedException.class,
                () -> start("PoetryResearchWorkflow", "big-1", Map.of("topic", "x".repeat(70_000)))
                        .getResult(RunResult.class));
        assertTrue(
                big.getCause().getMessage().contains("at most 64 KiB"),
                big.getCause().getMessage());
        assertTrue(turns.isEmpty(), "no turn ran for refused input");
    }

    @Test
    void resultsAndStatusListStepsInDefinitionOrder() throws IOException {
        List<String> ids =
                List.of("zeta", "alpha", "mu", "beta", "omega", "kappa", "delta", "iota", "gamma", "chi", "eta", "nu");
        StringBuilder yaml = new StringBuilder("name: OrderedWorkflow\nsteps:\n");
        ids.forEach(id -> yaml.append("  - id: ")
                .append(id)
                .append("\n    agentTurn: { message: \"")
                .append(id)
                .append("\" }\n"));
        write("ordered.yaml", yaml.toString());
        RunResult result = start("OrderedWorkflow", "ordered-1").getResult(RunResult.class);
        assertEquals(ids, List.copyOf(result.steps().keySet()));
        WorkflowStatus status =
                client.newUntypedWorkflowStub("ordered-1").query(Names.QUERY_STATUS, WorkflowStatus.class);
        assertEquals(ids, List.copyOf(status.steps().keySet()));
        assertEquals(
                ids.subList(0, 11), List.copyOf(turns.get(11).context().steps().keySet()));
    }

    @Test
    void editedDefinitionDoesNotChangeARunningWorkflowsPath() throws Exception {
        WorkflowStub stub = start("PoetryResearchWorkflow", "pinned-1");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "settle"
                        .equals(stub.query(Names.QUERY_STATUS, WorkflowStatus.class)
                                .currentStep()));
        // Mid-run, the file loses its synthesize step and the wait changes.
        write("poetry-research.yaml", """
                name: PoetryResearchWorkflow
                steps:
                  - id: execute
                    agentTurn: { name: poetry-research-execute, message: "x" }
                  - id: settle
                    wait: 5m
                """);
        RunResult result = stub.getResult(RunResult.class);
        assertTrue(result.steps().containsKey("synthesize"), "the running workflow kept its pinned definition");
        // A new run sees the edited file.
        RunResult next = start("PoetryResearchWorkflow", "pinned-2").getResult(RunResult.class);
        assertEquals(
                List.of("execute", "settle"),
                List.copyOf(new java.util.TreeSet<>(next.steps().keySet())));
        // And the first run's history replays without non-determinism against the edited file.
        WorkflowReplayer.replayWorkflowExecution(client.fetchHistory("pinned-1"), InterpreterWorkflow.class);
    }

    /**
     * Runs {@code ConditionalWorkflow} as {@code id} and returns the names of what its one upsert
     * (memo or search attributes) set: name and version of the definition, or fails if there is not
     * exactly one upsert of {@code type}.
     */
    private Map<String, String> theOneUpsert(String id, EventType type) {
        start("ConditionalWorkflow", id).getResult(RunResult.class);
        List<HistoryEvent> upserts = client.fetchHistory(id).getHistory().getEventsList().stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES
                        || e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED)
                .toList();
        assertEquals(1, upserts.size(), upserts.toString());
        HistoryEvent e = upserts.get(0);
        assertEquals(type, e.getEventType());
        var fields = type == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES
                ? e.getUpsertWorkflowSearchAttributesEventAttributes()
                        .getSearchAttributes()
                        .getIndexedFieldsMap()
                : e.getWorkflowPropertiesModifiedEventAttributes()
                        .getUpsertedMemo()
                        .getFieldsMap();
        var converter = DefaultDataConverter.newDefaultInstance();
        Map<String, String> values = new TreeMap<>();
        fields.forEach((k, v) -> values.put(k, converter.fromPayload(v, String.class, String.class)));
        return values;
    }

    @Test
    void anIndexedRunNamesItsDefinitionInTheSearchAttributesOnly() {
        Map<String, String> set = theOneUpsert("indexed-1", EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES);
        assertEquals("ConditionalWorkflow", set.get(Names.SEARCH_ATTRIBUTE_DEFINITION), set.toString());
        assertFalse(
                set.getOrDefault(Names.SEARCH_ATTRIBUTE_DEFINITION_VERSION, "").isBlank(), set.toString());
    }

    @Test
    void aRunOfANamespaceWithoutTheSearchAttributesNamesItsDefinitionInTheMemo() {
        indexed = false;
        Map<String, String> set = theOneUpsert("memo-1", EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED);
        assertEquals("ConditionalWorkflow", set.get(Names.MEMO_DEFINITION), set.toString());
        assertFalse(set.getOrDefault(Names.MEMO_DEFINITION_VERSION, "").isBlank(), set.toString());
    }
}

package ai.clawfactory.worker.interpreter;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.Names;
import ai.clawfactory.worker.TestWorkflows;
import ai.clawfactory.worker.config.DefinitionsConfig;
import ai.clawfactory.worker.definition.DefinitionRegistry;
import ai.clawfactory.worker.step.StepResult;
import ai.clawfactory.worker.step.StepStatus;
import ai.clawfactory.worker.step.agentturn.AgentTurnActivities;
import ai.clawfactory.worker.step.agentturn.TurnInput;
import ai.clawfactory.worker.step.attempt.Templates;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A graph of steps on the time-skipping test server: parallel branches joined, a fan-out within
 * its limit, a failed or skipped need skipping exactly its dependents, every waiting step in the
 * status query. The scripted turn activity holds each call until the test releases it, so what is
 * in flight at once is observed, not inferred.
 */
class GraphWorkflowTest {

    @RegisterExtension
    final TestWorkflowExtension temporal = TestWorkflows.interpreter().build();

    @TempDir
    Path definitions;

    private WorkflowClient client;
    private String taskQueue;
    private final List<TurnInput> arrived = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    /** Calls may answer once a permit is released; {@code held} false lets every call through. */
    private final Semaphore answers = new Semaphore(0);

    private volatile boolean held = true;
    private volatile Function<TurnInput, StepResult> script = GraphWorkflowTest::ok;

    static StepResult ok(TurnInput in) {
        return InterpreterWorkflowTest.ok(in);
    }

    class HeldTurns implements AgentTurnActivities {
        @Override
        public StepResult agentTurn(TurnInput input) {
            arrived.add(input);
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                if (held && !answers.tryAcquire(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released " + input.stepId());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                inFlight.decrementAndGet();
            }
            return script.apply(input);
        }
    }

    @BeforeEach
    void setUp(TestWorkflowEnvironment env, Worker worker) throws IOException {
        write("branches.yaml", """
                name: Branches
                steps:
                  - id: left
                    agentTurn: { message: "left" }
                  - id: right
                    agentTurn: { message: "right" }
                  - id: join
                    needs: [left, right]
                    agentTurn: { message: "join {{steps.left.output}} and {{steps.right.output}}" }
                """);
        write("fanout.yaml", """
                name: FanOut
                input:
                  topics: [a, b, c, d, e]
                steps:
                  - id: research
                    forEach: { items: "{{input.topics}}", as: topic, maxParallel: 2 }
                    agentTurn: { message: "research {{topic}}" }
                  - id: synthesize
                    needs: [research]
                    agentTurn: { message: "synthesize {{steps.research.items}}" }
                """);
        write("failing.yaml", """
                name: Failing
                steps:
                  - id: a
                    agentTurn: { message: "a" }
                  - id: b
                    agentTurn: { message: "b" }
                  - id: c
                    needs: [a]
                    agentTurn: { message: "c" }
                  - id: d
                    needs: [b]
                    agentTurn: { message: "d" }
                  - id: e
                    needs: [c]
                    agentTurn: { message: "e" }
                """);
        write("skips.yaml", """
                name: Skips
                input: { flag: "no" }
                steps:
                  - id: optional
                    when: input.flag
                    agentTurn: { message: "o" }
                  - id: after
                    needs: [optional]
                    agentTurn: { message: "after" }
                  - id: flaky
                    continueOnFailure: true
                    agentTurn: { message: "f" }
                  - id: cleanup
                    needs: [flaky]
                    agentTurn: { message: "cleanup {{steps.flaky.status}}" }
                """);
        write("waits.yaml", """
                name: Waits
                maxParallel: 2
                steps:
                  - id: short
                    wait: 1h
                  - id: long
                    wait: 2h
                  - id: done
                    needs: [short, long]
                    agentTurn: { message: "done" }
                """);
        DefinitionRegistry registry = new DefinitionRegistry(new DefinitionsConfig(definitions.toString(), null));
        worker.registerActivitiesImplementations(
                new HeldTurns(),
                new InterpreterWorkflowTest.NoHttp(),
                new DefinitionActivitiesImpl(registry, () -> false));
        env.start();
        client = env.getWorkflowClient();
        taskQueue = worker.getTaskQueue();
    }

    private void write(String name, String yaml) throws IOException {
        Files.writeString(definitions.resolve(name), yaml);
    }

    private WorkflowStub start(String type, String id, Object... args) {
        return InterpreterWorkflowTest.start(client, taskQueue, type, id, args);
    }

    private Set<String> arrivedIds() {
        return Set.copyOf(arrived.stream().map(TurnInput::stepId).toList());
    }

    @Test
    void bothBranchesAreInFlightBeforeEitherAnswersAndTheJoinRunsAfterBoth() {
        WorkflowStub stub = start("Branches", "branches-1");
        await().atMost(Duration.ofSeconds(20)).until(() -> inFlight.get() == 2);
        assertEquals(Set.of("left", "right"), arrivedIds(), "both branches reached the gateway, neither answered");
        answers.release(2);
        await().atMost(Duration.ofSeconds(20)).until(() -> arrived.size() == 3);
        TurnInput join = arrived.get(2);
        assertEquals("join", join.stepId());
        assertEquals(
                List.of("left", "right"), List.copyOf(join.context().steps().keySet()));
        assertEquals(
                "join output of left and output of right",
                new Templates(null).render(join.turn().message(), join.context()));
        answers.release();
        RunResult result = stub.getResult(RunResult.class);
        assertEquals(
                List.of("left", "right", "join"), List.copyOf(result.steps().keySet()));
        assertEquals(2, mostInFlight.get());
        assertEquals(1, graphMarkers("branches-1"), "a graph run records the graph change once");
    }

    @Test
    void aFileWithoutNeedsRunsAsBeforeWithoutAGraphMarker() throws IOException {
        held = false;
        write("plain.yaml", """
                name: Plain
                steps:
                  - id: one
                    agentTurn: { message: "one" }
                  - id: two
                    agentTurn: { message: "two" }
                """);
        start("Plain", "plain-1").getResult(RunResult.class);
        assertEquals(
                List.of("one", "two"), arrived.stream().map(TurnInput::stepId).toList());
        assertEquals(1, mostInFlight.get());
        assertEquals(0, graphMarkers("plain-1"));
    }

    @Test
    void aFanOutOfFiveWithMaxParallelTwoNeverHasMoreThanTwoInFlight() {
        WorkflowStub stub = start("FanOut", "fanout-1");
        for (int answered = 0; answered < 5; answered++) {
            int expect = Math.min(2, 5 - answered);
            await().atMost(Duration.ofSeconds(20)).until(() -> inFlight.get() == expect);
            answers.release();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> arrived.size() == 6);
        answers.release();
        RunResult result = stub.getResult(RunResult.class);
        assertEquals(2, mostInFlight.get(), "two items at once, never more");
        List<String> items =
                arrived.subList(0, 5).stream().map(TurnInput::stepId).toList();
        assertEquals(
                Set.of("research[0]", "research[1]", "research[2]", "research[3]", "research[4]"), Set.copyOf(items));
        List<String> scheduled = client.fetchHistory("fanout-1").getEvents().stream()
                .filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
                .map(e -> e.getActivityTaskScheduledEventAttributes()
                        .getInput()
                        .getPayloads(0)
                        .getData()
                        .toStringUtf8())
                .map(json -> json.substring(json.lastIndexOf("\"stepId\":\"") + 10, json.lastIndexOf("\",\"attempt\"")))
                .toList();
        assertEquals(
                List.of("research[0]", "research[1]", "research[2]", "research[3]", "research[4]", "synthesize"),
                scheduled,
                "items are scheduled in order");
        TurnInput third = arrived.stream()
                .filter(t -> t.stepId().equals("research[2]"))
                .findFirst()
                .orElseThrow();
        assertEquals("research c", new Templates(null).render(third.turn().message(), third.context()));
        StepResult research = result.steps().get("research");
        assertEquals(StepStatus.OK, research.status());
        assertEquals(
                List.of("a", "b", "c", "d", "e"),
                research.items().stream().map(StepResult::item).toList());
        TurnInput synthesize = arrived.get(5);
        String rendered = new Templates(null).render(synthesize.turn().message(), synthesize.context());
        assertTrue(
                rendered.startsWith(
                        "synthesize [{\"item\":\"a\",\"status\":\"ok\",\"output\":\"output of research[0]\"},{\"item\":\"b\""),
                rendered);
    }

    @Test
    void aFailedBranchSkipsExactlyItsDependentsAndTheRunFailsAfterTheOthers() {
        held = false;
        script = in -> {
            if (in.stepId().equals("a")) {
                throw ApplicationFailure.newNonRetryableFailure("HTTP 400 bad agent", Names.FAILURE_GATEWAY_PERMANENT);
            }
            return ok(in);
        };
        WorkflowStub stub = start("Failing", "failing-1");
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> stub.getResult(RunResult.class));
        ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, e.getCause());
        assertEquals(Names.FAILURE_STEP_FAILED, cause.getType());
        assertTrue(cause.getOriginalMessage().contains("Step 'a' of Failing"), cause.getOriginalMessage());
        assertEquals(Set.of("a", "b", "d"), arrivedIds(), "the other branch ran; a's dependents did not");
        TurnInput d =
                arrived.stream().filter(t -> t.stepId().equals("d")).findFirst().orElseThrow();
        assertEquals(Set.of("b"), d.context().steps().keySet(), "a step carries the results it needs, no sibling's");
        WorkflowStatus status = stub.query(Names.QUERY_STATUS, WorkflowStatus.class);
        assertEquals("failed", status.kind());
        assertEquals("a", status.currentStep());
        assertEquals(StepStatus.SKIPPED, status.steps().get("c").status());
        assertEquals("needs 'a', which failed", status.steps().get("c").error());
        assertEquals("needs 'c', which was skipped", status.steps().get("e").error());
        assertEquals(StepStatus.OK, status.steps().get("d").status());
        assertEquals(
                List.of("a", "b", "c", "d", "e"), List.copyOf(status.steps().keySet()), "in definition order");
    }

    @Test
    void aSkippedNeedSkipsItsDependentAndAFailureThatContinuesDoesNot() {
        held = false;
        script = in -> {
            if (in.stepId().equals("flaky")) {
                throw ApplicationFailure.newNonRetryableFailure("HTTP 400 flaky", Names.FAILURE_GATEWAY_PERMANENT);
            }
            return ok(in);
        };
        RunResult result = start("Skips", "skips-1").getResult(RunResult.class);
        assertEquals(Set.of("flaky", "cleanup"), arrivedIds());
        assertEquals(
                "condition 'input.flag' was false",
                result.steps().get("optional").error());
        assertEquals(
                "needs 'optional', which was skipped",
                result.steps().get("after").error());
        assertEquals(StepStatus.FAILED, result.steps().get("flaky").status());
        assertEquals(StepStatus.OK, result.steps().get("cleanup").status());
    }

    @Test
    void theStatusListsEveryWaitingStepAndSkipWaitEndsThemAll() {
        held = false;
        WorkflowStub stub = start("Waits", "waits-1");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> stub.query(Names.QUERY_STATUS, WorkflowStatus.class)
                                .active()
                                .size()
                        == 2);
        WorkflowStatus status = stub.query(Names.QUERY_STATUS, WorkflowStatus.class);
        assertEquals(
                List.of("short", "long"),
                status.active().stream().map(ActiveStep::stepId).toList());
        assertEquals(
                List.of("wait", "wait"),
                status.active().stream().map(ActiveStep::kind).toList());
        assertTrue(status.active().stream().allMatch(a -> a.nextWakeTime() != null));
        assertEquals("short", status.currentStep(), "the old components describe the first of them");
        assertEquals("wait", status.kind());
        assertNotNull(status.nextWakeTime());
        stub.signal(Names.SIGNAL_SKIP_WAIT);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> client.fetchHistory("waits-1").getEvents().stream()
                                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_TIMER_CANCELED)
                                .count()
                        == 2);
        stub.getResult(RunResult.class);
        assertTrue(
                client.fetchHistory("waits-1").getEvents().stream()
                        .noneMatch(e -> e.getEventType() == EventType.EVENT_TYPE_TIMER_FIRED),
                "neither timer fired");
        assertEquals(Set.of("done"), arrivedIds());
    }

    @Test
    void cancellingARunWithTwoWaitsEndsBothAndTheRunIsCancelled() {
        held = false;
        WorkflowStub stub = start("Waits", "waits-cancel");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> stub.query(Names.QUERY_STATUS, WorkflowStatus.class)
                                .active()
                                .size()
                        == 2);
        stub.cancel();
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> stub.getResult(RunResult.class));
        assertInstanceOf(io.temporal.failure.CanceledFailure.class, e.getCause());
        assertEquals(
                2,
                client.fetchHistory("waits-cancel").getEvents().stream()
                        .filter(ev -> ev.getEventType() == EventType.EVENT_TYPE_TIMER_CANCELED)
                        .count(),
                "both timers were cancelled");
        assertEquals(Set.of(), arrivedIds(), "the step after them never ran");
    }

    @Test
    void aListInputFansOutAndASingleValueForItIsAnInputError() {
        held = false;
        RunResult result = start("FanOut", "fanout-in-1", Map.of("topics", List.of("x", 2, true)))
                .getResult(RunResult.class);
        assertEquals(
                List.of("x", "2", "true"),
                result.steps().get("research").items().stream()
                        .map(StepResult::item)
                        .toList());
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class,
                () -> start("FanOut", "fanout-in-2", Map.of("topics", "x")).getResult(RunResult.class));
        ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, e.getCause());
        assertEquals(Names.FAILURE_INVALID_INPUT, cause.getType());
        assertTrue(
                cause.getOriginalMessage().contains("the list step 'research' fans out over"),
                cause.getOriginalMessage());
    }

    private long graphMarkers(String workflowId) {
        return client.fetchHistory(workflowId).getEvents().stream()
                .filter(HistoryEvent::hasMarkerRecordedEventAttributes)
                .filter(e ->
                        e.getMarkerRecordedEventAttributes().getMarkerName().equals("Version"))
                .map(e -> e.getMarkerRecordedEventAttributes().getDetailsMap().get("changeId"))
                .filter(id ->
                        id != null && id.getPayloads(0).getData().toStringUtf8().equals("\"graph\""))
                .count();
    }
}

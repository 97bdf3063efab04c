package ai.clawfactory.worker.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A re-run from a step on the time-skipping test server: what it carries over, what it sends again, what it refuses. */
class RerunWorkflowTest {

    @RegisterExtension
    final TestWorkflowExtension temporal = TestWorkflows.interpreter().build();

    @TempDir
    Path definitions;

    private WorkflowClient client;
    private String taskQueue;
    private final List<TurnInput> turns = new CopyOnWriteArrayList<>();
    /** Steps whose turns fail (permanently) until removed. */
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    class ScriptedTurns implements AgentTurnActivities {
        @Override
        public StepResult agentTurn(TurnInput in) {
            turns.add(in);
            if (failing.contains(in.stepId())) {
                throw ApplicationFailure.newNonRetryableFailure(
                        "gateway answered 400: unknown agentId", Names.FAILURE_GATEWAY_PERMANENT);
            }
            return new StepResult(
                    in.stepId(),
                    StepKind.AGENT_TURN,
                    StepStatus.OK,
                    "run-" + in.stepId() + "-" + in.context().runId(),
                    "output of " + in.stepId(),
                    null,
                    200,
                    null,
                    1);
        }
    }

    @BeforeEach
    void setUp(TestWorkflowEnvironment env, Worker worker) throws IOException {
        write("""
                name: Research
                input: { topic: "sonnets", extra: "" }
                steps:
                  - id: gather
                    agentTurn: { message: "gather {{input.topic}}" }
                  - id: optional
                    when: input.extra
                    agentTurn: { message: "extra" }
                  - id: hold
                    wait: 1h
                  - id: synthesize
                    retry: { maximumAttempts: 1 }
                    agentTurn: { message: "synthesize {{steps.gather.output}}" }
                """);
        DefinitionRegistry registry = new DefinitionRegistry(new DefinitionsConfig(definitions.toString(), null));
        DefinitionActivitiesImpl loader = new DefinitionActivitiesImpl(registry, () -> false);
        client = env.getWorkflowClient();
        worker.registerActivitiesImplementations(
                new ScriptedTurns(), loader, RerunActivitiesImpl.of(() -> client, loader));
        env.start();
        taskQueue = worker.getTaskQueue();
    }

    private void write(String yaml) throws IOException {
        Files.writeString(definitions.resolve("research.yaml"), yaml);
    }

    private WorkflowStub start(String id, Map<String, Object> memo, Object... args) {
        WorkflowStub stub = client.newUntypedWorkflowStub(
                "Research",
                WorkflowOptions.newBuilder()
                        .setTaskQueue(taskQueue)
                        .setWorkflowId(id)
                        .setMemo(memo)
                        .build());
        stub.start(args);
        return stub;
    }

    private static Map<String, Object> rerunOf(WorkflowExecution old, String from) {
        return Map.of(
                Names.MEMO_RERUN_OF, old.getWorkflowId(),
                Names.MEMO_RERUN_OF_RUN, old.getRunId(),
                Names.MEMO_RERUN_FROM, from);
    }

    /** The old run: gather ok, optional skipped, the wait, synthesize failed. */
    private WorkflowExecution failedAtTheLastStep() {
        failing.add("synthesize");
        WorkflowStub old = start("old", Map.of(), Map.of("topic", "villanelles"));
        assertThrows(WorkflowFailedException.class, () -> old.getResult(RunResult.class));
        failing.clear();
        turns.clear();
        return old.getExecution();
    }

    private static ApplicationFailure failure(WorkflowStub stub) {
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> stub.getResult(RunResult.class));
        return assertInstanceOf(ApplicationFailure.class, e.getCause());
    }

    @Test
    void aRerunFromTheFailedStepSendsOnlyThatStepAndFeedsItTheCarriedResults() {
        WorkflowExecution old = failedAtTheLastStep();

        RunResult result = start("new", rerunOf(old, "synthesize"), Map.of("topic", "villanelles"))
                .getResult(RunResult.class);

        assertEquals(
                List.of("synthesize"), turns.stream().map(TurnInput::stepId).toList());
        String from = old.getWorkflowId() + "/" + old.getRunId();
        StepResult gather = result.steps().get("gather");
        assertEquals(StepStatus.OK, gather.status());
        assertEquals(from, gather.carriedFrom());
        assertEquals("run-gather-" + old.getRunId(), gather.runId(), "the old run's result, as it was");
        assertEquals(StepStatus.SKIPPED, result.steps().get("optional").status());
        assertEquals(from, result.steps().get("optional").carriedFrom());
        assertEquals(from, result.steps().get("hold").carriedFrom(), "the wait is not waited again");
        assertEquals(StepStatus.OK, result.steps().get("synthesize").status());
        assertNull(result.steps().get("synthesize").carriedFrom(), "ran in this run");
        assertEquals(
                List.of("gather", "optional", "hold", "synthesize"),
                List.copyOf(result.steps().keySet()));
        TurnInput synthesize = turns.get(0);
        assertEquals(
                "output of gather", synthesize.context().steps().get("gather").output());
        assertEquals("villanelles", synthesize.context().input().get("topic"));
    }

    @Test
    void aResultThatRanIsWrittenAsBeforeAndACarriedOneNamesItsRun() {
        var json = io.temporal.common.converter.DefaultDataConverter.newDefaultInstance();
        StepResult ran = StepResult.ok("gather", StepKind.AGENT_TURN, 1);
        String written = json.toPayload(ran).orElseThrow().getData().toStringUtf8();
        assertTrue(!written.contains("carriedFrom"), written);
        String carried = json.toPayload(ran.carriedOverFrom("old/r1"))
                .orElseThrow()
                .getData()
                .toStringUtf8();
        assertTrue(carried.contains("\"carriedFrom\":\"old/r1\""), carried);
    }

    @Test
    void aRunWithoutTheMemoRunsEveryStep() {
        start("plain", Map.of()).getResult(RunResult.class);
        assertEquals(
                List.of("gather", "synthesize"),
                turns.stream().map(TurnInput::stepId).toList());
    }

    @Test
    void aCarriedStepThatFailedRefusesTheRerunBeforeAnythingIsSent() {
        WorkflowExecution old = failedAtTheLastStep();
        ApplicationFailure f = failure(start("after-failed", rerunOf(old, "synthesize-again-typo")));
        assertEquals(Names.FAILURE_RERUN_REFUSED, f.getType());
        assertTrue(f.getOriginalMessage().contains("is not a step of Research"), f.getOriginalMessage());

        // A re-run of a re-run that failed at synthesize cannot skip past it either.
        failing.add("synthesize");
        WorkflowStub second = start("second", rerunOf(old, "synthesize"));
        assertThrows(WorkflowFailedException.class, () -> second.getResult(RunResult.class));
        failing.clear();
        turns.clear();
        WorkflowStub beyond = start("beyond", rerunOf(second.getExecution(), "synthesize"));
        beyond.getResult(RunResult.class);
        assertEquals(
                List.of("synthesize"), turns.stream().map(TurnInput::stepId).toList());
        assertEquals(
                "second/" + second.getExecution().getRunId(),
                beyond.getResult(RunResult.class).steps().get("gather").carriedFrom());
    }

    @Test
    void aStepAfterTheFailedOneIsRefusedWithTheStepToRerunFrom() throws IOException {
        write(Files.readString(definitions.resolve("research.yaml"))
                        .replace("    agentTurn: { message: \"synthesize", "    agentTurn: { message: \"synthesize")
                + "  - id: publish\n    agentTurn: { message: \"publish\" }\n");
        WorkflowExecution old = failedAtTheLastStep();
        ApplicationFailure f = failure(start("skip-past", rerunOf(old, "publish")));
        assertEquals(Names.FAILURE_RERUN_REFUSED, f.getType());
        assertTrue(f.getOriginalMessage().contains("Step 'synthesize' ended failed"), f.getOriginalMessage());
        assertTrue(f.getOriginalMessage().contains("--from synthesize"), f.getOriginalMessage());
        assertEquals(List.of(), turns, "nothing sent");
    }

    @Test
    void anEditedDefinitionIsAGoneVersionAndIsRefused() throws IOException {
        WorkflowExecution old = failedAtTheLastStep();
        write(Files.readString(definitions.resolve("research.yaml")).replace("gather {{", "collect {{"));
        ApplicationFailure f = failure(start("edited", rerunOf(old, "synthesize")));
        assertEquals(Names.FAILURE_RERUN_REFUSED, f.getType());
        assertTrue(f.getOriginalMessage().contains("which is gone"), f.getOriginalMessage());
        assertEquals(List.of(), turns);
    }

    @Test
    void aRunStillRunningIsRefused() {
        WorkflowStub parked = start("parked", Map.of());
        // The old run is in its one-hour wait (time skipping is locked while nothing waits on a result).
        ApplicationFailure f = failure(start("too-early", rerunOf(parked.getExecution(), "synthesize")));
        assertEquals(Names.FAILURE_RERUN_REFUSED, f.getType());
        assertTrue(f.getOriginalMessage().contains("is still running"), f.getOriginalMessage());
    }

    @Test
    void aMemoThatIsNotTextFailsTheRunInsteadOfItsWorkflowTasks() throws Exception {
        WorkflowStub odd = start(
                "odd-memo",
                Map.of(Names.MEMO_RERUN_OF, Map.of("id", "old"), Names.MEMO_RERUN_FROM, List.of("synthesize")));
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class,
                () -> odd.getResult(30, java.util.concurrent.TimeUnit.SECONDS, RunResult.class));
        ApplicationFailure f = assertInstanceOf(ApplicationFailure.class, e.getCause());
        assertEquals(Names.FAILURE_RERUN_REFUSED, f.getType());
        assertTrue(f.getOriginalMessage().contains("the memo names no run to re-run"), f.getOriginalMessage());
        assertEquals(List.of(), turns);
    }

    @Test
    void aRunThatIsNotThereIsRefused() {
        ApplicationFailure f = failure(start(
                "nowhere",
                rerunOf(
                        WorkflowExecution.newBuilder()
                                .setWorkflowId("no-such-run")
                                .setRunId("0b6f3c2e-0000-4000-8000-000000000000")
                                .build(),
                        "synthesize")));
        assertEquals(Names.FAILURE_RERUN_REFUSED, f.getType());
        assertTrue(f.getOriginalMessage().contains("is not in the namespace"), f.getOriginalMessage());
    }

    @Test
    void aRunOfAnotherTypeIsRefused() throws IOException {
        Files.writeString(definitions.resolve("other.yaml"), """
                name: Other
                steps:
                  - id: gather
                    agentTurn: { message: "other" }
                """);
        WorkflowStub other = client.newUntypedWorkflowStub(
                "Other",
                WorkflowOptions.newBuilder()
                        .setTaskQueue(taskQueue)
                        .setWorkflowId("other")
                        .build());
        other.start();
        other.getResult(RunResult.class);
        turns.clear();
        ApplicationFailure f = failure(start("cross", rerunOf(other.getExecution(), "synthesize")));
        assertTrue(f.getOriginalMessage().contains("is a Other, not a Research"), f.getOriginalMessage());
        assertEquals(List.of(), turns);
    }
}

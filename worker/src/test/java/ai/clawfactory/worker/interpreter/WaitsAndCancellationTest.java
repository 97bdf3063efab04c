package ai.clawfactory.worker.interpreter;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.clawfactory.core.Names;
import ai.clawfactory.core.definition.StepKind;
import ai.clawfactory.worker.TestWorkflows;
import ai.clawfactory.worker.config.DefinitionsConfig;
import ai.clawfactory.worker.definition.DefinitionRegistry;
import ai.clawfactory.worker.step.StepResult;
import ai.clawfactory.worker.step.StepStatus;
import ai.clawfactory.worker.step.agentturn.AgentTurnActivities;
import ai.clawfactory.worker.step.agentturn.TurnInput;
import io.temporal.activity.Activity;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.testing.WorkflowInitialTime;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Waits for a local time of day across daylight-saving changes, and cancellation while a run
 * waits or backs off, on the time-skipping test server started at chosen instants.
 */
class WaitsAndCancellationTest {

    @RegisterExtension
    final TestWorkflowExtension temporal = TestWorkflows.interpreter().build();

    @TempDir
    Path definitions;

    private TestWorkflowEnvironment env;
    private Worker worker;
    private final List<String> turns = new CopyOnWriteArrayList<>();
    /** When (server time) each step's turn was scheduled. */
    private final Map<String, Instant> scheduledAt = new ConcurrentHashMap<>();

    private volatile boolean failFirstAttempt;

    class Turns implements AgentTurnActivities {
        @Override
        public StepResult agentTurn(TurnInput in) {
            turns.add(in.stepId());
            scheduledAt.put(
                    in.stepId(),
                    Instant.ofEpochMilli(
                            Activity.getExecutionContext().getInfo().getScheduledTimestamp()));
            if (failFirstAttempt && in.attempt() == 1) {
                throw ApplicationFailure.newFailure("gateway answered 503", "GatewayTransientError");
            }
            return new StepResult(in.stepId(), StepKind.AGENT_TURN, StepStatus.OK, "run", "out", null, 200, null, 1);
        }
    }

    @BeforeEach
    void setUp(TestWorkflowEnvironment env, Worker worker) {
        this.env = env;
        this.worker = worker;
    }

    /** Starts the environment (at the test's {@code @WorkflowInitialTime}) with the one definition {@code yaml}. */
    private void start(String yaml) throws IOException {
        Files.writeString(definitions.resolve("w.yaml"), yaml);
        worker.registerActivitiesImplementations(
                new Turns(),
                new InterpreterWorkflowTest.NoHttp(),
                new DefinitionActivitiesImpl(
                        new DefinitionRegistry(new DefinitionsConfig(definitions.toString(), null)), () -> false));
        env.start();
    }

    private WorkflowStub run(String id) {
        WorkflowStub stub = env.getWorkflowClient()
                .newUntypedWorkflowStub(
                        "W",
                        WorkflowOptions.newBuilder()
                                .setTaskQueue(worker.getTaskQueue())
                                .setWorkflowId(id)
                                .build());
        stub.start();
        return stub;
    }

    private static String untilYaml(String until) {
        return "name: W\nsteps:\n  - id: before\n    agentTurn: { message: a }\n"
                + "  - id: morning\n    wait: { until: \"" + until + "\", timezone: Europe/Berlin }\n"
                + "  - id: after\n    agentTurn: { message: b }\n";
    }

    private static void assertNear(Instant expected, Instant actual) {
        assertEquals(
                0,
                Duration.between(expected, actual).abs().toSeconds(),
                () -> "expected " + expected + ", was " + actual);
    }

    @Test
    @WorkflowInitialTime("2027-03-27T22:00:00Z")
    void waitUntilSixThirtyOnTheNightClocksSpringForwardWakesAtSixThirtySummerTime() throws IOException {
        // Saturday 27 March 2027, 23:00 in Berlin (CET, UTC+1); at 02:00 the clocks jump to 03:00 (CEST, UTC+2).
        start(untilYaml("06:30"));
        run("spring").getResult(RunResult.class);
        assertNear(Instant.parse("2027-03-28T04:30:00Z"), scheduledAt.get("after"));
    }

    @Test
    @WorkflowInitialTime("2027-10-30T21:00:00Z")
    void waitUntilSixThirtyOnTheNightClocksFallBackWakesAtSixThirtyWinterTime() throws IOException {
        // Saturday 30 October 2027, 23:00 in Berlin (CEST, UTC+2); at 03:00 the clocks go back to 02:00 (CET, UTC+1).
        start(untilYaml("06:30"));
        run("fall").getResult(RunResult.class);
        assertNear(Instant.parse("2027-10-31T05:30:00Z"), scheduledAt.get("after"));
    }

    @Test
    @WorkflowInitialTime("2027-03-27T22:00:00Z")
    void waitUntilATimeTheSpringForwardSkipsWakesWhenThatHourResumes() throws IOException {
        // 02:30 does not exist on 28 March 2027 in Berlin: the wait ends at 03:30 CEST (01:30 UTC), an hour after 01:30
        // CET.
        start(untilYaml("02:30"));
        run("gap").getResult(RunResult.class);
        assertNear(Instant.parse("2027-03-28T01:30:00Z"), scheduledAt.get("after"));
    }

    @Test
    @WorkflowInitialTime("2027-01-10T08:00:00Z")
    void cancellingDuringAWaitStopsTheRunBeforeTheNextStep() throws IOException {
        start("name: W\nsteps:\n  - id: before\n    agentTurn: { message: a }\n"
                + "  - id: settle\n    wait: 2h\n  - id: after\n    agentTurn: { message: b }\n");
        WorkflowStub stub = run("cancel-wait");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "wait"
                        .equals(stub.query(Names.QUERY_STATUS, WorkflowStatus.class)
                                .kind()));
        stub.cancel();
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> stub.getResult(RunResult.class));
        assertInstanceOf(CanceledFailure.class, e.getCause());
        assertEquals(List.of("before"), turns);
    }

    @Test
    @WorkflowInitialTime("2027-01-10T08:00:00Z")
    void cancellingDuringABackoffStopsTheRetries() throws IOException {
        failFirstAttempt = true;
        start(
                "name: W\nsteps:\n  - id: execute\n"
                        + "    retry: { initialInterval: 1h, maximumInterval: 2h, maximumAttempts: 3 }\n    agentTurn: { message: a }\n");
        WorkflowStub stub = run("cancel-backoff");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "backoff"
                        .equals(stub.query(Names.QUERY_STATUS, WorkflowStatus.class)
                                .kind()));
        stub.cancel();
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> stub.getResult(RunResult.class));
        assertInstanceOf(CanceledFailure.class, e.getCause());
        assertEquals(List.of("execute"), turns, "no attempt after the cancel");
    }
}

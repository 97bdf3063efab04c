package ai.clawfactory.schedules;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.Names;
import ai.clawfactory.testing.TemporalDevServer;
import ai.clawfactory.testing.TemporalDevServerExtension;
import ai.clawfactory.testing.WorkerProcess;
import ai.clawfactory.testing.WorkerProcesses;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rerun RUN_ID --from STEP} against the real dev server, the packaged worker and a WireMock
 * gateway that counts the turns of each step: only the steps from STEP on reach the gateway again,
 * the carried results feed their templates, the new run is linked by memo and search attribute,
 * and every refusal starts nothing.
 */
@ExtendWith(TemporalDevServerExtension.class)
class RerunIT {

    private static final String TYPE = "RerunWorkflow";
    private static final String DEFINITION = """
            name: RerunWorkflow
            input: { topic: poems }
            steps:
              - id: gather
                agentTurn: { name: gather, message: "Gather {{input.topic}}" }
              - id: draft
                agentTurn: { name: draft, message: "Draft {{input.topic}}" }
              - id: finish
                retry: { maximumAttempts: 1 }
                agentTurn: { name: finish, message: "Finish {{input.topic}} after {{steps.draft.runId}}" }
              - id: publish
                agentTurn: { name: publish, message: "Publish" }
            """;
    private static final String PARKED = """
            name: ParkedWorkflow
            steps:
              - id: hold
                wait: 1h
              - id: after
                agentTurn: { name: after, message: "after" }
            """;
    private static final Pattern STARTED = Pattern.compile("Started (\\S+) run (\\S+)");

    @TempDir
    static Path shared;

    @RegisterExtension
    static final WorkerProcesses WORKERS = new WorkerProcesses(GatewayWorker.WORKER_JAR);

    private static GatewayWorker it;
    private static WireMockServer gateway;
    private static WorkerProcess worker;

    @RegisterExtension
    final ServerFixture t = new ServerFixture(WORKERS::taskQueue);

    @BeforeAll
    static void startWorker(TemporalDevServer server) throws IOException {
        it = GatewayWorker.start(WORKERS, server, shared, Map.of("rerun.yaml", DEFINITION, "parked.yaml", PARKED));
        gateway = it.gateway();
        worker = it.worker();
    }

    @AfterAll
    static void stopGateway() {
        GatewayWorker.stop(it);
    }

    @BeforeEach
    void setUp() throws IOException {
        t.write("rerun.yaml", DEFINITION);
        t.write("parked.yaml", PARKED);
        gateway.resetAll();
        for (String step : List.of("gather", "draft", "finish", "publish", "after")) {
            gateway.stubFor(post(urlEqualTo("/hooks/agent"))
                    .withRequestBody(matchingJsonPath("$.name", equalTo(step)))
                    .willReturn(okJson("{\"ok\":true,\"runId\":\"gw-" + step + "\"}")));
        }
    }

    private List<LoggedRequest> turns(String step) {
        return gateway.findAll(postRequestedFor(urlEqualTo("/hooks/agent"))
                .withRequestBody(matchingJsonPath("$.name", equalTo(step))));
    }

    private WorkflowStub start(String type, String id, Object... args) {
        WorkflowStub stub = t.workflows.newUntypedWorkflowStub(
                type,
                WorkflowOptions.newBuilder()
                        .setTaskQueue(WORKERS.taskQueue())
                        .setWorkflowId(id)
                        .build());
        stub.start(args);
        return stub;
    }

    /** A run that fails at its step finish (the gateway refuses it), after gather and draft succeeded. */
    private WorkflowExecution failedAtFinish(String id) {
        gateway.stubFor(post(urlEqualTo("/hooks/agent"))
                .atPriority(1)
                .withRequestBody(matchingJsonPath("$.name", equalTo("finish")))
                .willReturn(aResponse().withStatus(400).withBody("{\"ok\":false,\"error\":\"unknown agentId\"}")));
        WorkflowStub old = start(TYPE, id, Map.of("topic", "sonnets"));
        assertThrows(WorkflowFailedException.class, () -> old.getResult(Object.class), worker::output);
        return old.getExecution();
    }

    /** The steps the worker's ledger has attempts of for {@code workflowId}, in the order they were sent. */
    private static List<String> ledgeredSteps(String workflowId) throws java.sql.SQLException {
        String url = "jdbc:sqlite:" + shared.resolve("ledger.db") + "?open_mode=1";
        try (java.sql.Connection db = java.sql.DriverManager.getConnection(url);
                java.sql.PreparedStatement q = db.prepareStatement(
                        "SELECT step_id FROM turn_attempt WHERE workflow_id = ? ORDER BY started_at")) {
            q.setString(1, workflowId);
            List<String> steps = new java.util.ArrayList<>();
            try (java.sql.ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    steps.add(r.getString(1));
                }
            }
            return steps;
        }
    }

    private long runsOf(String type) {
        return t.workflows
                .listExecutions("WorkflowType = '" + type + "' AND TaskQueue = '" + WORKERS.taskQueue() + "'")
                .count();
    }

    @Test
    void aRerunFromTheFailedStepSendsOnlyTheStepsFromItAndIsLinkedToTheOldRun() throws Exception {
        WorkflowExecution old = failedAtFinish("rerun-old");
        gateway.removeStub(gateway.getStubMappings().stream()
                .filter(m -> m.getPriority() != null && m.getPriority() == 1)
                .findFirst()
                .orElseThrow());
        assertEquals(1, turns("finish").size());

        Cli.Result r = t.cli.run("rerun", old.getRunId(), "--from", "finish", "--definitions", t.defs.toString());

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("Carried over from the old run (not sent again):"), r::toString);
        assertTrue(r.out().matches("(?s).*\n  gather +ok\n  draft +ok\n.*"), r::toString);
        assertTrue(r.out().contains("Runs again: finish, publish"), r::toString);
        Matcher m = STARTED.matcher(r.out());
        assertTrue(m.find(), r::toString);
        String newId = m.group(1);
        String newRun = m.group(2);
        assertTrue(r.out().contains("/namespaces/default/workflows/" + newId + "/" + newRun + "/history"), r::toString);

        WorkflowStub rerun = t.workflows.newUntypedWorkflowStub(newId);
        rerun.getResult(Object.class);
        assertEquals(1, turns("gather").size(), "gather is carried over, not sent again");
        assertEquals(1, turns("draft").size(), "draft is carried over, not sent again");
        assertEquals(2, turns("finish").size(), "finish runs again");
        assertEquals(1, turns("publish").size());
        assertTrue(
                turns("finish").get(1).getBodyAsString().contains("Finish sonnets after gw-draft"),
                "the old input and the carried result of draft feed the template: "
                        + turns("finish").get(1).getBodyAsString());

        assertEquals(
                List.of("finish", "publish"),
                ledgeredSteps(newId),
                "the new run's ledger rows: the steps it sent, none for the carried ones");

        var description = rerun.describe();
        assertEquals(old.getWorkflowId(), description.getMemo(Names.MEMO_RERUN_OF, String.class, String.class));
        assertEquals(old.getRunId(), description.getMemo(Names.MEMO_RERUN_OF_RUN, String.class, String.class));
        assertEquals("finish", description.getMemo(Names.MEMO_RERUN_FROM, String.class, String.class));
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> t.workflows
                        .listExecutions(Names.SEARCH_ATTRIBUTE_RERUN_OF + " = '" + old.getRunId() + "'")
                        .anyMatch(e -> e.getExecution().getRunId().equals(newRun)));
    }

    @Test
    void theRefusalsSayWhatIsWrongAndStartNothing() throws IOException {
        WorkflowExecution old = failedAtFinish("rerun-refused");
        WorkflowStub parked = start("ParkedWorkflow", "rerun-parked");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> t.workflows
                                .newUntypedWorkflowStub("rerun-parked")
                                .describe()
                                .getHistoryLength()
                        > 5);
        long runs = runsOf(TYPE);
        long parkedRuns = runsOf("ParkedWorkflow");
        int sent = gateway.getAllServeEvents().size();

        Cli.Result typo = t.cli.run("rerun", old.getRunId(), "--from", "finsh", "--definitions", t.defs.toString());
        assertEquals(2, typo.exitCode(), typo::toString);
        assertTrue(
                typo.err().contains("'finsh' is not a step of RerunWorkflow (did you mean 'finish'?)"), typo::toString);

        Cli.Result past = t.cli.run("rerun", old.getRunId(), "--from", "publish", "--definitions", t.defs.toString());
        assertEquals(2, past.exitCode(), past::toString);
        assertTrue(past.err().contains("Step 'finish' ended failed in the old run"), past::toString);
        assertTrue(past.err().contains("--from finish"), past::toString);

        Cli.Result running = t.cli.run(
                "rerun", parked.getExecution().getRunId(), "--from", "after", "--definitions", t.defs.toString());
        assertEquals(2, running.exitCode(), running::toString);
        assertTrue(running.err().contains("is still running"), running::toString);

        Cli.Result unknown = t.cli.run(
                "rerun",
                "00000000-0000-0000-0000-000000000000",
                "--from",
                "finish",
                "--definitions",
                t.defs.toString());
        assertEquals(4, unknown.exitCode(), unknown::toString);
        Cli.Result unknownWorkflow = t.cli.run(
                "rerun",
                old.getRunId(),
                "--workflow-id",
                "no-such-workflow",
                "--from",
                "finish",
                "--definitions",
                t.defs.toString());
        assertEquals(4, unknownWorkflow.exitCode(), unknownWorkflow::toString);
        assertTrue(
                unknownWorkflow.err().contains("No run " + old.getRunId() + " of workflow no-such-workflow"),
                unknownWorkflow::toString);

        t.write("rerun.yaml", DEFINITION.replace("Publish", "Publish it"));
        Cli.Result gone = t.cli.run(
                "rerun",
                old.getRunId(),
                "--workflow-id",
                old.getWorkflowId(),
                "--from",
                "finish",
                "--definitions",
                t.defs.toString());
        assertEquals(2, gone.exitCode(), gone::toString);
        assertTrue(gone.err().contains("which is gone"), gone::toString);

        assertEquals(runs, runsOf(TYPE), "no run started");
        assertEquals(parkedRuns, runsOf("ParkedWorkflow"), "no run started");
        assertEquals(sent, gateway.getAllServeEvents().size(), "nothing sent");
        parked.terminate("test over");
        assertEquals(
                WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED,
                parked.describe().getStatus());
        Files.delete(t.defs.resolve("parked.yaml"));
        Cli.Result undeclared = t.cli.run(
                "rerun", parked.getExecution().getRunId(), "--from", "after", "--definitions", t.defs.toString());
        assertEquals(2, undeclared.exitCode(), undeclared::toString);
        assertTrue(undeclared.err().contains("is a ParkedWorkflow, which no file in"), undeclared::toString);
        assertEquals(parkedRuns, runsOf("ParkedWorkflow"), "no run started");
    }
}

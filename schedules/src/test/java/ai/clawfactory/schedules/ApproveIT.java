package ai.clawfactory.schedules;

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
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code approve RUN_ID} against the real dev server, the packaged worker and a WireMock gateway:
 * an approval step's notify turn goes out, the command's decision lets the next step run (or,
 * rejected, fails the run), a second decision and an unknown run are refused with their exit
 * codes, and a timeout ends the step as {@code onTimeout} says.
 */
@ExtendWith(TemporalDevServerExtension.class)
class ApproveIT {

    private static final String DEFINITION = """
            name: ApproveWorkflow
            steps:
              - id: publish
                approval:
                  prompt: "Publish?"
                  timeout: 1h
                  notify:
                    agentTurn: { name: notify, message: "Decide {{approval.prompt}} with {{approval.command}}" }
              - id: post
                agentTurn: { name: post, message: "Post with {{steps.publish.output}}" }
              - id: hold
                wait: 1h
            """;
    private static final String TIMEOUT = """
            name: ApproveTimeout
            steps:
              - id: publish
                approval: { prompt: "Publish?", timeout: 2s, onTimeout: approve }
              - id: post
                agentTurn: { name: post, message: "Post" }
            """;

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
        it = GatewayWorker.start(WORKERS, server, shared, Map.of("approve.yaml", DEFINITION, "timeout.yaml", TIMEOUT));
        gateway = it.gateway();
        worker = it.worker();
    }

    @AfterAll
    static void stopGateway() {
        GatewayWorker.stop(it);
    }

    @BeforeEach
    void setUp() {
        gateway.resetAll();
        gateway.stubFor(post(urlEqualTo("/hooks/agent")).willReturn(okJson("{\"ok\":true,\"runId\":\"gw\"}")));
    }

    private List<LoggedRequest> turns(String name) {
        return gateway.findAll(postRequestedFor(urlEqualTo("/hooks/agent"))
                .withRequestBody(matchingJsonPath("$.name", equalTo(name))));
    }

    private WorkflowStub start(String type, String id) {
        WorkflowStub stub = t.workflows.newUntypedWorkflowStub(
                type,
                WorkflowOptions.newBuilder()
                        .setTaskQueue(WORKERS.taskQueue())
                        .setWorkflowId(id)
                        .build());
        stub.start();
        return stub;
    }

    /** Waits until the run's status query shows its approval pending. */
    private static void awaitPending(WorkflowStub stub) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> stub.query(Names.QUERY_STATUS, JsonNode.class)
                                .path("approvals")
                                .size()
                        == 1);
    }

    @Test
    void anApprovalFromTheCommandLetsTheNextStepRunAndASecondIsRefused() {
        WorkflowStub stub = start("ApproveWorkflow", "approve-cli");
        awaitPending(stub);
        assertEquals(1, turns("notify").size(), worker::output);
        String runId = stub.getExecution().getRunId();
        assertTrue(
                turns("notify").get(0).getBodyAsString().contains("./clawfactory approve " + runId),
                turns("notify").get(0).getBodyAsString());

        Cli.Result r = t.cli.run("approve", runId, "--note", "ship it");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("Approved step publish of approve-cli run " + runId), r::toString);
        await().atMost(Duration.ofSeconds(30)).until(() -> turns("post").size() == 1);
        assertTrue(
                turns("post").get(0).getBodyAsString().contains("ship it"),
                turns("post").get(0).getBodyAsString());

        Cli.Result again = t.cli.run("approve", runId, "--workflow-id", "approve-cli", "--step", "publish", "--reject");
        assertEquals(2, again.exitCode(), again::toString);
        assertTrue(
                again.err().contains("Refused (AlreadyDecided): step 'publish' was already approved by "),
                again::toString);
        stub.cancel();
    }

    @Test
    void aRejectionFromTheCommandFailsTheRunWithTheNote() {
        WorkflowStub stub = start("ApproveWorkflow", "approve-cli-reject");
        awaitPending(stub);
        String runId = stub.getExecution().getRunId();

        Cli.Result r = t.cli.run("approve", runId, "--reject", "--note", "not today");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("Rejected step publish"), r::toString);
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> stub.getResult(Object.class));
        assertTrue(
                e.getCause().getMessage().contains("via cli: not today"),
                e.getCause().getMessage());
        assertEquals(0, turns("post").size());
    }

    @Test
    void anUnknownRunOrStepIsNotFound() {
        WorkflowStub stub = start("ApproveWorkflow", "approve-cli-unknown");
        awaitPending(stub);
        String runId = stub.getExecution().getRunId();
        Cli.Result step = t.cli.run("approve", runId, "--workflow-id", "approve-cli-unknown", "--step", "post");
        assertEquals(4, step.exitCode(), step::toString);
        assertTrue(step.err().contains("Refused (NoSuchApproval): no approval step 'post' is pending"), step::toString);
        Cli.Result run = t.cli.run("approve", "00000000-0000-0000-0000-000000000000", "--workflow-id", "nope");
        assertEquals(4, run.exitCode(), run::toString);
        Cli.Result bad = t.cli.run("approve", "not a run id");
        assertEquals(2, bad.exitCode(), bad::toString);
        stub.cancel();
    }

    @Test
    void aTimeoutOnTheRealServerEndsTheStepAsOnTimeoutSays() {
        WorkflowStub stub = start("ApproveTimeout", "approve-timeout");
        JsonNode result = stub.getResult(JsonNode.class);
        assertEquals("ok", result.path("steps").path("publish").path("status").asText(), result.toString());
        assertTrue(result.path("steps").path("publish").path("output").asText().contains("onTimeout: approve"));
        assertEquals(1, turns("post").size());
    }
}

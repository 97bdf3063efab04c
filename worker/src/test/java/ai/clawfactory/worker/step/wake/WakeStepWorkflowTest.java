package ai.clawfactory.worker.step.wake;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.worker.GatewayWorkflowTest;
import ai.clawfactory.worker.interpreter.InterpreterWorkflow;
import ai.clawfactory.worker.interpreter.RunResult;
import ai.clawfactory.worker.ledger.TurnAttempt;
import ai.clawfactory.worker.ledger.TurnLedger;
import ai.clawfactory.worker.step.StepStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code wake} step end to end on the time-skipping server: the real wake activity, a real
 * SQLite ledger and WireMock as OpenClaw's {@code POST /hooks/wake}.
 */
class WakeStepWorkflowTest extends GatewayWorkflowTest {

    static final String TOKEN = "tok-wake-never-log-me";

    @BeforeEach
    void setUp() throws IOException {
        bed.define("poke.yaml", """
                name: Poke
                input: { what: mail }
                steps:
                  - id: poke
                    wake: { text: "Check {{input.what}}", mode: next-heartbeat }
                """);
    }

    private WorkflowClient start(String gatewayKind) throws IOException {
        startWorker(gatewayKind, TOKEN);
        return client;
    }

    private WorkflowStub run(WorkflowClient client, String id) {
        WorkflowStub stub = client.newUntypedWorkflowStub(
                "Poke",
                WorkflowOptions.newBuilder()
                        .setTaskQueue(taskQueue)
                        .setWorkflowId(id)
                        .build());
        stub.start();
        return stub;
    }

    @Test
    void wakePostsTextAndModeRetriesServerErrorsAndIsRecorded() throws Exception {
        WorkflowClient client = start("openclaw-hooks");
        wm.stubFor(post(urlEqualTo("/hooks/wake"))
                .inScenario("w")
                .whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503).withBody("busy"))
                .willSetStateTo("second"));
        wm.stubFor(post(urlEqualTo("/hooks/wake"))
                .inScenario("w")
                .whenScenarioStateIs("second")
                .willReturn(okJson("{\"ok\":true,\"mode\":\"next-heartbeat\",\"eventOutcome\":\"queued\"}")));

        RunResult result = run(client, "wake-ok").getResult(RunResult.class);

        assertEquals(StepStatus.OK, result.steps().get("poke").status());
        assertEquals(2, result.steps().get("poke").attempts());
        assertTrue(
                result.steps().get("poke").output().contains("queued"),
                result.steps().get("poke").output());
        wm.verify(
                2,
                postRequestedFor(urlEqualTo("/hooks/wake"))
                        .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                        .withRequestBody(equalToJson("{\"text\":\"Check mail\",\"mode\":\"next-heartbeat\"}")));
        List<TurnAttempt> rows = ctx.getBean(TurnLedger.class).latest("wake-ok", 10);
        assertEquals(
                List.of("ok", "transient_error"),
                rows.stream().map(TurnAttempt::status).toList());
        assertTrue(
                rows.stream().noneMatch(r -> String.valueOf(r.request()).contains(TOKEN)),
                "the token is never recorded");
        // The new branch replays deterministically from its own history.
        WorkflowReplayer.replayWorkflowExecution(client.fetchHistory("wake-ok"), InterpreterWorkflow.class);
    }

    @Test
    void aRefusedWakeIsSentOnceAndFailsTheRun() throws IOException {
        WorkflowClient client = start("openclaw-hooks");
        wm.stubFor(post(urlEqualTo("/hooks/wake"))
                .willReturn(aResponse().withStatus(400).withBody("{\"ok\":false,\"error\":\"text required\"}")));
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class, () -> run(client, "wake-400").getResult(RunResult.class));
        wm.verify(1, postRequestedFor(urlEqualTo("/hooks/wake")));
        assertTrue(e.getCause().getMessage().contains("HTTP 400"), e.getCause().getMessage());
    }

    @Test
    void aGatewayKindWithoutWakeFailsFastWithWhatToSet() throws IOException {
        WorkflowClient client = start("openai-chat");
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class, () -> run(client, "wake-kind").getResult(RunResult.class));
        assertTrue(
                e.getCause().getMessage().contains("A wake step needs GATEWAY_KIND openclaw-hooks"),
                e.getCause().getMessage());
        assertEquals(0, wm.getAllServeEvents().size());
    }
}

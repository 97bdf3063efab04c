package ai.clawfactory.worker.step.agentturn;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.worker.GatewayWorkflowTest;
import ai.clawfactory.worker.interpreter.RunResult;
import ai.clawfactory.worker.ledger.TurnAttempt;
import ai.clawfactory.worker.ledger.TurnLedger;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code expect:} on agent turns, end to end on the time-skipping server: the openai-chat gateway
 * (WireMock) returns the agent's text, the check decides the step, an unmet check is retried per
 * the step's policy under a new idempotency key and recorded in the ledger as an agent error.
 */
class OutputCheckWorkflowTest extends GatewayWorkflowTest {

    static final String TOKEN = "tok-output-check-9191";

    @BeforeEach
    void setUp() throws IOException {
        bed.define("checked.yaml", """
                name: Checked
                defaults: { retry: { initialInterval: 1s, maximumAttempts: 2 } }
                steps:
                  - id: report
                    agentTurn: { message: "Report", expect: { contains: "DONE" } }
                  - id: data
                    agentTurn: { message: "Data", expect: { json: true, matches: "\\"n\\":\\\\s*\\\\d+" } }
                """);
        startWorker("openai-chat", TOKEN);
    }

    private void agentSays(String... contents) {
        String state = STARTED;
        for (int i = 0; i < contents.length; i++) {
            String next = "s" + (i + 1);
            String body = "{\"id\":\"chat-" + i
                    + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                    + com.fasterxml.jackson.databind.node.TextNode.valueOf(contents[i]) + "}}]}";
            wm.stubFor(post(urlEqualTo("/v1/chat/completions"))
                    .inScenario("chat")
                    .whenScenarioStateIs(state)
                    .willReturn(okJson(body))
                    .willSetStateTo(next));
            state = next;
        }
    }

    private WorkflowStub start(String id) {
        WorkflowStub stub = client.newUntypedWorkflowStub(
                "Checked",
                WorkflowOptions.newBuilder()
                        .setTaskQueue(taskQueue)
                        .setWorkflowId(id)
                        .build());
        stub.start();
        return stub;
    }

    @Test
    void metChecksPassAndTheOutputTravelsOn() {
        agentSays("All DONE.", "{\"n\": 3}");
        RunResult r = start("checks-pass").getResult(RunResult.class);
        assertEquals("All DONE.", r.steps().get("report").output());
        assertEquals(1, r.steps().get("report").attempts());
        assertEquals("{\"n\": 3}", r.steps().get("data").output());
    }

    @Test
    void anUnmetCheckIsRetriedUnderANewKeyAndThenPasses() {
        agentSays("still working", "DONE now", "{\"n\": 1}");
        RunResult r = start("checks-retry").getResult(RunResult.class);
        assertEquals(2, r.steps().get("report").attempts());
        List<TurnAttempt> rows = ctx.getBean(TurnLedger.class).latest("checks-retry", 10);
        // Newest first: data ok, report ok (generation 1), report agent_error (the unmet check).
        assertEquals(
                List.of("ok", "ok", "agent_error"),
                rows.stream().map(TurnAttempt::status).toList());
        assertTrue(
                rows.get(2).error().contains("expected the output to contain \"DONE\""),
                rows.get(2).error());
        assertTrue(
                rows.get(2).error().contains("\"still working\""), rows.get(2).error());
        List<String> keys = wm.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))).stream()
                .map(q -> q.getHeader("Idempotency-Key"))
                .toList();
        assertFalse(keys.get(0) != null && keys.get(0).equals(keys.get(1)), keys.toString());
    }

    @Test
    void aCheckUnmetOnEveryAttemptFailsTheRunNamingTheCheckAndQuotingTheOutput() {
        agentSays("DONE", "{\"n\": \"three\"}", "not json at all " + TOKEN);
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class, () -> start("checks-fail").getResult(RunResult.class));
        String message = ((ApplicationFailure) e.getCause()).getOriginalMessage();
        assertTrue(message.contains("Step 'data'"), message);
        assertTrue(message.contains("after 2 attempt(s)"), message);
        assertTrue(message.contains("Output check of step 'data' failed: expected JSON output (json: true)"), message);
        assertTrue(message.contains("the output starts: \"not json at all [redacted]\""), message);
        assertFalse(message.contains(TOKEN), message);
        wm.verify(3, postRequestedFor(urlEqualTo("/v1/chat/completions")));
    }
}

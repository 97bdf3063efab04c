package ai.clawfactory.worker.step.agentturn;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.WorkflowIds;
import ai.clawfactory.core.definition.StepKind;
import ai.clawfactory.worker.GatewayWorkflowTest;
import ai.clawfactory.worker.interpreter.RunResult;
import ai.clawfactory.worker.ledger.TurnAttempt;
import ai.clawfactory.worker.ledger.TurnLedger;
import ai.clawfactory.worker.step.StepResult;
import ai.clawfactory.worker.step.StepStatus;
import ai.clawfactory.worker.step.TurnContext;
import ai.clawfactory.worker.step.attempt.AttemptRunner;
import ai.clawfactory.worker.step.attempt.Templates;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The interpreter with the real agent-turn activity, a real SQLite ledger and WireMock as the
 * gateway, on the time-skipping server: attempt counts, idempotency and secrecy end to end.
 */
class AgentTurnWorkflowTest extends GatewayWorkflowTest {

    static final String TOKEN = "tok-never-log-me-4242";

    @BeforeEach
    void setUp() throws IOException {
        bed.define("two.yaml", """
                name: TwoTurns
                input: { topic: haiku }
                steps:
                  - id: execute
                    agentTurn: { name: two-execute, agentId: main, message: "Research {{input.topic}}" }
                  - id: settle
                    wait: 2h
                  - id: synthesize
                    when: steps.execute.ok
                    agentTurn: { name: two-synthesize, message: "Synthesize {{steps.execute.runId}}" }
                """);
        startWorker("openclaw-hooks", TOKEN);
    }

    private WorkflowStub start(String id) {
        WorkflowStub stub = client.newUntypedWorkflowStub(
                "TwoTurns",
                WorkflowOptions.newBuilder()
                        .setTaskQueue(taskQueue)
                        .setWorkflowId(id)
                        .build());
        stub.start();
        return stub;
    }

    private void gatewayAnswers(String... bodiesOrStatuses) {
        String state = STARTED;
        for (int i = 0; i < bodiesOrStatuses.length; i++) {
            String next = "s" + (i + 1);
            String b = bodiesOrStatuses[i];
            var answer = b.matches("\\d{3}")
                    ? aResponse().withStatus(Integer.parseInt(b)).withBody("status " + b)
                    : okJson(b);
            wm.stubFor(post(urlEqualTo("/hooks/agent"))
                    .inScenario("gw")
                    .whenScenarioStateIs(state)
                    .willReturn(answer)
                    .willSetStateTo(next));
            state = next;
        }
    }

    private static String ok(String runId) {
        return "{\"ok\":true,\"runId\":\"" + runId + "\",\"completion\":{\"status\":\"ok\"}}";
    }

    @Test
    void serverErrorsAreRetriedThenTheRunCompletesWithBothTurnsRecorded() {
        gatewayAnswers("500", "503", ok("r-exec"), ok("r-synth"));
        RunResult result = start("retry-then-ok").getResult(RunResult.class);
        wm.verify(4, postRequestedFor(urlEqualTo("/hooks/agent")));
        assertEquals(3, result.steps().get("execute").attempts());
        assertEquals("r-exec", result.steps().get("execute").runId());
        List<TurnAttempt> rows = ctx.getBean(TurnLedger.class).latest("retry-then-ok", 10);
        assertEquals(
                List.of("ok", "ok", "transient_error", "transient_error"),
                rows.stream().map(TurnAttempt::status).toList());
        assertEquals(
                1,
                rows.stream()
                        .map(TurnAttempt::turnKey)
                        .filter(k -> k.endsWith("/execute"))
                        .distinct()
                        .count(),
                "transient retries reuse one idempotency key");
        assertTrue(rows.get(3).error().contains("HTTP 500"), rows.get(3).error());
        // The synthesize message used the execute step's gateway run id.
        assertTrue(
                rows.get(0).request().contains("Synthesize r-exec"), rows.get(0).request());
    }

    @Test
    void permanentErrorIsSentOnceAndFailsTheRun() {
        gatewayAnswers("400");
        WorkflowFailedException e =
                assertThrows(WorkflowFailedException.class, () -> start("perm").getResult(RunResult.class));
        wm.verify(1, postRequestedFor(urlEqualTo("/hooks/agent")));
        assertTrue(e.getCause().getMessage().contains("HTTP 400"), e.getCause().getMessage());
    }

    @Test
    void threeFailuresExhaustTheOriginalsRetryPolicy() {
        gatewayAnswers("502", "502", "502");
        assertThrows(WorkflowFailedException.class, () -> start("exhaust").getResult(RunResult.class));
        wm.verify(3, postRequestedFor(urlEqualTo("/hooks/agent")));
    }

    @Test
    void settledAgentErrorIsRetriedUnderANewKey() {
        gatewayAnswers(
                "{\"ok\":true,\"runId\":\"r-bad\",\"completion\":{\"status\":\"error\"}}", ok("r-good"), ok("r-2"));
        start("agent-error").getResult(RunResult.class);
        List<String> keys = wm.findAll(postRequestedFor(urlEqualTo("/hooks/agent"))).stream()
                .map(r -> r.getHeader("Idempotency-Key"))
                .toList();
        assertEquals(3, keys.size());
        assertTrue(keys.get(0).endsWith("/execute") && keys.get(1).endsWith("/execute#1"), keys.toString());
    }

    @Test
    void aCompletedTurnIsNotSentAgainWhenItsAttemptIsRetried() {
        // A worker that crashed after the gateway answered leaves an ok row; the retry (same key) must not call again.
        gatewayAnswers(ok("r-once"));
        TestActivityEnvironment activities = TestActivityEnvironment.newInstance();
        activities.registerActivitiesImplementations(ctx.getBean(AgentTurnActivitiesImpl.class));
        AgentTurnActivities stub = activities.newActivityStub(
                AgentTurnActivities.class,
                io.temporal.activity.ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofMinutes(1))
                        .build());
        TurnInput input = new TurnInput(
                new TurnContext(
                        "crash-wf", "run-1", "TwoTurns", "2026-01-01T00:00:00Z", Map.of("topic", "x"), Map.of()),
                "execute",
                1,
                0,
                Duration.ofMinutes(10),
                new ai.clawfactory.core.definition.AgentTurnDefinition(
                        "go", "n", null, null, null, null, null, null, null, null, null, null, null));
        StepResult first = stub.agentTurn(input);
        StepResult retried =
                stub.agentTurn(new TurnInput(input.context(), "execute", 2, 0, input.timeout(), input.turn()));
        activities.close();
        wm.verify(1, postRequestedFor(urlEqualTo("/hooks/agent")));
        assertEquals("r-once", first.runId());
        assertEquals("r-once", retried.runId());
        assertEquals(1, ctx.getBean(TurnLedger.class).attempts(WorkflowIds.turnKey("crash-wf", "run-1", "execute", 0)));
    }

    @Test
    void largeOutputsTravelByLedgerReference() {
        TurnLedger ledger = ctx.getBean(TurnLedger.class);
        TurnAttempt row = ledger.start("k", "wf", "run", "TwoTurns", "execute", 1, "openai-chat", "{}");
        String big = "x".repeat(AttemptRunner.INLINE_OUTPUT_LIMIT + 1);
        ledger.finish(row, TurnAttempt.OK, 200, "r", big, null);
        StepResult viaRef =
                new StepResult("execute", StepKind.AGENT_TURN, StepStatus.OK, "r", null, row.id(), 200, null, 1);
        String rendered = ctx.getBean(Templates.class)
                .render(
                        "<{{steps.execute.output}}>",
                        new TurnContext("wf", "run", "TwoTurns", "t", Map.of(), Map.of("execute", viaRef)));
        assertEquals("<" + big + ">", rendered);
    }

    @Test
    void theTokenNeverReachesLogsOrHistory() {
        // The gateway even echoes the token in an error body.
        gatewayAnswers(
                "{\"ok\":true,\"runId\":\"r\",\"completion\":{\"status\":\"error\",\"error\":\"token " + TOKEN
                        + " rejected\"}}",
                "401",
                "200");
        assertThrows(WorkflowFailedException.class, () -> start("secret").getResult(RunResult.class));
        String history = client.fetchHistory("secret").toJson(false);
        assertFalse(history.contains(TOKEN), "token in history");
        assertTrue(history.contains("[redacted]"), "the echoed token was redacted in the failure message");
        for (ILoggingEvent e : bed.logs()) {
            assertFalse(e.getFormattedMessage().contains(TOKEN), "token in log: " + e.getFormattedMessage());
            if (e.getThrowableProxy() != null) {
                assertFalse(e.getThrowableProxy().getMessage() != null
                        && e.getThrowableProxy().getMessage().contains(TOKEN));
            }
        }
        for (TurnAttempt row : ctx.getBean(TurnLedger.class).latest("secret", 10)) {
            assertFalse(
                    String.valueOf(row.request()).contains(TOKEN)
                            || String.valueOf(row.error()).contains(TOKEN),
                    row.toString());
        }
        assertNotNull(
                wm.findAll(postRequestedFor(urlEqualTo("/hooks/agent"))).get(0).getHeader("Authorization"));
    }
}

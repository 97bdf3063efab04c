package ai.clawfactory.worker.step.approval;

import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.Names;
import ai.clawfactory.core.approval.Channels;
import ai.clawfactory.core.approval.Decision;
import ai.clawfactory.core.approval.DecisionResult;
import ai.clawfactory.core.approval.Refusals;
import ai.clawfactory.worker.GatewayWorkflowTest;
import ai.clawfactory.worker.interpreter.InterpreterWorkflow;
import ai.clawfactory.worker.interpreter.RunResult;
import ai.clawfactory.worker.interpreter.WorkflowStatus;
import ai.clawfactory.worker.ledger.TurnAttempt;
import ai.clawfactory.worker.ledger.TurnLedger;
import ai.clawfactory.worker.step.StepResult;
import ai.clawfactory.worker.step.StepStatus;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code approval} step end to end on the time-skipping server: the real approval and agent
 * turn activities, a real SQLite ledger, WireMock as the gateway the {@code notify:} turn reaches,
 * and decisions sent as the {@code decide} Update.
 */
class ApprovalStepWorkflowTest extends GatewayWorkflowTest {

    @BeforeEach
    void setUp() throws IOException {
        bed.define("publish.yaml", """
                name: Publish
                input: { topic: sonnets }
                steps:
                  - id: publish
                    approval:
                      prompt: "Publish the piece on {{input.topic}}?"
                      timeout: 1d
                      notify:
                        agentTurn: { message: "Decide: {{approval.prompt}} {{approval.link}} {{approval.command}}" }
                  - id: post
                    agentTurn: { message: "Post it; note: {{steps.publish.output}}" }
                """);
        for (String means : List.of("fail", "reject", "approve")) {
            bed.define("timeout-" + means + ".yaml", """
                    name: Timeout%s
                    steps:
                      - id: decide
                        approval: { prompt: "a", timeout: 2h, onTimeout: %s }
                    """.formatted(means, means));
        }
        bed.define("two.yaml", """
                name: Two
                maxParallel: 2
                steps:
                  - id: legal
                    approval: { prompt: "legal?", timeout: 1h, by: [api] }
                  - id: editor
                    approval: { prompt: "editor?", timeout: 1h, by: [api, mcp], onTimeout: approve }
                  - id: done
                    needs: [legal, editor]
                    wait: 1s
                """);
        bed.define("late.yaml", """
                name: Late
                steps:
                  - id: late
                    continueOnFailure: true
                    approval: { prompt: "late?", timeout: 1h }
                  - id: hold
                    wait: 1d
                """);
        startWorker("openclaw-hooks", "tok-approval");
        wm.stubFor(post(urlEqualTo("/hooks/agent")).willReturn(okJson("{\"ok\":true,\"runId\":\"r-1\"}")));
    }

    private WorkflowStub start(String type, String id, Object... input) {
        WorkflowStub stub = client.newUntypedWorkflowStub(
                type,
                WorkflowOptions.newBuilder()
                        .setTaskQueue(taskQueue)
                        .setWorkflowId(id)
                        .build());
        stub.start(input);
        return stub;
    }

    private static WorkflowStatus status(WorkflowStub stub) {
        return stub.query(Names.QUERY_STATUS, WorkflowStatus.class);
    }

    private static void awaitPending(WorkflowStub stub, int n) {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> status(stub).approvals().size() == n);
    }

    private static DecisionResult decide(WorkflowStub stub, Decision d) {
        return stub.update(Names.UPDATE_DECIDE, DecisionResult.class, d);
    }

    /** The refusal's type, from the validator's ApplicationFailure (wherever it is in the cause chain). */
    private static String refusal(WorkflowStub stub, Decision d) {
        WorkflowUpdateException e = assertThrows(WorkflowUpdateException.class, () -> decide(stub, d));
        StringBuilder chain = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            chain.append(" <- ").append(t);
            if (t instanceof ApplicationFailure f && f.getType().matches("[A-Za-z]+")) {
                return f.getType();
            }
        }
        return chain.toString();
    }

    @Test
    void notifiesThenWaitsAndAnApprovalRunsTheNextStepWithTheNote() throws Exception {
        WorkflowStub stub = start("Publish", "approve-ok", Map.of("topic", "odes"));
        awaitPending(stub, 1);
        WorkflowStatus pending = status(stub);
        assertEquals("publish", pending.approvals().get(0).step());
        assertEquals("Publish the piece on odes?", pending.approvals().get(0).prompt());
        assertEquals(Channels.DEFAULT_BY, pending.approvals().get(0).by());
        assertEquals(pending.nextWakeTime(), pending.approvals().get(0).deadline());
        // The notify turn was sent once, with the rendered prompt, the link and the command.
        wm.verify(
                1,
                postRequestedFor(urlEqualTo("/hooks/agent"))
                        .withRequestBody(matchingJsonPath(
                                "$.message",
                                com.github.tomakehurst.wiremock.client.WireMock.containing(
                                        "Decide: Publish the piece on odes? http://localhost:8233/namespaces/"))));
        String sent = wm.getAllServeEvents().get(0).getRequest().getBodyAsString();
        assertTrue(sent.contains("./clawfactory approve "), sent);
        assertTrue(sent.contains("--workflow-id approve-ok --step publish"), sent);

        DecisionResult r = decide(stub, new Decision("publish", true, "looks good", Channels.CLI, "ada"));
        assertEquals(new DecisionResult("publish", "approved", "cli", "ada", "looks good", r.decidedAt()), r);

        RunResult result = stub.getResult(RunResult.class);
        StepResult publish = result.steps().get("publish");
        assertEquals(StepStatus.OK, publish.status());
        assertTrue(publish.output().contains("\"note\":\"looks good\""), publish.output());
        assertEquals(StepStatus.OK, result.steps().get("post").status());
        String post = wm.getAllServeEvents().get(0).getRequest().getBodyAsString();
        assertTrue(post.contains("looks good"), post);

        List<TurnAttempt> rows = ctx.getBean(TurnLedger.class).latest("approve-ok", 10);
        TurnAttempt decision = rows.stream()
                .filter(t -> t.kind().equals("approval"))
                .findFirst()
                .orElseThrow();
        assertEquals("approved", decision.status());
        assertEquals("Publish the piece on odes?", decision.request());
        assertTrue(decision.output().contains("\"who\":\"ada\""), decision.output());
        assertEquals(
                2,
                rows.stream().filter(t -> t.kind().equals("openclaw-hooks")).count(),
                "the notify and the next step each have their row: " + rows);
        // The notify's link has the Web UI's default address (ALERTS_UI_URL unset).
        assertTrue(
                rows.stream()
                        .anyMatch(t -> t.request().contains("http://localhost:8233/namespaces/default/workflows/")),
                rows.toString());
        WorkflowReplayer.replayWorkflowExecution(client.fetchHistory("approve-ok"), InterpreterWorkflow.class);
    }

    @Test
    void aRejectionFailsTheStepAndTheRunWithWhoChannelAndNote() {
        WorkflowStub stub = start("Publish", "approve-reject");
        awaitPending(stub, 1);
        decide(stub, new Decision(null, false, "not yet", Channels.API, "editor-token"));
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> stub.getResult(RunResult.class));
        String message = e.getCause().getMessage();
        assertTrue(message.contains("rejected by editor-token via api: not yet"), message);
        List<TurnAttempt> rows = ctx.getBean(TurnLedger.class).latest("approve-reject", 10);
        assertTrue(
                rows.stream()
                        .anyMatch(t -> t.kind().equals("approval") && t.status().equals("rejected")),
                rows.toString());
        wm.verify(1, postRequestedFor(urlEqualTo("/hooks/agent"))); // the notify only; post never ran
    }

    @Test
    void refusalsSayWhyADecisionDidNotCount() {
        WorkflowStub stub = start("Publish", "approve-refusals");
        awaitPending(stub, 1);
        assertEquals(
                Refusals.CHANNEL_NOT_ALLOWED,
                refusal(stub, new Decision("publish", true, null, Channels.MCP, "agent")));
        assertEquals(Refusals.BAD_DECISION, refusal(stub, new Decision("publish", true, null, "slack", "x")));
        assertEquals(
                Refusals.BAD_DECISION,
                refusal(stub, new Decision("publish", true, "x".repeat(2049), Channels.CLI, "x")));
        assertEquals(Refusals.NO_SUCH_APPROVAL, refusal(stub, new Decision("post", true, null, Channels.CLI, "x")));
        WorkflowUpdateException other = assertThrows(
                WorkflowUpdateException.class,
                () -> stub.update("approve", DecisionResult.class, new Decision(null, true, null, null, null)));
        assertTrue(String.valueOf(other.getCause().getMessage()).contains("Unknown update 'approve'"), other::toString);
        // A raw Update without a channel is the Temporal CLI's, which the default by: accepts.
        DecisionResult r = decide(stub, new Decision(null, true, null, null, null));
        assertEquals(Channels.TEMPORAL, r.channel());
        assertEquals(Refusals.ALREADY_DECIDED, refusal(stub, new Decision("publish", false, null, Channels.CLI, "x")));
        assertEquals(
                StepStatus.OK,
                stub.getResult(RunResult.class).steps().get("post").status());
    }

    @Test
    void aDecisionAfterTheTimeoutIsRefusedAsTimedOut(TestWorkflowEnvironment env) {
        WorkflowStub stub = start("Late", "approve-late");
        awaitPending(stub, 1);
        env.sleep(Duration.ofHours(2));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "hold".equals(status(stub).currentStep()));
        assertEquals(
                StepStatus.FAILED, status(stub).steps().get("late").status(), "continueOnFailure: the run goes on");
        assertEquals(Refusals.TIMED_OUT, refusal(stub, new Decision("late", true, null, Channels.CLI, "x")));
        assertEquals(Refusals.NO_SUCH_APPROVAL, refusal(stub, new Decision(null, true, null, Channels.CLI, "x")));
        stub.cancel();
    }

    @Test
    void withSeveralPendingADecisionMustNameTheStep() {
        WorkflowStub stub = start("Two", "approve-two");
        awaitPending(stub, 2);
        assertEquals(Refusals.AMBIGUOUS, refusal(stub, new Decision(null, true, null, Channels.API, "x")));
        assertEquals(
                Refusals.CHANNEL_NOT_ALLOWED, refusal(stub, new Decision("legal", true, null, Channels.MCP, "agent")));
        decide(stub, new Decision("legal", true, null, Channels.API, "x"));
        awaitPending(stub, 1);
        // Now the one pending is found without a name.
        assertEquals(
                "editor",
                decide(stub, new Decision(null, true, null, Channels.MCP, "agent"))
                        .step());
        assertEquals(
                StepStatus.OK,
                stub.getResult(RunResult.class).steps().get("done").status());
    }

    @Test
    void aTimeoutFailsByDefault() {
        WorkflowStub stub = start("Timeoutfail", "timeout-fail");
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> stub.getResult(RunResult.class));
        assertTrue(
                e.getCause().getMessage().contains("timed out: no decision within 2h"),
                e.getCause().getMessage());
        assertEquals(
                "timed_out",
                ctx.getBean(TurnLedger.class).latest("timeout-fail", 5).get(0).status());
    }

    @Test
    void aTimeoutRejectsWhenOnTimeoutSaysReject() {
        WorkflowStub stub = start("Timeoutreject", "timeout-reject");
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> stub.getResult(RunResult.class));
        assertTrue(
                e.getCause().getMessage().contains("rejected: no decision within 2h (onTimeout: reject)"),
                e.getCause().getMessage());
    }

    @Test
    void aTimeoutApprovesWhenOnTimeoutSaysApprove() {
        WorkflowStub stub = start("Timeoutapprove", "timeout-approve");
        RunResult result = stub.getResult(RunResult.class);
        StepResult approved = result.steps().get("decide");
        assertEquals(StepStatus.OK, approved.status());
        assertTrue(approved.output().contains("no decision within 2h (onTimeout: approve)"), approved.output());
        assertNull(approved.error());
    }
}

package ai.clawfactory.worker.step.agentturn;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.worker.GatewayWorkflowTest;
import ai.clawfactory.worker.interpreter.RunResult;
import ai.clawfactory.worker.ledger.TurnAttempt;
import ai.clawfactory.worker.ledger.TurnLedger;
import ai.clawfactory.worker.ledger.TurnsCommand;
import ai.clawfactory.worker.secret.SecretEchoes;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A gateway that echoes its token everywhere it can (run id, completion summary and error, error
 * bodies; verbatim, JSON-escaped, URL-encoded, base64): the token appears in no activity result,
 * no history payload or failure, no ledger row, no log line and not in {@code turns} output.
 */
class EchoingGatewayTest extends GatewayWorkflowTest {

    static final String TOKEN = "tok/echo+\"me\"\\4242=";

    @BeforeEach
    void setUp() throws IOException {
        bed.define("two.yaml", """
                name: TwoTurns
                steps:
                  - id: execute
                    agentTurn: { name: two-execute, message: "Research" }
                  - id: settle
                    wait: 2h
                  - id: synthesize
                    agentTurn: { name: two-synthesize, message: "Synthesize {{steps.execute.runId}}: {{steps.execute.output}}" }
                """);
        startWorker("openclaw-hooks", TOKEN + "\n");
    }

    private static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private void answers(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder... replies) {
        String state = STARTED;
        for (int i = 0; i < replies.length; i++) {
            String next = "s" + (i + 1);
            wm.stubFor(post(urlEqualTo("/hooks/agent"))
                    .inScenario("echo")
                    .whenScenarioStateIs(state)
                    .willReturn(replies[i])
                    .willSetStateTo(next));
            state = next;
        }
    }

    /** The history as JSON with every payload's base64 data decoded next to it, so payload contents are searched too. */
    private String historyText(String workflowId) {
        String history = client.fetchHistory(workflowId).toJson(false);
        StringBuilder sb = new StringBuilder(history);
        Matcher m = Pattern.compile("\"data\":\\s*\"([A-Za-z0-9+/=]+)\"").matcher(history);
        int payloads = 0;
        while (m.find()) {
            sb.append('\n').append(new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8));
            payloads++;
        }
        assertTrue(payloads > 3, "history payloads were found and decoded");
        return sb.toString();
    }

    @Test
    void anEchoedTokenAppearsNowhere() {
        String b64 = Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8));
        String basic = Base64.getEncoder().encodeToString(("user:" + TOKEN).getBytes(StandardCharsets.UTF_8));
        String urlEncoded = java.net.URLEncoder.encode(TOKEN, StandardCharsets.UTF_8);
        answers(
                okJson("{\"ok\":true,\"runId\":\"" + json(TOKEN)
                        + "\",\"completion\":{\"status\":\"error\",\"error\":\"rejected " + b64 + " at /hooks?t="
                        + urlEncoded + "\"}}"),
                okJson("{\"ok\":true,\"runId\":\"r-" + json(TOKEN)
                        + "\",\"completion\":{\"status\":\"ok\",\"summary\":\"done: Basic " + basic + " and "
                        + json(json(TOKEN)) + "\"}}"),
                aResponse().withStatus(500).withBody("upstream said Bearer " + TOKEN),
                okJson("{\"ok\":true,\"runId\":\"r-2\",\"completion\":{\"status\":\"ok\"}}"));
        WorkflowStub stub = client.newUntypedWorkflowStub(
                "TwoTurns",
                WorkflowOptions.newBuilder()
                        .setTaskQueue(taskQueue)
                        .setWorkflowId("echo")
                        .build());
        stub.start();
        RunResult result = stub.getResult(RunResult.class);

        wm.verify(
                4,
                postRequestedFor(urlEqualTo("/hooks/agent")).withHeader("Authorization", equalTo("Bearer " + TOKEN)));
        assertEquals("r-[redacted]", result.steps().get("execute").runId());
        assertTrue(
                result.steps().get("execute").output().contains("[redacted]"),
                result.steps().get("execute").output());

        String history = historyText("echo");
        assertTrue(history.contains("[redacted]"));
        assertNull(SecretEchoes.foundIn(history, TOKEN), "token in history");

        List<TurnAttempt> rows = ctx.getBean(TurnLedger.class).latest("echo", 10);
        assertEquals(4, rows.size());
        for (TurnAttempt row : rows) {
            for (String field : new String[] {row.request(), row.output(), row.error(), row.gatewayRunId()}) {
                assertNull(SecretEchoes.foundIn(field, TOKEN), "token in the ledger: " + row);
            }
        }
        for (ILoggingEvent e : bed.logs()) {
            assertNull(SecretEchoes.foundIn(e.getFormattedMessage(), TOKEN), e.getFormattedMessage());
            if (e.getThrowableProxy() != null) {
                assertNull(SecretEchoes.foundIn(e.getThrowableProxy().getMessage(), TOKEN));
            }
        }

        StringWriter out = new StringWriter();
        int code = new CommandLine(new TurnsCommand())
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(out))
                .execute("--full", "--ledger", bed.dir().resolve("ledger.db").toString());
        assertEquals(0, code, out.toString());
        assertTrue(out.toString().contains("r-[redacted]"), out.toString());
        assertNull(SecretEchoes.foundIn(out.toString(), TOKEN), out.toString());
    }
}

package ai.clawfactory.worker.step.agentturn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.definition.OutputCheck;
import ai.clawfactory.worker.gateway.GatewayKinds;
import ai.clawfactory.worker.gateway.GatewayReply;
import ai.clawfactory.worker.http.GatewayException;
import ai.clawfactory.worker.secret.Redactor;
import ai.clawfactory.worker.secret.SecretEchoes;
import org.junit.jupiter.api.Test;

class OutputChecksTest {

    private static final OutputCheck REPLY = new OutputCheck(null, null, null, true);

    private static String unmet(OutputCheck c, String kind, GatewayReply r) {
        return OutputChecks.unmet(c, kind, r);
    }

    @Test
    void replyTrueFailsASilentOrEmptyHooksCompletionAndOneThatReportsNothing() {
        String hooks = GatewayKinds.OPENCLAW_HOOKS;
        assertNull(unmet(REPLY, hooks, new GatewayReply(200, "r", false, "completed", "delivered")));
        assertTrue(unmet(REPLY, hooks, new GatewayReply(200, "r", false, "completed", "silent"))
                .contains("'silent'"));
        assertTrue(unmet(REPLY, hooks, new GatewayReply(200, "r", false, "completed", ""))
                .contains("replyDisposition ''"));
        assertTrue(unmet(REPLY, hooks, new GatewayReply(200, "r", false, "completed", null))
                .contains("no replyDisposition"));
        assertTrue(unmet(REPLY, hooks, new GatewayReply(200, "r", true, "skipped", null))
                .contains("skipped"));
    }

    @Test
    void replyTrueWithTheChatGatewayNeedsNonEmptyText() {
        assertNull(unmet(REPLY, GatewayKinds.OPENAI_CHAT, new GatewayReply(200, "c", false, "hello")));
        assertTrue(unmet(REPLY, GatewayKinds.OPENAI_CHAT, new GatewayReply(200, "c", false, " "))
                .contains("empty"));
    }

    @Test
    void anUnmetCheckIsAnAgentErrorNamingTheCheckWithTheOutputsStart() {
        GatewayReply reply = new GatewayReply(200, "c-1", false, "x".repeat(500));
        GatewayException e = assertThrows(
                GatewayException.class,
                () -> OutputChecks.check(
                        new OutputCheck("DONE", null, null, null),
                        GatewayKinds.OPENAI_CHAT,
                        "report",
                        reply,
                        Redactor.NONE));
        assertEquals(GatewayException.Category.AGENT_ERROR, e.category());
        assertEquals("c-1", e.runId());
        assertTrue(e.getMessage()
                .startsWith("Output check of step 'report' failed: expected the output to contain \"DONE\""));
        assertTrue(e.getMessage().endsWith("\"" + "x".repeat(OutputChecks.QUOTE_CHARS) + "…\""), e.getMessage());
        assertSame(reply, OutputChecks.check(null, GatewayKinds.OPENAI_CHAT, "report", reply, Redactor.NONE));
    }

    @Test
    void theQuoteAndTheParseErrorLeaveNoStartOfASecretThatTheCutOrTheParserSplits() {
        String token = "tok-9d1c4e-gateway-secret";
        Redactor r = Redactor.of(token);
        for (String output : new String[] {
            "x".repeat(OutputChecks.QUOTE_CHARS - 6) + token, token + "x".repeat(300), token.substring(0, 15)
        }) {
            GatewayException e = assertThrows(
                    GatewayException.class,
                    () -> OutputChecks.check(
                            new OutputCheck(null, null, true, null),
                            GatewayKinds.OPENAI_CHAT,
                            "report",
                            new GatewayReply(200, "c-1", false, output),
                            r));
            assertNull(SecretEchoes.prefixIn(e.getMessage(), token, 4), e.getMessage());
            assertTrue(e.getMessage().contains("does not parse (line 1, column "), e.getMessage());
        }
    }

    @Test
    void jsonRefusesTrailingTextAndEmptyOutput() {
        OutputCheck json = new OutputCheck(null, null, true, null);
        assertNull(unmet(json, GatewayKinds.OPENAI_CHAT, new GatewayReply(200, "c", false, "[1, 2]")));
        assertTrue(unmet(json, GatewayKinds.OPENAI_CHAT, new GatewayReply(200, "c", false, "{} and more"))
                .contains("does not parse"));
        assertTrue(unmet(json, GatewayKinds.OPENAI_CHAT, new GatewayReply(200, "c", false, ""))
                .contains("empty"));
    }
}

package ai.clawfactory.worker.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.worker.http.GatewayException;
import ai.clawfactory.worker.http.GatewayException.Category;
import ai.clawfactory.worker.http.HttpExchanges;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code openclaw-hooks} against WireMock answering as OpenClaw's gateway does (DESIGN.md, "Agent
 * gateway contract"): every status the contract names and how it is classified, completions,
 * wakes, timeouts, resets, garbled and oversized answers, and the token only in its header.
 */
class OpenClawHooksContractTest extends GatewayContextTest {

    @Override
    String kind() {
        return GatewayKinds.OPENCLAW_HOOKS;
    }

    private void answer(ResponseDefinitionBuilder answer) {
        wm.stubFor(post(urlEqualTo("/hooks/agent")).willReturn(answer));
    }

    @Test
    void theContextBuildsTheHooksClient() {
        assertEquals(GatewayKinds.OPENCLAW_HOOKS, gateway.kind());
    }

    @Test
    void aSettledRunIsItsCompletionWithTheContractBodyTokenAndKey() {
        answer(okJson("{\"ok\":true,\"runId\":\"r-1\",\"completion\":{\"status\":\"ok\",\"summary\":\"3 haiku\"}}"));
        GatewayReply reply = send();
        assertEquals(200, reply.httpStatus());
        assertEquals("r-1", reply.runId());
        assertEquals("3 haiku", reply.output());
        assertFalse(reply.skipped());
        wm.verify(postRequestedFor(urlEqualTo("/hooks/agent"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Idempotency-Key", equalTo("wf/run/execute"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"message":"Research haiku","name":"poetry-research-execute","agentId":"main","sessionMode":"isolated",
                         "deliver":false,"idempotencyKey":"wf/run/execute","waitForCompletion":true}
                        """)));
    }

    @Test
    void theTokenTravelsInItsHeaderOnlyNeverInTheUrlOrBody() {
        answer(okJson("{\"ok\":true,\"completion\":{\"status\":\"ok\"}}"));
        send();
        List<LoggedRequest> requests = wm.findAll(anyRequestedFor(anyUrl()));
        assertEquals(1, requests.size());
        LoggedRequest r = requests.get(0);
        assertEquals("/hooks/agent", r.getUrl());
        assertFalse(r.getBodyAsString().contains(TOKEN), r.getBodyAsString());
        long carrying = r.getHeaders().all().stream()
                .filter(h -> h.values().stream().anyMatch(v -> v.contains(TOKEN)))
                .count();
        assertEquals(1, carrying, "only Authorization carries the token");
    }

    @Test
    void anOlderGateways202WithoutCompletionIsAdmitted() {
        answer(aResponse()
                .withStatus(202)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"ok\":true,\"runId\":\"r-2\"}"));
        GatewayReply reply = send();
        assertEquals(202, reply.httpStatus());
        assertEquals("r-2", reply.runId());
    }

    @Test
    void aSkippedCompletionIsSkipped() {
        answer(okJson("{\"ok\":true,\"runId\":\"r-3\",\"completion\":{\"status\":\"skipped\"}}"));
        assertTrue(send().skipped());
    }

    @Test
    void anErrorCompletionIsAnAgentErrorThoughTheStatusIs200() {
        answer(
                okJson(
                        "{\"ok\":true,\"runId\":\"r-4\",\"completion\":{\"status\":\"error\",\"error\":\"model overloaded\"}}"));
        GatewayException e = failure();
        assertEquals(Category.AGENT_ERROR, e.category());
        assertEquals("r-4", e.runId());
        assertTrue(e.getMessage().contains("model overloaded"), e.getMessage());
    }

    @ParameterizedTest(name = "HTTP {0} is permanent: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "400 | {\"ok\":false,\"error\":\"invalid payload\"} | Fix the step's fields",
                "401 | Unauthorized                                  | Check the gateway token",
                "404 | Not Found                                     | Check GATEWAY_URL and that hooks are enabled",
                "405 | Method Not Allowed                            | Fix the step's fields",
                "409 | {\"ok\":false,\"error\":\"session conflict\"} | Fix the step's fields",
                "413 | Payload Too Large                             | too large for the gateway (256 KiB)"
            })
    void clientErrorsArePermanentWithTheStatusTheBodyAndWhatToDo(int status, String body, String hint) {
        answer(aResponse().withStatus(status).withBody(body));
        GatewayException e = failure();
        assertEquals(Category.PERMANENT, e.category());
        assertEquals(status, e.httpStatus());
        assertNull(e.retryAfter());
        assertTrue(
                e.getMessage().startsWith("Gateway POST /hooks/agent answered HTTP " + status + ": " + body),
                e.getMessage());
        assertTrue(e.getMessage().contains(hint), e.getMessage());
        wm.verify(1, postRequestedFor(urlEqualTo("/hooks/agent")));
    }

    @ParameterizedTest(name = "HTTP {0} is transient")
    @ValueSource(ints = {408, 429, 500, 502, 503})
    void timeoutsThrottlingAndServerErrorsAreTransient(int status) {
        answer(aResponse().withStatus(status).withBody("not now"));
        GatewayException e = failure();
        assertEquals(Category.TRANSIENT, e.category());
        assertEquals(status, e.httpStatus());
        assertTrue(e.getMessage().contains("HTTP " + status + ": not now"), e.getMessage());
    }

    @Test
    void retryAfterInSecondsIsHonoured() {
        answer(aResponse().withStatus(429).withHeader("Retry-After", "60").withBody("slow down"));
        assertEquals(Duration.ofSeconds(60), failure().retryAfter());
    }

    @Test
    void retryAfterAsAnHttpDateIsHonoured() {
        String inTwoMinutes =
                DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusMinutes(2));
        answer(aResponse()
                .withStatus(503)
                .withHeader("Retry-After", inTwoMinutes)
                .withBody("busy"));
        Duration d = failure().retryAfter();
        assertTrue(d.compareTo(Duration.ofSeconds(60)) > 0 && d.compareTo(Duration.ofSeconds(120)) <= 0, d.toString());
    }

    @Test
    void aRedirectIsPermanentAndNotFollowed() {
        answer(aResponse().withStatus(307).withHeader("Location", wm.baseUrl() + "/elsewhere"));
        wm.stubFor(post(urlEqualTo("/elsewhere")).willReturn(okJson("{\"ok\":true}")));
        assertEquals(Category.PERMANENT, failure().category());
        wm.verify(0, postRequestedFor(urlEqualTo("/elsewhere")));
    }

    @Test
    void noAnswerWithinTheTurnsReadTimeoutIsTransient() {
        answer(okJson("{\"ok\":true,\"completion\":{\"status\":\"ok\"}}").withFixedDelay(2000));
        GatewayException e = assertThrows(GatewayException.class, () -> send(Duration.ofMillis(400)));
        assertEquals(Category.TRANSIENT, e.category());
        assertTrue(e.getMessage().startsWith("POST /hooks/agent timed out: no answer within"), e.getMessage());
        // The next turn, with a longer timeout of its own, waits for the same slow gateway.
        assertEquals("completed", send().output());
    }

    @ParameterizedTest(name = "{0} is transient")
    @EnumSource(
            value = Fault.class,
            names = {"CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE", "MALFORMED_RESPONSE_CHUNK", "RANDOM_DATA_THEN_CLOSE"
            })
    void resetsAndBrokenAnswersAreTransient(Fault fault) {
        answer(aResponse().withFault(fault));
        GatewayException e = failure();
        assertEquals(Category.TRANSIENT, e.category(), e.getMessage());
        assertTrue(e.getMessage().startsWith("POST /hooks/agent "), e.getMessage());
    }

    @ParameterizedTest(name = "200 {0} is transient")
    @ValueSource(
            strings = {
                "<html>proxy error</html>",
                "",
                "[1,2]",
                "{\"ok\":false}",
                "{\"runId\":\"r-5\"}",
                "{\"ok\":true,\"completion\":{\"status\":\"exploded\"}}"
            })
    void aMalformedAdmissionIsTransient(String body) {
        answer(aResponse().withStatus(200).withBody(body));
        GatewayException e = failure();
        assertEquals(Category.TRANSIENT, e.category(), e.getMessage());
        assertEquals(200, e.httpStatus());
    }

    @Test
    void anAnswerOverTheCapIsTransient() {
        answer(okJson("{\"ok\":true,\"pad\":\"" + "x".repeat(HttpExchanges.MAX_RESPONSE_BYTES) + "\"}"));
        GatewayException e = failure();
        assertEquals(Category.TRANSIENT, e.category());
        assertEquals("POST /hooks/agent answered with more than 4194304 bytes", e.getMessage());
    }

    @Test
    void anEchoedTokenIsRedactedFromTheStoredErrorBody() {
        answer(aResponse().withStatus(401).withBody("Unauthorized: token " + TOKEN + " is not valid"));
        GatewayException e = failure();
        assertFalse(e.getMessage().contains(TOKEN), e.getMessage());
        assertTrue(e.getMessage().contains("Unauthorized: token [redacted] is not valid"), e.getMessage());
    }

    @Test
    void aWakeQueuesAnEventForTheMainSession() {
        wm.stubFor(post(urlEqualTo("/hooks/wake"))
                .willReturn(okJson("{\"ok\":true,\"mode\":\"now\",\"eventOutcome\":\"queued\"}")));
        WakeRequest wake = new WakeRequest("wf/run/wake-1", "Check the inbox", "now", READ);
        GatewayReply reply = gateway.wake(wake, "{\"text\":\"Check the inbox\",\"mode\":\"now\"}");
        assertEquals(200, reply.httpStatus());
        assertEquals("woke the main session (now, queued)", reply.output());
        wm.verify(postRequestedFor(urlEqualTo("/hooks/wake"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Idempotency-Key", equalTo("wf/run/wake-1")));
    }

    @Test
    void aRefusedWakeIsClassifiedAsATurnIs() {
        wm.stubFor(post(urlEqualTo("/hooks/wake"))
                .willReturn(aResponse().withStatus(401).withBody("Unauthorized")));
        WakeRequest wake = new WakeRequest("wf/run/wake-2", "Check the inbox", "now", READ);
        GatewayException e = assertThrows(GatewayException.class, () -> gateway.wake(wake, "{}"));
        assertEquals(Category.PERMANENT, e.category());
        assertEquals(401, e.httpStatus());
    }
}

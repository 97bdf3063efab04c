package ai.clawfactory.worker.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.definition.AgentTurnDefinition;
import ai.clawfactory.worker.config.GatewayConfig;
import ai.clawfactory.worker.http.GatewayException;
import ai.clawfactory.worker.http.HttpSender;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each gateway kind against WireMock speaking OpenClaw's contract. */
class GatewayClientsTest {

    static final String TOKEN = "tok-7f3e9a-secret";
    static WireMockServer wm;
    static HttpSender http;
    static GatewayJson json;

    @TempDir
    static Path dir;

    static TokenSource tokens;

    @BeforeAll
    static void startWireMock() throws IOException {
        wm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        wm.start();
        http = new HttpSender(new GatewayConfig(null, null, null, Duration.ofSeconds(2), Duration.ofSeconds(1)));
        json = new GatewayJson();
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, TOKEN + "\n");
        tokens = new TokenSource(tokenFile.toString(), Map.of());
    }

    @AfterAll
    static void stop() {
        http.close();
        wm.stop();
    }

    @BeforeEach
    void reset() {
        wm.resetAll();
    }

    private GatewayClient client(String kind) {
        GatewayConfig c = new GatewayConfig(kind, wm.baseUrl(), null, Duration.ofSeconds(2), Duration.ofSeconds(1));
        return new GatewayKinds().gatewayClient(c, http, json, tokens);
    }

    /** A turn of job {@code poetry-research-execute} for agent {@code main}, key {@code wf/run/execute}. */
    static TurnRequest request(Duration read) {
        return new TurnRequest(
                "wf/run/execute",
                new AgentTurnDefinition(
                        "Research haiku",
                        "poetry-research-execute",
                        "main",
                        null,
                        "isolated",
                        null,
                        null,
                        null,
                        false,
                        null,
                        null,
                        null,
                        null),
                read);
    }

    private GatewayReply send(String kind) {
        GatewayClient c = client(kind);
        TurnRequest r = request(Duration.ofSeconds(2));
        return c.send(r, c.body(r));
    }

    private GatewayException fail(String kind) {
        return assertThrows(GatewayException.class, () -> send(kind));
    }

    private void stubHooks(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer) {
        wm.stubFor(post(urlEqualTo("/hooks/agent")).willReturn(answer));
    }

    @Test
    void hooksSendsTheContractBodyTokenAndIdempotencyKey() {
        stubHooks(okJson("{\"ok\":true,\"runId\":\"r-1\",\"completion\":{\"status\":\"ok\"}}"));
        GatewayReply reply = send("openclaw-hooks");
        assertEquals("r-1", reply.runId());
        assertEquals(200, reply.httpStatus());
        assertFalse(reply.skipped());
        wm.verify(
                1,
                postRequestedFor(urlEqualTo("/hooks/agent"))
                        .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                        .withHeader("Idempotency-Key", equalTo("wf/run/execute"))
                        .withRequestBody(equalToJson("""
                        {"message":"Research haiku","name":"poetry-research-execute","agentId":"main",
                         "sessionMode":"isolated","deliver":false,"idempotencyKey":"wf/run/execute","waitForCompletion":true}
                        """)));
    }

    @Test
    void hooksAcceptsOlderGateways202WithoutCompletion() {
        stubHooks(aResponse()
                .withStatus(202)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"ok\":true,\"runId\":\"r-2\"}"));
        GatewayReply reply = send("openclaw-hooks");
        assertEquals(202, reply.httpStatus());
        assertEquals("r-2", reply.runId());
    }

    @Test
    void hooksReportTheReplyDispositionWhenTheGatewayGivesOne() {
        stubHooks(okJson(
                "{\"ok\":true,\"runId\":\"r-5\",\"completion\":{\"status\":\"ok\",\"replyDisposition\":\"silent\"}}"));
        assertEquals("silent", send("openclaw-hooks").replyDisposition());
        wm.resetAll();
        stubHooks(okJson("{\"ok\":true,\"runId\":\"r-6\",\"completion\":{\"status\":\"ok\"}}"));
        assertNull(send("openclaw-hooks").replyDisposition());
    }

    @Test
    void hooksSkippedCompletionIsSkippedNotOk() {
        stubHooks(okJson("{\"ok\":true,\"runId\":\"r-3\",\"completion\":{\"status\":\"skipped\"}}"));
        assertTrue(send("openclaw-hooks").skipped());
    }

    @Test
    void hooksErrorCompletionIsAnAgentErrorEvenWith200() {
        stubHooks(
                okJson(
                        "{\"ok\":true,\"runId\":\"r-4\",\"completion\":{\"status\":\"error\",\"error\":\"model overloaded\"}}"));
        GatewayException e = fail("openclaw-hooks");
        assertEquals(GatewayException.Category.AGENT_ERROR, e.category());
        assertEquals("r-4", e.runId());
        assertTrue(e.getMessage().contains("model overloaded"), e.getMessage());
    }

    @ParameterizedTest(name = "HTTP {0} is permanent")
    @ValueSource(ints = {400, 401, 403, 404, 405, 409, 413, 422})
    void clientErrorsArePermanentWithStatusAndExcerpt(int status) {
        stubHooks(aResponse().withStatus(status).withBody("{\"ok\":false,\"error\":\"bad thing " + status + "\"}"));
        GatewayException e = fail("openclaw-hooks");
        assertEquals(GatewayException.Category.PERMANENT, e.category());
        assertEquals(status, e.httpStatus());
        assertTrue(
                e.getMessage().contains("HTTP " + status) && e.getMessage().contains("bad thing " + status),
                e.getMessage());
    }

    @Test
    void plainTextUnauthorizedSaysToCheckTheToken() {
        stubHooks(aResponse().withStatus(401).withBody("Unauthorized"));
        GatewayException e = fail("openclaw-hooks");
        assertTrue(e.getMessage().contains("Unauthorized") && e.getMessage().contains("token"), e.getMessage());
    }

    @ParameterizedTest(name = "HTTP {0} is transient")
    @ValueSource(ints = {408, 429, 500, 502, 503, 504})
    void timeoutsThrottlingAndServerErrorsAreTransient(int status) {
        stubHooks(aResponse().withStatus(status).withBody("busy"));
        GatewayException e = fail("openclaw-hooks");
        assertEquals(GatewayException.Category.TRANSIENT, e.category());
        assertEquals(status, e.httpStatus());
    }

    @Test
    void retryAfterIsHonoured() {
        stubHooks(aResponse().withStatus(429).withHeader("Retry-After", "60").withBody("slow down"));
        assertEquals(Duration.ofSeconds(60), fail("openclaw-hooks").retryAfter());
    }

    @Test
    void delayPastTheReadTimeoutIsTransient() {
        stubHooks(okJson("{\"ok\":true,\"completion\":{\"status\":\"ok\"}}").withFixedDelay(3000));
        GatewayClient c = client("openclaw-hooks");
        TurnRequest r = request(Duration.ofMillis(500));
        GatewayException e = assertThrows(GatewayException.class, () -> c.send(r, c.body(r)));
        assertEquals(GatewayException.Category.TRANSIENT, e.category());
        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
    }

    @Test
    void connectionResetIsTransient() {
        stubHooks(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        assertEquals(GatewayException.Category.TRANSIENT, fail("openclaw-hooks").category());
    }

    @Test
    void truncatedResponseIsTransient() {
        stubHooks(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK));
        assertEquals(GatewayException.Category.TRANSIENT, fail("openclaw-hooks").category());
    }

    @Test
    void garbageAndEmptyBodiesAreTransient() {
        stubHooks(aResponse().withStatus(200).withBody("<html>proxy error</html>"));
        GatewayException garbage = fail("openclaw-hooks");
        assertEquals(GatewayException.Category.TRANSIENT, garbage.category());
        assertTrue(garbage.getMessage().contains("not a JSON object"), garbage.getMessage());
        stubHooks(aResponse().withStatus(200));
        assertEquals(GatewayException.Category.TRANSIENT, fail("openclaw-hooks").category());
        stubHooks(okJson("{\"ok\":false}"));
        assertEquals(GatewayException.Category.TRANSIENT, fail("openclaw-hooks").category());
        stubHooks(okJson("{\"ok\":true,\"completion\":{\"status\":\"exploded\"}}"));
        assertEquals(GatewayException.Category.TRANSIENT, fail("openclaw-hooks").category());
    }

    @Test
    void unreachableGatewayIsTransient() {
        GatewayConfig c = new GatewayConfig(
                "openclaw-hooks", "http://127.0.0.1:1", null, Duration.ofSeconds(1), Duration.ofSeconds(1));
        GatewayClient client = new GatewayKinds().gatewayClient(c, http, json, tokens);
        TurnRequest r = request(Duration.ofSeconds(1));
        assertEquals(
                GatewayException.Category.TRANSIENT,
                assertThrows(GatewayException.class, () -> client.send(r, client.body(r)))
                        .category());
    }

    @Test
    void echoedTokenNeverAppearsInTheMessage() {
        stubHooks(aResponse().withStatus(400).withBody("bad token " + TOKEN + " for hook"));
        GatewayException e = fail("openclaw-hooks");
        assertFalse(e.getMessage().contains(TOKEN), e.getMessage());
        assertTrue(e.getMessage().contains("[redacted]"), e.getMessage());
    }

    @Test
    void anEchoedTokenStraddlingTheExcerptsCutLeavesNoStartOfIt() {
        for (String echo : ai.clawfactory.worker.secret.SecretEchoes.of(TOKEN)) {
            stubHooks(aResponse().withStatus(400).withBody("bad: " + "x".repeat(190) + " " + echo + " for hook"));
            GatewayException e = fail("openclaw-hooks");
            assertNull(ai.clawfactory.worker.secret.SecretEchoes.prefixIn(e.getMessage(), TOKEN, 4), e.getMessage());
        }
        stubHooks(aResponse().withStatus(200).withBody("not json " + "x".repeat(187) + " " + TOKEN));
        GatewayException garbled = fail("openclaw-hooks");
        assertNull(
                ai.clawfactory.worker.secret.SecretEchoes.prefixIn(garbled.getMessage(), TOKEN, 4),
                garbled.getMessage());
    }

    @Test
    void missingTokenIsAConfigurationErrorAndNothingIsSent() {
        GatewayConfig c =
                new GatewayConfig("openclaw-hooks", wm.baseUrl(), null, Duration.ofSeconds(1), Duration.ofSeconds(1));
        GatewayClient client = new GatewayKinds().gatewayClient(c, http, json, new TokenSource(null, Map.of()));
        TurnRequest r = request(Duration.ofSeconds(1));
        GatewayException e = assertThrows(GatewayException.class, () -> client.send(r, client.body(r)));
        assertEquals(GatewayException.Category.CONFIGURATION, e.category());
        assertEquals(0, wm.getAllServeEvents().size());
    }

    @Test
    void tokenComesFromTheSystemdCredentialWhenNoFileIsSet() throws IOException {
        Path creds = Files.createDirectories(dir.resolve("creds"));
        Files.writeString(creds.resolve("gateway-token"), "from-credential\n");
        assertEquals(
                "from-credential",
                new TokenSource(null, Map.of("CREDENTIALS_DIRECTORY", creds.toString(), "GATEWAY_TOKEN", "from-env"))
                        .token());
        assertEquals("from-env", new TokenSource(null, Map.of("GATEWAY_TOKEN", "from-env")).token());
    }

    @Test
    void openAiChatReturnsTheAgentsOutput() {
        wm.stubFor(
                post(urlEqualTo("/v1/chat/completions"))
                        .willReturn(
                                okJson(
                                        "{\"id\":\"chatcmpl-9\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Three new haiku.\"}}]}")));
        GatewayReply reply = send("openai-chat");
        assertEquals("Three new haiku.", reply.output());
        assertEquals("chatcmpl-9", reply.runId());
        wm.verify(
                postRequestedFor(urlEqualTo("/v1/chat/completions"))
                        .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                        .withRequestBody(
                                equalToJson(
                                        "{\"model\":\"openclaw/main\",\"messages\":[{\"role\":\"user\",\"content\":\"Research haiku\"}],\"stream\":false}")));
    }

    @Test
    void openAiChatWithoutContentIsTransientAndErrorsClassifyAsUsual() {
        wm.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(okJson("{\"choices\":[]}")));
        assertEquals(GatewayException.Category.TRANSIENT, fail("openai-chat").category());
        wm.stubFor(post(urlEqualTo("/v1/chat/completions"))
                .willReturn(aResponse().withStatus(404).withBody("Not Found")));
        assertEquals(GatewayException.Category.PERMANENT, fail("openai-chat").category());
    }

    @Test
    void cronFireSendsTheJobIdAndNeeds200WithOkTrue() {
        wm.stubFor(post(urlEqualTo("/api/cron/fire")).willReturn(okJson("{\"ok\":true}")));
        send("cron-fire");
        wm.verify(postRequestedFor(urlEqualTo("/api/cron/fire"))
                .withRequestBody(equalToJson("{\"job_id\":\"poetry-research-execute\"}")));
        wm.stubFor(post(urlEqualTo("/api/cron/fire")).willReturn(okJson("{\"ok\":false,\"error\":\"no such job\"}")));
        assertEquals(GatewayException.Category.AGENT_ERROR, fail("cron-fire").category());
        wm.stubFor(post(urlEqualTo("/api/cron/fire"))
                .willReturn(aResponse().withStatus(200).withBody("fired")));
        assertEquals(GatewayException.Category.TRANSIENT, fail("cron-fire").category());
    }

    @Test
    void dryRunSendsNothingAndIsTheDefaultWithoutUrl() {
        GatewayClient c = new GatewayKinds()
                .gatewayClient(
                        new GatewayConfig(null, null, null, Duration.ofSeconds(1), Duration.ofSeconds(1)),
                        http,
                        json,
                        tokens);
        assertEquals("dry-run", c.kind());
        TurnRequest r = request(Duration.ofSeconds(1));
        assertTrue(c.body(r).contains("\"waitForCompletion\":true"));
        assertTrue(c.send(r, c.body(r)).runId().startsWith("dry-run-"));
        assertEquals(0, wm.getAllServeEvents().size());
    }

    @Test
    void unknownKindAndMissingUrlAreClearErrors() {
        IllegalArgumentException kind = assertThrows(
                IllegalArgumentException.class,
                () -> new GatewayKinds()
                        .gatewayClient(
                                new GatewayConfig(
                                        "smoke-signals",
                                        wm.baseUrl(),
                                        null,
                                        Duration.ofSeconds(1),
                                        Duration.ofSeconds(1)),
                                http,
                                json,
                                tokens));
        assertTrue(kind.getMessage().contains("openclaw-hooks, openai-chat, cron-fire, dry-run"), kind.getMessage());
        IllegalArgumentException url = assertThrows(
                IllegalArgumentException.class,
                () -> new GatewayKinds()
                        .gatewayClient(
                                new GatewayConfig(
                                        "openclaw-hooks", "", null, Duration.ofSeconds(1), Duration.ofSeconds(1)),
                                http,
                                json,
                                tokens));
        assertTrue(url.getMessage().contains("needs GATEWAY_URL"), url.getMessage());
    }

    private static GatewayConfig at(String url, boolean allowInsecure) {
        return new GatewayConfig(
                "openclaw-hooks", url, null, Duration.ofSeconds(1), Duration.ofSeconds(1), allowInsecure);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"http://gateway.example.org:18789", "HTTP://10.0.0.5:18789", "http://127.0.0.1.nip.io:18789"})
    void plainHttpToAHostOffLoopbackIsRefusedUnlessExplicitlyAllowed(String url) {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new GatewayKinds().gatewayClient(at(url, false), http, json, tokens));
        assertTrue(
                e.getMessage().contains("cleartext") && e.getMessage().contains("GATEWAY_ALLOW_INSECURE=true"),
                e.getMessage());
        assertEquals(
                "openclaw-hooks",
                new GatewayKinds()
                        .gatewayClient(at(url, true), http, json, tokens)
                        .kind());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://127.0.0.1:18789",
                "http://127.8.9.1:18789",
                "http://localhost:18789",
                "http://[::1]:18789",
                "https://gateway.example.org"
            })
    void loopbackAndHttpsGatewaysNeedNoPermission(String url) {
        assertEquals(
                "openclaw-hooks",
                new GatewayKinds()
                        .gatewayClient(at(url, false), http, json, tokens)
                        .kind());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://admin:hunter2-pw@gateway.example.org",
                "http://admin:hunter2-pw@127.0.0.1:1",
                "http://admin:hunter2-pw@bad host/"
            })
    void aGatewayUrlsUserInfoIsRefusedAndNeverShown(String url) {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new GatewayKinds().gatewayClient(at(url, true), http, json, tokens));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertTrue(e.getMessage().contains("[redacted]@"), e.getMessage());
    }
}

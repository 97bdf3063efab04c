package ai.clawfactory.worker.step.httpcall;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.Names;
import ai.clawfactory.core.definition.HttpCallDefinition;
import ai.clawfactory.worker.TestContexts;
import ai.clawfactory.worker.config.HttpStepsConfig;
import ai.clawfactory.worker.config.TemporalConfig;
import ai.clawfactory.worker.gateway.TokenSource;
import ai.clawfactory.worker.http.AddressGate;
import ai.clawfactory.worker.http.GatedHttpSender;
import ai.clawfactory.worker.ledger.TurnAttempt;
import ai.clawfactory.worker.ledger.TurnLedger;
import ai.clawfactory.worker.secret.SecretEchoes;
import ai.clawfactory.worker.secret.SecretSource;
import ai.clawfactory.worker.step.StepResult;
import ai.clawfactory.worker.step.TurnContext;
import ai.clawfactory.worker.step.attempt.AttemptRunner;
import ai.clawfactory.worker.step.attempt.Templates;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.micronaut.context.ApplicationContext;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Injection attempts against an {@code http} step, through the real activity to WireMock: each
 * arrives as inert data (one path segment, one query value, one JSON string) or is refused before
 * anything is sent. Secrets reach the endpoint and nothing else.
 */
class HttpStepInjectionTest {

    static final String SECRET = "s3cr3t/hook+tok\"en\\x=1&y";

    @TempDir
    Path dir;

    private WireMockServer wm;
    private ApplicationContext ctx;
    private final List<TestActivityEnvironment> envs = new ArrayList<>();
    private ListAppender<ILoggingEvent> logs;
    private final List<GatedHttpSender> senders = new ArrayList<>();
    /** The step's id: a step that completed is never called again under the same key. */
    private String stepId = "notify";
    /** HTTP_ALLOW_HOSTS naming WireMock with its port: the operator's explicit allowance of loopback. */
    private String local;

    @BeforeEach
    void setUp() throws IOException {
        wm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        wm.start();
        wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("fine")));
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(secrets.resolve("hook-token"), SECRET + "\n");
        Files.writeString(secrets.resolve("unlisted-token"), "not-a-step-secret\n");
        ctx = TestContexts.start(
                dir,
                Files.createDirectories(dir.resolve("defs")),
                Map.of("secrets.dir", secrets.toString(), "secrets.names", "hook-token, not-there"));
        local = "localhost:" + wm.port() + ", 127.0.0.1:" + wm.port();
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        envs.forEach(TestActivityEnvironment::close);
        senders.forEach(GatedHttpSender::close);
        ctx.close();
        wm.stop();
    }

    private HttpCallActivities activities(String allowHosts) {
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        envs.add(env);
        HttpStepsConfig config = new HttpStepsConfig(allowHosts);
        GatedHttpSender sender = new GatedHttpSender(
                new AddressGate(config, ctx.getBean(TemporalConfig.class).address(), AddressGate.SYSTEM),
                Duration.ofSeconds(2));
        senders.add(sender);
        env.registerActivitiesImplementations(new HttpCallActivitiesImpl(
                sender,
                ctx.getBean(Templates.class),
                ctx.getBean(AttemptRunner.class),
                ctx.getBean(SecretSource.class),
                ctx.getBean(TokenSource.class),
                config));
        return env.newActivityStub(
                HttpCallActivities.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofMinutes(1))
                        .setRetryOptions(
                                RetryOptions.newBuilder().setMaximumAttempts(1).build())
                        .build());
    }

    private StepResult call(String url, Map<String, String> headers, String body, Map<String, String> input) {
        return call(local, url, headers, body, input);
    }

    private StepResult call(
            String allowHosts, String url, Map<String, String> headers, String body, Map<String, String> input) {
        TurnContext c = new TurnContext("inject-wf", "run-1", "Inject", "2026-01-01T00:00:00Z", input, Map.of());
        return activities(allowHosts)
                .httpCall(new HttpCallInput(
                        c,
                        stepId,
                        1,
                        Duration.ofSeconds(20),
                        new HttpCallDefinition("POST", url, headers, body, List.of())));
    }

    private ApplicationFailure refused(
            String allowHosts, String url, Map<String, String> headers, String body, Map<String, String> input) {
        ActivityFailure f = assertThrows(ActivityFailure.class, () -> call(allowHosts, url, headers, body, input));
        return assertInstanceOf(ApplicationFailure.class, f.getCause());
    }

    private LoggedRequest onlyRequest() {
        List<LoggedRequest> all = wm.findAll(anyRequestedFor(anyUrl()));
        assertEquals(1, all.size(), "exactly one request arrived");
        return all.get(0);
    }

    private void nothingArrived() {
        assertEquals(0, wm.findAll(anyRequestedFor(anyUrl())).size(), "no request may arrive");
    }

    @Test
    void aHostAndPathInAPathValueArriveAsOneEncodedSegment() {
        call(
                wm.baseUrl() + "/items/{{input.id}}",
                Map.of(),
                null,
                Map.of("id", "@127.0.0.1:7243/api/v1/namespaces/default"));
        assertEquals(
                "/items/%40127.0.0.1%3A7243%2Fapi%2Fv1%2Fnamespaces%2Fdefault",
                onlyRequest().getUrl());
    }

    @Test
    void aClimbingPathValueStaysInsideItsSegment() throws IOException {
        // WireMock's Jetty refuses "..%2F" outright (an ambiguous segment), so a bare JDK server shows what arrives.
        List<String> paths = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer server =
                com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            paths.add(exchange.getRequestURI().getRawPath() + "?"
                    + exchange.getRequestURI().getRawQuery());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            call(
                    "127.0.0.1:" + server.getAddress().getPort(),
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/items/{{input.id}}/view?a=1",
                    Map.of(),
                    null,
                    Map.of("id", "../../admin?x=1#y"));
        } finally {
            server.stop(0);
        }
        assertEquals(List.of("/items/..%2F..%2Fadmin%3Fx%3D1%23y/view?a=1"), paths);
    }

    @Test
    void aDotDotPathValueIsRefusedBeforeSending() {
        ApplicationFailure f =
                refused(local, wm.baseUrl() + "/items/{{input.id}}/delete", Map.of(), null, Map.of("id", ".."));
        assertEquals(Names.FAILURE_INVALID_REQUEST, f.getType());
        nothingArrived();
    }

    @Test
    void queryValuesCannotAddParameters() {
        call(wm.baseUrl() + "/hook?q={{input.q}}&fixed=1", Map.of(), null, Map.of("q", "x&admin=true&fixed=2#frag"));
        LoggedRequest r = onlyRequest();
        assertEquals("x&admin=true&fixed=2#frag", r.queryParameter("q").firstValue());
        assertEquals(List.of("1"), r.queryParameter("fixed").values());
        assertTrue(!r.queryParameter("admin").isPresent(), r.getUrl());
    }

    @Test
    void bodyValuesCannotAddJsonFields() throws IOException {
        String output = "ok\", \"admin\": true, \"x\": \"\u0000\n";
        call(
                wm.baseUrl() + "/hook",
                Map.of(),
                "{\"text\": \"Digest: {{input.note}}\", \"fixed\": 1}",
                Map.of("note", output));
        JsonNode body = new ObjectMapper().readTree(onlyRequest().getBodyAsString());
        List<String> fields = new ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("text", "fixed"), fields);
        assertEquals("Digest: " + output, body.get("text").textValue());
    }

    @Test
    void aHeaderValueWithCrLfIsRefusedAndNothingIsSent() {
        ApplicationFailure f = refused(
                local,
                wm.baseUrl() + "/hook",
                Map.of("X-Note", "{{input.note}}"),
                null,
                Map.of("note", "x\r\nX-Admin: true"));
        assertEquals(Names.FAILURE_INVALID_REQUEST, f.getType());
        assertTrue(f.isNonRetryable());
        assertTrue(f.getOriginalMessage().contains("line break or control character"), f.getOriginalMessage());
        nothingArrived();
        assertEquals(
                TurnAttempt.INVALID,
                ctx.getBean(TurnLedger.class).latest("inject-wf", 1).get(0).status());
    }

    @Test
    void aPlaceholderInTheAuthorityIsRefusedEvenIfItGotPastValidation() {
        for (String url : List.of("http://127.0.0.1:{{input.port}}/x", "http://{{input.host}}/x", "{{input.url}}")) {
            ApplicationFailure f = refused(
                    null,
                    url,
                    Map.of(),
                    null,
                    Map.of(
                            "port",
                            String.valueOf(wm.port()),
                            "host",
                            "127.0.0.1:" + wm.port(),
                            "url",
                            wm.baseUrl() + "/x"));
            assertEquals(Names.FAILURE_INVALID_REQUEST, f.getType(), url);
            assertTrue(f.getOriginalMessage().contains("scheme or host"), f.getOriginalMessage());
        }
        nothingArrived();
    }

    @Test
    void aHostOffTheAllowListIsRefusedAndAListedOneIsCalled() {
        String base = "http://127.0.0.1:" + wm.port();
        ApplicationFailure f = refused("example.org, *.example.net", base + "/hook", Map.of(), null, Map.of());
        assertTrue(
                f.getOriginalMessage().contains("host 127.0.0.1:" + wm.port() + " is not in HTTP_ALLOW_HOSTS"),
                f.getOriginalMessage());
        nothingArrived();
        assertTrue(
                refused("127.0.0.1:1", base + "/hook", Map.of(), null, Map.of())
                        .getOriginalMessage()
                        .contains("is not in HTTP_ALLOW_HOSTS"),
                "the port counts");
        nothingArrived();
        call("example.org, 127.0.0.1:" + wm.port(), base + "/hook", Map.of(), null, Map.of());
        onlyRequest();
    }

    @Test
    void anUpperCaseSchemeIsCalled() {
        call(wm.baseUrl().replace("http://", "HTTP://") + "/hook", Map.of(), null, Map.of());
        assertEquals("/hook", onlyRequest().getUrl());
    }

    @Test
    void secretsReachTheEndpointAndNothingElseEvenWhenItEchoesThem() throws IOException {
        wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody(SecretEchoes.body(SECRET))));
        StepResult r = call(
                wm.baseUrl() + "/hook/{{secret.hook-token}}?key={{secret.hook-token}}",
                Map.of("Authorization", "Bearer {{secret.hook-token}}"),
                "{\"token\": \"{{secret.hook-token}}\"}",
                Map.of());
        LoggedRequest sent = onlyRequest();
        assertEquals("Bearer " + SECRET, sent.getHeader("Authorization"));
        assertEquals(SECRET, sent.queryParameter("key").firstValue());
        assertEquals(
                SECRET,
                new ObjectMapper().readTree(sent.getBodyAsString()).get("token").textValue());

        assertTrue(r.output().contains("[redacted]"), r.output());
        assertNull(SecretEchoes.foundIn(r.output(), SECRET), "secret in the activity result");
        for (TurnAttempt row : ctx.getBean(TurnLedger.class).latest("inject-wf", 10)) {
            for (String field : new String[] {row.request(), row.output(), row.error(), row.gatewayRunId()}) {
                assertNull(SecretEchoes.foundIn(field, SECRET), "secret in the ledger: " + field);
            }
            assertTrue(row.request().contains("/hook/[redacted]?key=[redacted]"), row.request());
        }
        assertNoSecretInLogs();
    }

    @Test
    void anEchoedSecretInAnErrorAnswerIsRedactedFromTheFailure() {
        wm.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(400).withBody(SecretEchoes.body(SECRET))));
        ApplicationFailure f =
                refused(local, wm.baseUrl() + "/hook", Map.of("X-Key", "{{secret.hook-token}}"), null, Map.of());
        assertEquals(Names.FAILURE_GATEWAY_PERMANENT, f.getType());
        assertTrue(f.getOriginalMessage().contains("HTTP 400"), f.getOriginalMessage());
        assertNull(SecretEchoes.foundIn(f.getOriginalMessage(), SECRET), f.getOriginalMessage());
        assertNull(SecretEchoes.foundIn(
                ctx.getBean(TurnLedger.class).latest("inject-wf", 1).get(0).error(), SECRET));
        assertNoSecretInLogs();
    }

    @Test
    void aMissingSecretIsAConfigurationErrorAndNothingIsSent() {
        ApplicationFailure f =
                refused(local, wm.baseUrl() + "/hook", Map.of("X-Key", "{{secret.not-there}}"), null, Map.of());
        assertEquals(Names.FAILURE_CONFIGURATION, f.getType());
        assertTrue(f.isNonRetryable());
        assertTrue(f.getOriginalMessage().contains("Secret 'not-there' not found"), f.getOriginalMessage());
        nothingArrived();
    }

    @Test
    void anEchoStraddlingTheExcerptsCutLeavesNoStartOfTheSecretAnywhere() {
        List<String> echoes = new ArrayList<>(SecretEchoes.of(SECRET));
        // An endpoint that itself cuts what it echoes: only the secret's first characters arrive.
        echoes.add(SECRET.substring(0, 12));
        for (String echo : echoes) {
            logs.list.clear();
            wm.stubFor(any(anyUrl())
                    .willReturn(aResponse().withStatus(400).withBody("rejected: " + "e".repeat(185) + " " + echo)));
            ApplicationFailure f = refused(
                    "127.0.0.1:" + wm.port(),
                    "http://127.0.0.1:" + wm.port() + "/hook",
                    Map.of("Authorization", "Bearer {{secret.hook-token}}"),
                    null,
                    Map.of());
            assertTrue(f.getOriginalMessage().contains("HTTP 400"), f.getOriginalMessage());
            assertNull(SecretEchoes.prefixIn(f.getOriginalMessage(), SECRET, 4), f.getOriginalMessage());
            String stored =
                    ctx.getBean(TurnLedger.class).latest("inject-wf", 1).get(0).error();
            assertNull(SecretEchoes.prefixIn(stored, SECRET, 4), stored);
            for (ILoggingEvent e : logs.list) {
                assertNull(SecretEchoes.prefixIn(e.getFormattedMessage(), SECRET, 4), e.getFormattedMessage());
            }
        }
    }

    @Test
    void loopbackIsRefusedByDefaultAndByNameOrWildcardAndCalledWhenListedWithItsPort() {
        String port = String.valueOf(wm.port());
        for (String allow : new String[] {null, "127.0.0.1", "localhost", "*.0.0.1:" + port, "example.org"}) {
            for (String host : new String[] {"127.0.0.1", "localhost"}) {
                ApplicationFailure f =
                        refused(allow, "http://" + host + ":" + port + "/hook", Map.of(), null, Map.of());
                assertTrue(f.isNonRetryable(), allow + " " + host);
                assertTrue(
                        f.getOriginalMessage().contains("HTTP_ALLOW_HOSTS"),
                        allow + " " + host + ": " + f.getOriginalMessage());
                nothingArrived();
            }
        }
        call("127.0.0.1:" + port, "http://127.0.0.1:" + port + "/hook", Map.of(), null, Map.of());
        stepId = "notify-by-name";
        call("localhost:" + port, "http://localhost:" + port + "/hook", Map.of(), null, Map.of());
        assertEquals(2, wm.findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void temporalsOwnPortsAreRefusedEvenWhenListed() {
        // Temporal "listens" on WireMock's port: as the frontend, its HTTP API (+10) and its UI (+1000).
        for (int offset : new int[] {0, 10, 1000}) {
            int port = wm.port();
            ctx.close();
            ctx = TestContexts.start(
                    dir,
                    dir.resolve("defs"),
                    Map.of(
                            "secrets.dir",
                            dir.resolve("secrets").toString(),
                            "secrets.names",
                            "hook-token",
                            "temporal.address",
                            "127.0.0.1:" + (port - offset)));
            for (String host : new String[] {"127.0.0.1", "localhost"}) {
                ApplicationFailure f =
                        refused(host + ":" + port, "http://" + host + ":" + port + "/hook", Map.of(), null, Map.of());
                assertTrue(f.isNonRetryable(), f.getOriginalMessage());
                assertTrue(f.getOriginalMessage().contains("Temporal"), f.getOriginalMessage());
                nothingArrived();
            }
        }
    }

    @Test
    void aSecretTheOperatorDidNotListIsRefusedNamingTheSetting() {
        // Its file is in SECRETS_DIR, but STEP_SECRETS names only hook-token.
        ApplicationFailure f = refused(
                "127.0.0.1:" + wm.port(),
                "http://127.0.0.1:" + wm.port() + "/hook",
                Map.of("X-Key", "{{secret.unlisted-token}}"),
                null,
                Map.of());
        assertEquals(Names.FAILURE_CONFIGURATION, f.getType());
        assertTrue(f.isNonRetryable());
        assertTrue(f.getOriginalMessage().contains("STEP_SECRETS"), f.getOriginalMessage());
        nothingArrived();
    }

    private void assertNoSecretInLogs() {
        for (ILoggingEvent e : logs.list) {
            assertNull(SecretEchoes.foundIn(e.getFormattedMessage(), SECRET), e.getFormattedMessage());
            if (e.getThrowableProxy() != null) {
                assertNull(SecretEchoes.foundIn(e.getThrowableProxy().getMessage(), SECRET));
            }
        }
    }
}

package ai.clawfactory.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenClaw's {@code POST /hooks/agent} with the bearer token on a loopback port, answering at once as a warm gateway
 * does with {@code waitForCompletion}: {@code 200 {"ok":true,"runId":…,"completion":{"status":"ok"}}}.
 * Every request is journalled with the time it arrived.
 */
final class StubGateway implements AutoCloseable {

    private static final Pattern MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"([^\"]*)\"");

    /** A turn as the gateway saw it: the templated message (the workflow id) and when it arrived. */
    record Turn(String message, Instant receivedAt) {}

    private final WireMockServer server;

    /** Answers only requests with {@code Authorization: Bearer <token>}; any other gets WireMock's 404. */
    StubGateway(String token) {
        server = new WireMockServer(
                options().bindAddress("127.0.0.1").dynamicPort().containerThreads(20));
        server.start();
        server.stubFor(post(urlEqualTo("/hooks/agent"))
                .withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(okJson("{\"ok\":true,\"runId\":\"bench-run\",\"completion\":{\"status\":\"ok\"}}")));
    }

    String url() {
        return server.baseUrl();
    }

    /** Turns received whose message starts with {@code prefix}, oldest first. */
    List<Turn> turns(String prefix) {
        List<Turn> out = new ArrayList<>();
        for (ServeEvent e : server.getAllServeEvents()) {
            Matcher m = MESSAGE.matcher(e.getRequest().getBodyAsString());
            if (m.find() && m.group(1).startsWith(prefix)) {
                out.add(new Turn(m.group(1), e.getRequest().getLoggedDate().toInstant()));
            }
        }
        out.sort(java.util.Comparator.comparing(Turn::receivedAt));
        return out;
    }

    long count(String prefix) {
        return turns(prefix).size();
    }

    /** Forgets the journal (between phases, to keep the harness small). */
    void reset() {
        server.resetRequests();
    }

    @Override
    public void close() {
        server.stop();
    }
}

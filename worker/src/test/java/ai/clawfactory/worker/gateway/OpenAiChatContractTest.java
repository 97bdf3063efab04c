package ai.clawfactory.worker.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.clawfactory.worker.http.GatewayException;
import ai.clawfactory.worker.http.GatewayException.Category;
import org.junit.jupiter.api.Test;

/** {@code openai-chat} as the context builds it: what it adds to the shared contract (the agent's output). */
class OpenAiChatContractTest extends GatewayContextTest {

    @Override
    String kind() {
        return GatewayKinds.OPENAI_CHAT;
    }

    @Test
    void theAgentsOutputIsTheFirstChoicesContent() {
        wm.stubFor(post(urlEqualTo("/v1/chat/completions"))
                .willReturn(okJson("{\"id\":\"chatcmpl-1\",\"choices\":[{\"message\":{\"role\":\"assistant\","
                        + "\"content\":\"Three haiku.\"}}]}")));
        GatewayReply reply = send();
        assertEquals("Three haiku.", reply.output());
        assertEquals("chatcmpl-1", reply.runId());
        wm.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withRequestBody(equalToJson("{\"model\":\"openclaw/main\",\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"Research haiku\"}],\"stream\":false}")));
    }

    @Test
    void chatCompletionsOffIs404AndPermanent() {
        wm.stubFor(post(urlEqualTo("/v1/chat/completions"))
                .willReturn(aResponse().withStatus(404).withBody("Not Found")));
        GatewayException e = failure();
        assertEquals(Category.PERMANENT, e.category());
        assertEquals(404, e.httpStatus());
    }

    @Test
    void noContentIsTransient() {
        wm.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(okJson("{\"choices\":[]}")));
        assertEquals(Category.TRANSIENT, failure().category());
    }

    @Test
    void aWakeIsAConfigurationErrorAndSendsNothing() {
        WakeRequest wake = new WakeRequest("k", "text", "now", READ);
        assertEquals(
                Category.CONFIGURATION,
                assertThrows(GatewayException.class, () -> gateway.wake(wake, "{}"))
                        .category());
        assertEquals(0, wm.getAllServeEvents().size());
    }
}

package ai.clawfactory.worker.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.clawfactory.worker.http.GatewayException.Category;
import org.junit.jupiter.api.Test;

/** {@code cron-fire} (the Python original's legacy endpoint) as the context builds it: what it adds to the shared contract. */
class CronFireContractTest extends GatewayContextTest {

    @Override
    String kind() {
        return GatewayKinds.CRON_FIRE;
    }

    @Test
    void theJobIsFiredWhenTheAnswerSaysOk() {
        wm.stubFor(post(urlEqualTo("/api/cron/fire")).willReturn(okJson("{\"ok\":true,\"runId\":\"c-1\"}")));
        assertEquals("c-1", send().runId());
        wm.verify(postRequestedFor(urlEqualTo("/api/cron/fire"))
                .withRequestBody(equalToJson("{\"job_id\":\"poetry-research-execute\"}")));
    }

    @Test
    void okFalseIsAnAgentErrorAndAServerErrorTransient() {
        wm.stubFor(post(urlEqualTo("/api/cron/fire")).willReturn(okJson("{\"ok\":false,\"error\":\"no such job\"}")));
        assertEquals(Category.AGENT_ERROR, failure().category());
        wm.stubFor(post(urlEqualTo("/api/cron/fire")).willReturn(aResponse().withStatus(500)));
        assertEquals(Category.TRANSIENT, failure().category());
    }
}

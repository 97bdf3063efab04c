package ai.clawfactory.worker.turn;

import ai.clawfactory.core.WorkflowIds;
import ai.clawfactory.core.definition.HttpCallDefinition;
import ai.clawfactory.worker.gateway.GatewayException;
import ai.clawfactory.worker.gateway.GatewayHttp;
import ai.clawfactory.worker.gateway.GatewayReply;
import ai.clawfactory.worker.interpreter.StepResult;
import jakarta.inject.Singleton;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Plain HTTP steps (webhooks, pings). Success is a listed status (or any 2xx); failures are
 * classified like the gateway's. The response body is the step's output.
 */
@Singleton
public class HttpCallActivitiesImpl implements HttpCallActivities {

    private final GatewayHttp http;
    private final Templates templates;
    private final AttemptRunner runner;

    public HttpCallActivitiesImpl(GatewayHttp http, Templates templates, AttemptRunner runner) {
        this.http = http;
        this.templates = templates;
        this.runner = runner;
    }

    @Override
    public StepResult httpCall(HttpCallInput in) {
        TurnContext c = in.context();
        HttpCallDefinition h = in.http();
        String key = WorkflowIds.turnKey(c.workflowId(), c.runId(), in.stepId(), 0);
        String url = templates.render(h.url(), c);
        String body = h.body() == null ? null : templates.render(h.body(), c);
        Map<String, String> headers = new LinkedHashMap<>();
        h.headers().forEach((k, v) -> headers.put(k, templates.render(v, c)));
        headers.putIfAbsent("Idempotency-Key", key);
        AttemptRunner.Attempt attempt = new AttemptRunner.Attempt(key, c, in.stepId(), "http", in.attempt(), "http",
                h.method() + " " + url + (body == null ? "" : "\n" + body));
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw runner.refuse(attempt, "Step '" + in.stepId() + "': '" + url + "' is not a valid URL after templating");
        }
        return runner.run(attempt, () -> {
            GatewayHttp.Exchange x = http.send(h.method(), uri, body, headers, in.timeout());
            boolean ok = h.expectStatus().isEmpty() ? x.status() / 100 == 2 : h.expectStatus().contains(x.status());
            if (!ok) {
                GatewayException e = GatewayHttp.classify(h.method() + " " + uri.getPath(), x, null);
                if (!h.expectStatus().isEmpty() && x.status() / 100 == 2) {
                    throw GatewayException.permanent(h.method() + " " + uri.getPath() + " answered HTTP " + x.status()
                            + ", expected " + h.expectStatus(), x.status());
                }
                throw e;
            }
            return new GatewayReply(x.status(), null, false, x.body());
        });
    }
}

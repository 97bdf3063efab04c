package ai.clawfactory.worker.step.httpcall;

import ai.clawfactory.core.WorkflowIds;
import ai.clawfactory.core.definition.HttpCallDefinition;
import ai.clawfactory.core.definition.HttpTemplates;
import ai.clawfactory.core.definition.StepKind;
import ai.clawfactory.worker.config.HttpStepsConfig;
import ai.clawfactory.worker.gateway.GatewayReply;
import ai.clawfactory.worker.gateway.TokenSource;
import ai.clawfactory.worker.http.GatedHttpSender;
import ai.clawfactory.worker.http.GatewayException;
import ai.clawfactory.worker.http.HttpAnswers;
import ai.clawfactory.worker.http.HttpExchange;
import ai.clawfactory.worker.secret.Redactor;
import ai.clawfactory.worker.secret.SecretSource;
import ai.clawfactory.worker.step.StepResult;
import ai.clawfactory.worker.step.TurnContext;
import ai.clawfactory.worker.step.attempt.AttemptRunner;
import ai.clawfactory.worker.step.attempt.GatewayCalls;
import ai.clawfactory.worker.step.attempt.Templates;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Plain HTTP steps (webhooks, pings). Success is a listed status (or any 2xx); failures are
 * classified like the gateway's. The response body is the step's output.
 * <p>
 * Templates are escaped by where they stand ({@link HttpTemplates}): percent-encoded in the URL,
 * JSON-escaped in the body, CR/LF refused in headers. {@code {{secret.NAME}}} is read here, from
 * the step secrets the operator provides ({@link SecretSource}), and every value read, with the
 * gateway token, is redacted from what is recorded and returned, error bodies before they are cut.
 * The host must be on {@code HTTP_ALLOW_HOSTS} when that is set; the addresses it resolves to pass
 * the {@link ai.clawfactory.worker.http.AddressGate} as the request connects ({@link GatedHttpSender}).
 */
@Singleton
public class HttpCallActivitiesImpl implements HttpCallActivities {

    private final GatedHttpSender http;
    private final Templates templates;
    private final AttemptRunner runner;
    private final SecretSource secrets;
    private final TokenSource tokens;
    private final HttpStepsConfig config;

    public HttpCallActivitiesImpl(
            GatedHttpSender http,
            Templates templates,
            AttemptRunner runner,
            SecretSource secrets,
            TokenSource tokens,
            HttpStepsConfig config) {
        this.http = http;
        this.templates = templates;
        this.runner = runner;
        this.secrets = secrets;
        this.tokens = tokens;
        this.config = config;
    }

    @Override
    public StepResult httpCall(HttpCallInput in) {
        TurnContext c = in.context();
        HttpCallDefinition h = in.http();
        String key = WorkflowIds.turnKey(c.workflowId(), c.runId(), in.stepId(), 0);
        String step = "Step '" + in.stepId() + "'";
        Map<String, String> used = new LinkedHashMap<>();
        Function<String, String> plain = templates.resolver(c);
        Function<String, String> resolver = ref -> HttpTemplates.isSecretRef(ref)
                ? used.computeIfAbsent(HttpTemplates.secretName(ref), secrets::read)
                : plain.apply(ref);
        Redactor tokenOnly = GatewayCalls.tokenRedactor(tokens);
        String url;
        String body;
        Map<String, String> headers = new LinkedHashMap<>();
        try {
            url = HttpTemplates.renderUrl(h.url(), resolver);
            body = h.body() == null ? null : HttpTemplates.renderBody(h.body(), resolver);
            for (Map.Entry<String, String> e : h.headers().entrySet()) {
                headers.put(e.getKey(), HttpTemplates.renderHeader(e.getKey(), e.getValue(), resolver));
            }
        } catch (GatewayException e) {
            // A secret that is not there: our configuration, not the step's.
            throw runner.misconfigured(attempt(key, c, in, null, tokenOnly.with(used.values())), e);
        } catch (IllegalArgumentException e) {
            throw runner.refuse(attempt(key, c, in, null, tokenOnly.with(used.values())), step + ": " + e.getMessage());
        }
        Redactor redactor = tokenOnly.with(used.values());
        headers.putIfAbsent("Idempotency-Key", key);
        // The scheme is literal (checked at load); its case does not matter to HTTP, but does to some clients.
        int colon = url.indexOf(':');
        url = url.substring(0, colon).toLowerCase(Locale.ROOT) + url.substring(colon);
        AttemptRunner.Attempt attempt =
                attempt(key, c, in, h.method() + " " + url + (body == null ? "" : "\n" + body), redactor);
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw runner.refuse(attempt, step + ": '" + url + "' is not a valid URL after templating");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw runner.refuse(attempt, step + ": '" + url + "' has no host or carries user info");
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        if (!config.allows(uri.getHost(), port)) {
            throw runner.refuse(
                    attempt,
                    step + ": host " + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
                            + " is not in HTTP_ALLOW_HOSTS (" + String.join(", ", config.hosts())
                            + "); add it there or change the URL");
        }
        String what = h.method() + " " + uri.getRawPath();
        return runner.run(attempt, () -> {
            HttpExchange x = http.send(h.method(), uri, body, headers, in.timeout());
            boolean ok = h.expectStatus().isEmpty()
                    ? x.status() / 100 == 2
                    : h.expectStatus().contains(x.status());
            if (!ok) {
                GatewayException e = HttpAnswers.classify(what, x, redactor.excerpt(x.body()));
                if (!h.expectStatus().isEmpty() && x.status() / 100 == 2) {
                    throw GatewayException.permanent(
                            what + " answered HTTP " + x.status() + ", expected " + h.expectStatus(), x.status());
                }
                throw e;
            }
            return new GatewayReply(x.status(), null, false, x.body());
        });
    }

    private static AttemptRunner.Attempt attempt(
            String key, TurnContext c, HttpCallInput in, String request, Redactor r) {
        return new AttemptRunner.Attempt(key, c, in.stepId(), StepKind.HTTP, in.attempt(), "http", request, r);
    }
}

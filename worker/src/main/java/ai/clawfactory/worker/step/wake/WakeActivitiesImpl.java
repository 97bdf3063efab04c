package ai.clawfactory.worker.step.wake;

import ai.clawfactory.core.WorkflowIds;
import ai.clawfactory.core.definition.StepKind;
import ai.clawfactory.worker.gateway.GatewayClient;
import ai.clawfactory.worker.gateway.GatewayJson;
import ai.clawfactory.worker.gateway.TokenSource;
import ai.clawfactory.worker.gateway.WakeRequest;
import ai.clawfactory.worker.step.StepResult;
import ai.clawfactory.worker.step.TurnContext;
import ai.clawfactory.worker.step.attempt.AttemptRunner;
import ai.clawfactory.worker.step.attempt.GatewayCalls;
import ai.clawfactory.worker.step.attempt.Templates;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;

/**
 * Wake steps: render the text, {@code POST /hooks/wake {text, mode}}, record the attempt. Failures
 * are classified and retried like agent turns (the same {@link AttemptRunner}).
 */
@Singleton
public class WakeActivitiesImpl implements WakeActivities {

    private final GatewayClient gateway;
    private final GatewayJson json;
    private final Templates templates;
    private final AttemptRunner runner;
    private final TokenSource tokens;

    public WakeActivitiesImpl(
            GatewayClient gateway, GatewayJson json, Templates templates, AttemptRunner runner, TokenSource tokens) {
        this.gateway = gateway;
        this.json = json;
        this.templates = templates;
        this.runner = runner;
        this.tokens = tokens;
    }

    @Override
    public StepResult wake(WakeInput in) {
        TurnContext c = in.context();
        String key = WorkflowIds.turnKey(c.workflowId(), c.runId(), in.stepId(), 0);
        WakeRequest request = new WakeRequest(
                key, templates.render(in.wake().text(), c), in.wake().mode(), GatewayCalls.readTimeout(in.timeout()));
        String body = json.write(request.body());
        AttemptRunner.Attempt attempt = new AttemptRunner.Attempt(
                key,
                c,
                in.stepId(),
                StepKind.WAKE,
                in.attempt(),
                gateway.kind(),
                body,
                GatewayCalls.tokenRedactor(tokens));
        if (body.getBytes(StandardCharsets.UTF_8).length > GatewayCalls.MAX_BODY_BYTES) {
            throw runner.refuse(
                    attempt,
                    "The wake text of step '" + in.stepId() + "' is over 256 KiB; the gateway accepts "
                            + "at most 256 KiB. Shorten it.");
        }
        return runner.run(attempt, () -> gateway.wake(request, body));
    }
}

package ai.clawfactory.worker.turn;

import ai.clawfactory.core.WorkflowIds;
import ai.clawfactory.worker.gateway.GatewayClient;
import ai.clawfactory.worker.gateway.GatewayJson;
import ai.clawfactory.worker.gateway.TokenSource;
import ai.clawfactory.worker.gateway.WakeRequest;
import ai.clawfactory.worker.step.StepResult;
import ai.clawfactory.worker.step.TurnContext;
import ai.clawfactory.worker.step.WakeActivities;
import ai.clawfactory.worker.step.WakeInput;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Wake steps: render the text, {@code POST /hooks/wake {text, mode}}, record the attempt. Failures
 * are classified and retried like agent turns (the same {@link AttemptRunner}).
 */
@Singleton
public class WakeActivitiesImpl implements WakeActivities {

    private static final Duration READ_MARGIN = Duration.ofSeconds(5);

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
        Duration read = in.timeout().compareTo(READ_MARGIN.multipliedBy(2)) > 0
                ? in.timeout().minus(READ_MARGIN)
                : in.timeout();
        WakeRequest request = new WakeRequest(
                key, templates.render(in.wake().text(), c), in.wake().mode(), read);
        String body = json.write(request.body());
        AttemptRunner.Attempt attempt = new AttemptRunner.Attempt(
                key,
                c,
                in.stepId(),
                "wake",
                in.attempt(),
                gateway.kind(),
                body,
                AgentTurnActivitiesImpl.tokenRedactor(tokens));
        if (body.getBytes(StandardCharsets.UTF_8).length > AgentTurnActivitiesImpl.MAX_BODY_BYTES) {
            throw runner.refuse(
                    attempt,
                    "The wake text of step '" + in.stepId() + "' is over 256 KiB; the gateway accepts "
                            + "at most 256 KiB. Shorten it.");
        }
        return runner.run(attempt, () -> gateway.wake(request, body));
    }
}

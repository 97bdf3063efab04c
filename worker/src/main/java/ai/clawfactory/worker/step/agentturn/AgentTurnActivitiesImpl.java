package ai.clawfactory.worker.step.agentturn;

import ai.clawfactory.core.WorkflowIds;
import ai.clawfactory.core.definition.AgentTurnDefinition;
import ai.clawfactory.core.definition.StepKind;
import ai.clawfactory.worker.gateway.GatewayClient;
import ai.clawfactory.worker.gateway.TokenSource;
import ai.clawfactory.worker.gateway.TurnRequest;
import ai.clawfactory.worker.http.GatewayException;
import ai.clawfactory.worker.secret.Redactor;
import ai.clawfactory.worker.step.StepResult;
import ai.clawfactory.worker.step.TurnContext;
import ai.clawfactory.worker.step.attempt.AttemptRunner;
import ai.clawfactory.worker.step.attempt.Failures;
import ai.clawfactory.worker.step.attempt.GatewayCalls;
import ai.clawfactory.worker.step.attempt.Templates;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;

/** Agent turns: render the message, send it to the configured gateway, record the attempt. */
@Singleton
public class AgentTurnActivitiesImpl implements AgentTurnActivities {

    private final GatewayClient gateway;
    private final Templates templates;
    private final AttemptRunner runner;
    private final TokenSource tokens;

    public AgentTurnActivitiesImpl(
            GatewayClient gateway, Templates templates, AttemptRunner runner, TokenSource tokens) {
        this.gateway = gateway;
        this.templates = templates;
        this.runner = runner;
        this.tokens = tokens;
    }

    @Override
    public StepResult agentTurn(TurnInput in) {
        TurnContext c = in.context();
        String key = WorkflowIds.turnKey(c.workflowId(), c.runId(), in.stepId(), in.generation());
        AgentTurnDefinition t = in.turn();
        AgentTurnDefinition rendered = t.withMessage(templates.render(t.message(), c));
        TurnRequest request = new TurnRequest(key, rendered, GatewayCalls.readTimeout(in.timeout()));
        String body;
        try {
            body = gateway.body(request);
        } catch (GatewayException e) {
            throw Failures.toFailure(e, Redactor.NONE);
        }
        Redactor redactor = GatewayCalls.tokenRedactor(tokens);
        AttemptRunner.Attempt attempt = new AttemptRunner.Attempt(
                key, c, in.stepId(), StepKind.AGENT_TURN, in.attempt(), gateway.kind(), body, redactor);
        int size = body.getBytes(StandardCharsets.UTF_8).length;
        if (size > GatewayCalls.MAX_BODY_BYTES) {
            throw runner.refuse(
                    attempt,
                    "The request for step '" + in.stepId() + "' is " + (size / 1024)
                            + " KiB; the gateway accepts at most 256 KiB. Shorten the message or pass large outputs "
                            + "by summary instead of {{steps.<id>.output}}.");
        }
        // An unmet output check is an agent error inside the call: recorded as such, retried with a new key.
        return runner.run(
                attempt,
                () -> OutputChecks.check(
                        t.expect(), gateway.kind(), in.stepId(), gateway.send(request, body), redactor));
    }
}

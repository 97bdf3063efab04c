package ai.clawfactory.worker.step.httpcall;

import ai.clawfactory.core.definition.HttpCallDefinition;
import ai.clawfactory.worker.step.StepCall;
import ai.clawfactory.worker.step.StepResult;
import ai.clawfactory.worker.step.activity.ActivityRunner;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;

/** The {@code http} kind, workflow side: one {@code HttpCall} activity per attempt. */
public final class HttpCallRunner extends ActivityRunner<HttpCallDefinition> {

    public HttpCallRunner() {
        super(HttpCallDefinition.class);
    }

    @Override
    protected StepResult call(HttpCallDefinition http, StepCall c, ActivityOptions options) {
        return Workflow.newActivityStub(HttpCallActivities.class, options)
                .httpCall(new HttpCallInput(c.context(), c.stepId(), c.attempt(), c.timeout(), http));
    }
}

package ai.clawfactory.worker.step.approval;

import ai.clawfactory.core.approval.DecisionResult;
import ai.clawfactory.core.definition.ApprovalDefinition;
import ai.clawfactory.core.definition.Describe;
import ai.clawfactory.core.definition.Durations;
import ai.clawfactory.core.definition.StepDefinition;
import ai.clawfactory.core.definition.StepKind;
import ai.clawfactory.core.logging.LogText;
import ai.clawfactory.worker.step.NotRetried;
import ai.clawfactory.worker.step.StepResult;
import ai.clawfactory.worker.step.StepRun;
import ai.clawfactory.worker.step.StepRunner;
import ai.clawfactory.worker.step.StepStatus;
import ai.clawfactory.worker.step.TurnContext;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * The {@code approval} kind, workflow side: not one activity per attempt but a wait for a person.
 * It opens the approval ({@code ApprovalOpen}: the prompt rendered, the link and the command),
 * runs the {@code notify:} call, if any, through that kind's own runner (its own ledger rows, its
 * retries), registers the step as pending in the run's {@link Approvals} (where the {@code decide}
 * Update finds it), waits on a timer until a decision or the timeout, records the outcome in the
 * ledger ({@code ApprovalRecord}) and ends the step: approved is ok with the {@link DecisionResult}
 * as JSON output; rejected fails (not retried); a timeout as {@code onTimeout} says.
 */
public final class ApprovalRunner implements StepRunner {

    private static final Logger LOG = Workflow.getLogger(ApprovalRunner.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String APPROVED = "approved";
    static final String REJECTED = "rejected";
    static final String TIMED_OUT = "timed_out";

    private final Function<StepKind, StepRunner> notifiers;

    /** An approval runner that sends a {@code notify:} call through {@code notifiers} (the runner of its kind). */
    public ApprovalRunner(Function<StepKind, StepRunner> notifiers) {
        this.notifiers = notifiers;
    }

    @Override
    public StepResult run(StepDefinition step, StepRun run) {
        ApprovalDefinition a = step.approval();
        ApprovalActivities activities = activities(step.id() + ": open the approval");
        run.attempting(1);
        ApprovalOpened opened;
        try {
            opened = activities.open(new ApprovalInput(run.context(), step.id(), a.prompt()));
        } catch (ActivityFailure f) {
            if (CancellationScope.current().isCancelRequested()) {
                throw f;
            }
            return StepResult.failed(step.id(), StepKind.APPROVAL, "could not open the approval: " + reason(f), 1);
        }
        if (a.notification() != null) {
            StepDefinition notify = StepDefinition.of(
                    step.id(),
                    null,
                    step.timeout(),
                    step.retry(),
                    false,
                    a.notification().action());
            StepResult sent = notifiers
                    .apply(StepKind.ofKey(a.notification().kind()))
                    .run(notify, new NotifyRun(run, run.context().withApproval(opened.fields())));
            if (sent.status() != StepStatus.OK) {
                return StepResult.failed(
                        step.id(),
                        StepKind.APPROVAL,
                        "could not notify (" + a.notification().kind() + "): " + sent.error(),
                        sent.attempts());
            }
        }

        Instant deadline = Instant.ofEpochMilli(Workflow.currentTimeMillis()).plus(a.timeout());
        Approvals approvals = Approvals.current();
        Approvals.Entry pending = approvals.open(step.id(), opened.prompt(), deadline, a.channels());
        run.pausing(deadline, "waiting for approval by " + String.join(", ", a.channels()), false);
        try {
            Promise<?>[] timer = new Promise<?>[1];
            CancellationScope scope = Workflow.newCancellationScope(() -> {
                timer[0] = Workflow.newTimer(
                        a.timeout(),
                        TimerOptions.newBuilder()
                                .setSummary(Describe.step(step))
                                .build());
                Workflow.await(() -> timer[0].isCompleted() || pending.decided());
            });
            scope.run();
            if (pending.decided()) {
                scope.cancel();
            } else {
                approvals.timedOut(pending);
            }
        } catch (CanceledFailure c) {
            approvals.timedOut(pending);
            run.cancelled(StepResult.cancelled(step.id(), StepKind.APPROVAL, 1));
            throw c;
        } finally {
            run.resumed();
        }

        DecisionResult decision = pending.result;
        String status;
        String error = null;
        StepResult result;
        if (decision != null) {
            status = decision.decision();
            LOG.info(
                    "Step '{}' {} by {} via {}",
                    step.id(),
                    status,
                    LogText.oneLine(String.valueOf(decision.who())),
                    decision.channel());
            if (APPROVED.equals(status)) {
                result = ok(step, decision);
            } else {
                error = "rejected by " + decision.who() + " via " + decision.channel()
                        + (decision.note() == null || decision.note().isBlank() ? "" : ": " + decision.note());
                result = StepResult.failed(step.id(), StepKind.APPROVAL, error, 1);
            }
        } else {
            status = TIMED_OUT;
            String waited = "no decision within " + Durations.format(a.timeout());
            LOG.info("Step '{}' timed out ({}; onTimeout: {})", step.id(), waited, a.timeoutMeans());
            switch (a.timeoutMeans()) {
                case ApprovalDefinition.ON_TIMEOUT_APPROVE ->
                    result = ok(
                            step,
                            new DecisionResult(
                                    step.id(),
                                    APPROVED,
                                    null,
                                    null,
                                    waited + " (onTimeout: approve)",
                                    deadline.toString()));
                case ApprovalDefinition.ON_TIMEOUT_REJECT -> {
                    error = "rejected: " + waited + " (onTimeout: reject)";
                    result = StepResult.failed(step.id(), StepKind.APPROVAL, error, 1);
                }
                default -> {
                    error = "timed out: " + waited;
                    result = StepResult.failed(step.id(), StepKind.APPROVAL, error, 1);
                }
            }
        }
        try {
            activities(step.id() + ": record the decision (" + status + ")")
                    .record(new ApprovalRecord(run.context(), step.id(), opened.prompt(), status, decision, error));
        } catch (ActivityFailure f) {
            if (CancellationScope.current().isCancelRequested()) {
                throw f;
            }
            LOG.error("Could not record the decision of step '{}' in the ledger: {}", step.id(), reason(f));
        }
        return result;
    }

    /** The approval activities with {@code summary}: short calls to the worker and its ledger, retried. */
    private static ApprovalActivities activities(String summary) {
        return Workflow.newActivityStub(
                ApprovalActivities.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofSeconds(30))
                        .setRetryOptions(RetryOptions.newBuilder()
                                .setInitialInterval(Duration.ofSeconds(1))
                                .setMaximumInterval(Duration.ofSeconds(30))
                                .setMaximumAttempts(10)
                                .setDoNotRetry(NotRetried.failureTypes())
                                .build())
                        .setSummary(summary)
                        .build());
    }

    /** An approved step: ok, its output the decision as JSON ({@code {{steps.X.output}}} reads who, channel, note). */
    private static StepResult ok(StepDefinition step, DecisionResult decision) {
        String output;
        try {
            output = JSON.writeValueAsString(decision);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new StepResult(step.id(), StepKind.APPROVAL, StepStatus.OK, null, output, null, null, null, 1);
    }

    private static String reason(ActivityFailure f) {
        return f.getCause() == null ? f.getMessage() : f.getCause().getMessage();
    }

    /** The approval's run as its {@code notify:} call sees it: the same run, with {@code approval.*} to read. */
    private record NotifyRun(StepRun run, TurnContext context) implements StepRun {

        @Override
        public boolean summaries() {
            return run.summaries();
        }

        @Override
        public void attempting(int attempt) {
            run.attempting(attempt);
        }

        @Override
        public void pausing(Instant wakeTime, String doing, boolean backoff) {
            run.pausing(wakeTime, doing, backoff);
        }

        @Override
        public boolean skipRequested() {
            return run.skipRequested();
        }

        @Override
        public void resumed() {
            run.resumed();
        }

        @Override
        public void cancelled(StepResult result) {
            run.cancelled(result);
        }
    }
}

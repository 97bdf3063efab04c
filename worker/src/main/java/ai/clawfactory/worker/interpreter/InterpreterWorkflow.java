package ai.clawfactory.worker.interpreter;

import ai.clawfactory.core.Names;
import ai.clawfactory.core.WorkflowIds;
import ai.clawfactory.core.definition.AlertsDefinition;
import ai.clawfactory.core.definition.Describe;
import ai.clawfactory.core.definition.Durations;
import ai.clawfactory.core.definition.Expressions;
import ai.clawfactory.core.definition.RetryDefinition;
import ai.clawfactory.core.definition.StepDefinition;
import ai.clawfactory.core.definition.WaitDefinition;
import ai.clawfactory.core.definition.WorkflowDefinition;
import ai.clawfactory.worker.alert.RunOutcome;
import ai.clawfactory.worker.alert.RunReportActivities;
import ai.clawfactory.worker.step.AgentTurnActivities;
import ai.clawfactory.worker.step.HttpCallActivities;
import ai.clawfactory.worker.step.HttpCallInput;
import ai.clawfactory.worker.step.RetryAfter;
import ai.clawfactory.worker.step.StepResult;
import ai.clawfactory.worker.step.TurnContext;
import ai.clawfactory.worker.step.TurnInput;
import ai.clawfactory.worker.step.WakeActivities;
import ai.clawfactory.worker.step.WakeInput;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.common.converter.EncodedValues;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.DynamicQueryHandler;
import io.temporal.workflow.DynamicSignalHandler;
import io.temporal.workflow.DynamicWorkflow;
import io.temporal.workflow.Promise;
import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * One interpreter serves every defined workflow type. At start it pins the type's definition into
 * history (a local activity), so edits to the file only affect new runs; then it walks the steps.
 *
 * <p>Turns are retried here, one activity per attempt, rather than by server-side activity
 * retries: the {@code status} query can then report the attempt, a settled agent error gets a
 * fresh idempotency key (the gateway would otherwise replay the same error), {@code Retry-After}
 * sets the next delay exactly, and {@code skipWait} can cut a backoff short.
 *
 * <p><b>Versioning policy</b> (in full in {@code package-info.java}): every change to the
 * sequence of commands this class issues, for any history that could already exist, is guarded
 * by {@code Workflow.getVersion} with a new change id ({@code CHANGE_*} below).
 */
public class InterpreterWorkflow implements DynamicWorkflow {

    private static final Logger LOG = Workflow.getLogger(InterpreterWorkflow.class);
    private static final Duration MAX_HEARTBEAT_TIMEOUT = Duration.ofSeconds(20);
    /**
     * Change id: summaries on activities and timers, search attributes (version 1); a run indexed
     * by the search attributes no longer repeats its definition in the memo (version 2).
     */
    static final String CHANGE_UI_METADATA = "ui-metadata";
    /** Change id: a run whose definition has alerts reports its end to the type's alert workflow (version 1). */
    static final String CHANGE_ALERTS = "alerts";
    /** Change id: workflow input must be scalars of bounded size (new runs only). */
    static final String CHANGE_STRICT_INPUT = "strict-input";

    private final Map<String, StepResult> results = new LinkedHashMap<>();
    private String workflowType;
    private String definitionVersion;
    private String currentStep;
    private String kind = "starting";
    private int attempt;
    private String nextWakeTime;
    private boolean skipRequested;
    /** Version of {@link #CHANGE_UI_METADATA} this run was started with. */
    private int ui;

    private int stepIndex;
    private int steps;

    @Override
    public Object execute(EncodedValues args) {
        WorkflowInfo info = Workflow.getInfo();
        workflowType = info.getWorkflowType();
        Workflow.registerListener((DynamicQueryHandler) (name, queryArgs) -> {
            if (Names.QUERY_STATUS.equals(name)) {
                return status();
            }
            throw new IllegalArgumentException(
                    "Unknown query '" + name + "'; this workflow answers '" + Names.QUERY_STATUS + "'");
        });
        Workflow.registerListener((DynamicSignalHandler) (name, signalArgs) -> {
            if (Names.SIGNAL_SKIP_WAIT.equals(name)) {
                skipRequested = true;
            } else {
                LOG.warn("Ignoring unknown signal '{}' (this workflow accepts '{}')", name, Names.SIGNAL_SKIP_WAIT);
            }
        });

        // Version 1: every command carries a summary for the Web UI, waits are summarised timers,
        // runs are indexed by search attributes (when the namespace has them).
        // Version 2: an indexed run names its definition in the search attributes only; the memo
        // said the same again, and every upsert is one more event and visibility write per run.
        ui = Workflow.getVersion(CHANGE_UI_METADATA, Workflow.DEFAULT_VERSION, 2);
        LocalActivityOptions.Builder load = LocalActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(30))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build());
        if (ui >= 1) {
            load.setSummary("load the definition of " + workflowType);
        }
        LoadedDefinition loaded = Workflow.newLocalActivityStub(DefinitionActivities.class, load.build())
                .loadDefinition(workflowType);
        WorkflowDefinition definition = loaded.definition();
        if (definition == null && loaded.refusal() != null) {
            throw ApplicationFailure.newNonRetryableFailure(
                    "Workflow type '" + workflowType + "' is declared in a "
                            + "definition file with problems, so no new run can start until it is fixed (./clawfactory validate):\n"
                            + loaded.refusal(),
                    Names.FAILURE_INVALID_DEFINITION);
        }
        if (definition == null) {
            throw ApplicationFailure.newNonRetryableFailure(
                    "No definition for workflow type '" + workflowType
                            + "'. Known types: "
                            + (loaded.knownTypes().isEmpty() ? "none" : String.join(", ", loaded.knownTypes()))
                            + ". Add a file to the definitions folder or start one of the known types.",
                    Names.FAILURE_UNKNOWN_WORKFLOW_TYPE);
        }
        definitionVersion = definition.version();
        boolean indexed = ui >= 1 && Boolean.TRUE.equals(loaded.indexed());
        if (!indexed || ui < 2) {
            Workflow.upsertMemo(Map.of(
                    Names.MEMO_DEFINITION, definition.name(),
                    Names.MEMO_DEFINITION_VERSION, definition.version()));
        }
        if (indexed) {
            Workflow.upsertTypedSearchAttributes(
                    SearchAttributes.DEFINITION.valueSet(definition.name()),
                    SearchAttributes.DEFINITION_VERSION.valueSet(definition.version()));
        }
        steps = definition.steps().size();

        Map<String, String> input = Map.of();
        try {
            input = WorkflowInput.read(args, definition);
            runSteps(definition, info, input);
        } catch (ApplicationFailure failure) {
            report(definition, info, input, false, failure.getOriginalMessage());
            throw failure;
        }
        currentStep = null;
        kind = "done";
        nextWakeTime = null;
        progress("done");
        report(definition, info, input, true, null);
        return new RunResult(workflowType, definitionVersion, ordered(results));
    }

    /**
     * Tells the type's alert workflow how the run ended, when the definition has alerts. Definitions
     * pinned before alerts existed have none, so their histories never reach the version marker.
     * A report that fails after its retries is logged; it never changes the run's own outcome. It
     * names the definition version, never the alerts block: the alert workflow reads its own.
     */
    private void report(
            WorkflowDefinition definition, WorkflowInfo info, Map<String, String> input, boolean ok, String message) {
        AlertsDefinition alerts = definition.alerts();
        if (alerts == null
                || (alerts.onFailure() == null && alerts.onRecovery() == null)
                || Workflow.getVersion(CHANGE_ALERTS, Workflow.DEFAULT_VERSION, 1) < 1) {
            return;
        }
        StepResult failed = ok || currentStep == null ? null : results.get(currentStep);
        RunOutcome outcome = new RunOutcome(
                workflowType,
                info.getWorkflowId(),
                info.getRunId(),
                Instant.ofEpochMilli(info.getRunStartedTimestampMillis()).toString(),
                ok,
                ok ? null : currentStep == null ? "(input)" : currentStep,
                message,
                failed == null ? 0 : failed.attempts(),
                input,
                null,
                null,
                definitionVersion);
        ActivityOptions options = ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(30))
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofSeconds(1))
                        .setMaximumInterval(Duration.ofSeconds(30))
                        .setMaximumAttempts(10)
                        .build())
                .setSummary(
                        "report " + (ok ? "success" : "failure") + " to " + WorkflowIds.alertsWorkflowId(workflowType))
                .build();
        try {
            Workflow.newActivityStub(RunReportActivities.class, options).reportRun(outcome);
        } catch (ActivityFailure f) {
            LOG.error(
                    "Could not report the end of this run to {}: {}; no alert will be sent for it",
                    WorkflowIds.alertsWorkflowId(workflowType),
                    f.getCause() == null ? f.getMessage() : f.getCause().getMessage());
        }
    }

    private void runSteps(WorkflowDefinition definition, WorkflowInfo info, Map<String, String> input) {
        TurnContext base = new TurnContext(
                info.getWorkflowId(),
                info.getRunId(),
                workflowType,
                Instant.ofEpochMilli(info.getRunStartedTimestampMillis()).toString(),
                input,
                Map.of());

        for (StepDefinition step : definition.steps()) {
            currentStep = step.id();
            attempt = 0;
            stepIndex++;
            progress(Describe.what(step));
            if (!Expressions.evaluate(step.when(), ref -> truth(ref, input))) {
                LOG.info("Step '{}' skipped: condition '{}' is false", step.id(), step.when());
                results.put(
                        step.id(),
                        new StepResult(
                                step.id(),
                                step.kind(),
                                StepResult.SKIPPED,
                                null,
                                null,
                                null,
                                null,
                                "condition '" + step.when() + "' was false",
                                0));
                continue;
            }
            StepResult result;
            if (step.waitFor() != null) {
                kind = "wait";
                waitFor(durationOf(step.waitFor()), Describe.step(step), Describe.what(step));
                result = new StepResult(step.id(), "wait", StepResult.OK, null, null, null, null, null, 1);
            } else {
                TurnContext context = new TurnContext(
                        base.workflowId(),
                        base.runId(),
                        base.workflowType(),
                        base.startTime(),
                        input,
                        ordered(results));
                result = runWithRetries(step, context);
            }
            results.put(step.id(), result);
            if (StepResult.FAILED.equals(result.status()) && !step.continueOnFailure()) {
                kind = "failed";
                throw ApplicationFailure.newNonRetryableFailure(
                        "Step '" + step.id() + "' of " + workflowType + " failed after " + result.attempts()
                                + " attempt(s): " + result.error(),
                        Names.FAILURE_STEP_FAILED);
            }
        }
    }

    private StepResult runWithRetries(StepDefinition step, TurnContext context) {
        RetryDefinition retry = step.retry();
        ActivityOptions options = ActivityOptions.newBuilder()
                .setStartToCloseTimeout(step.timeout())
                .setHeartbeatTimeout(
                        step.timeout().compareTo(MAX_HEARTBEAT_TIMEOUT) < 0 ? step.timeout() : MAX_HEARTBEAT_TIMEOUT)
                .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
                // One activity per attempt; the loop below retries (see the class comment).
                .setRetryOptions(RetryOptions.newBuilder()
                        .setMaximumAttempts(1)
                        .setDoNotRetry(
                                Names.FAILURE_GATEWAY_PERMANENT,
                                Names.FAILURE_INVALID_REQUEST,
                                Names.FAILURE_CONFIGURATION)
                        .build())
                .build();
        int generation = 0;
        String lastError = null;
        for (attempt = 1; attempt <= retry.maximumAttempts(); attempt++) {
            kind = step.kind();
            nextWakeTime = null;
            ActivityOptions attemptOptions = options;
            if (ui >= 1) {
                attemptOptions = ActivityOptions.newBuilder(options)
                        .setSummary(Describe.step(step)
                                + (retry.maximumAttempts() > 1
                                        ? " (attempt " + attempt + " of " + retry.maximumAttempts() + ")"
                                        : ""))
                        .build();
            }
            progress(Describe.what(step));
            try {
                StepResult r;
                if (step.agentTurn() != null) {
                    r = Workflow.newActivityStub(AgentTurnActivities.class, attemptOptions)
                            .agentTurn(new TurnInput(
                                    context, step.id(), attempt, generation, step.timeout(), step.agentTurn()));
                } else if (step.wake() != null) {
                    // A kind added after the first release: histories of older definitions never reach this branch.
                    r = Workflow.newActivityStub(WakeActivities.class, attemptOptions)
                            .wake(new WakeInput(context, step.id(), attempt, step.timeout(), step.wake()));
                } else {
                    r = Workflow.newActivityStub(HttpCallActivities.class, attemptOptions)
                            .httpCall(new HttpCallInput(context, step.id(), attempt, step.timeout(), step.http()));
                }
                return r.withAttempts(attempt);
            } catch (ActivityFailure f) {
                if (f.getCause() instanceof CanceledFailure || isCancelRequested()) {
                    results.put(
                            step.id(),
                            new StepResult(
                                    step.id(),
                                    step.kind(),
                                    StepResult.CANCELLED,
                                    null,
                                    null,
                                    null,
                                    null,
                                    "cancelled",
                                    attempt));
                    throw f;
                }
                Duration retryAfter = null;
                if (f.getCause() instanceof ApplicationFailure af) {
                    lastError = af.getOriginalMessage();
                    if (af.isNonRetryable()) {
                        LOG.warn("Step '{}' attempt {} failed permanently: {}", step.id(), attempt, lastError);
                        return failed(step, lastError, attempt);
                    }
                    if (Names.FAILURE_AGENT_RUN.equals(af.getType())) {
                        generation++;
                    }
                    retryAfter = RetryAfter.delayOf(af);
                } else if (f.getCause() instanceof TimeoutFailure t) {
                    lastError = "timed out (" + t.getTimeoutType() + ") after " + step.timeout();
                } else {
                    lastError =
                            f.getCause() == null ? f.getMessage() : f.getCause().getMessage();
                }
                if (attempt >= retry.maximumAttempts()) {
                    break;
                }
                Duration delay = retryAfter != null ? retryAfter : backoff(retry, attempt);
                LOG.info("Step '{}' attempt {} failed ({}); retrying in {}", step.id(), attempt, lastError, delay);
                kind = "backoff";
                waitFor(
                        delay,
                        step.id() + ": retry in " + Durations.format(delay) + " (attempt " + attempt + " of "
                                + retry.maximumAttempts() + " failed: " + abbreviate(lastError, 120) + ")",
                        "retry in " + Durations.format(delay) + " after attempt " + attempt + " failed");
            }
        }
        attempt = retry.maximumAttempts();
        return failed(step, lastError, retry.maximumAttempts());
    }

    private static StepResult failed(StepDefinition step, String error, int attempts) {
        return new StepResult(step.id(), step.kind(), StepResult.FAILED, null, null, null, null, error, attempts);
    }

    private boolean isCancelRequested() {
        return CancellationScope.current().isCancelRequested();
    }

    /** Delay before attempt {@code n + 1}: initial × coefficient^(n-1), capped. */
    static Duration backoff(RetryDefinition retry, int n) {
        double millis = retry.initialInterval().toMillis() * Math.pow(retry.backoffCoefficient(), n - 1);
        long capped = (long) Math.min(millis, retry.maximumInterval().toMillis());
        return Duration.ofMillis(capped);
    }

    /** A durable wait that {@code skipWait} ends early; from version 1 a timer with a summary. */
    private void waitFor(Duration d, String summary, String doing) {
        skipRequested = false;
        nextWakeTime =
                Instant.ofEpochMilli(Workflow.currentTimeMillis()).plus(d).toString();
        progress(doing);
        boolean skipped;
        if (ui >= 1) {
            // The same commands as Workflow.await(d, condition): a timer, cancelled when skipped.
            Promise<?>[] timer = new Promise<?>[1];
            CancellationScope scope = Workflow.newCancellationScope(() -> {
                timer[0] = Workflow.newTimer(
                        d, TimerOptions.newBuilder().setSummary(summary).build());
                Workflow.await(() -> timer[0].isCompleted() || skipRequested);
            });
            scope.run();
            skipped = !timer[0].isCompleted();
            if (skipped) {
                scope.cancel();
            }
        } else {
            skipped = Workflow.await(d, () -> skipRequested);
        }
        if (skipped) {
            LOG.info("Wait in step '{}' ended early by {}", currentStep, Names.SIGNAL_SKIP_WAIT);
        }
        skipRequested = false;
        nextWakeTime = null;
    }

    /**
     * The run's current details in the Web UI (Markdown): step, what it does, attempt, next wake,
     * the steps done so far. Not a command: it is read through a query, so it needs no version.
     */
    private void progress(String doing) {
        StringBuilder sb = new StringBuilder();
        if (currentStep == null) {
            sb.append("**done** after ").append(results.size()).append(" step(s)");
        } else {
            sb.append("**step ")
                    .append(stepIndex)
                    .append(" of ")
                    .append(steps)
                    .append("**: ")
                    .append(currentStep)
                    .append(" — ")
                    .append(doing);
            if (attempt > 0) {
                sb.append(" · attempt ").append(attempt);
            }
            if (nextWakeTime != null) {
                sb.append(" · wakes ").append(nextWakeTime);
            }
        }
        if (!results.isEmpty()) {
            sb.append("\n\n");
            results.values()
                    .forEach(r -> sb.append("- ")
                            .append(r.stepId())
                            .append(": ")
                            .append(r.status())
                            .append(r.attempts() > 1 ? " (" + r.attempts() + " attempts)" : "")
                            .append('\n'));
        }
        Workflow.setCurrentDetails(sb.toString());
    }

    private static String abbreviate(String text, int max) {
        if (text == null) {
            return "";
        }
        String line = text.lines().findFirst().orElse("");
        return line.length() <= max ? line : line.substring(0, max - 1) + "…";
    }

    private Duration durationOf(WaitDefinition wait) {
        if (wait.duration() != null) {
            return wait.duration();
        }
        ZoneId zone = ZoneId.of(wait.timezone());
        ZonedDateTime now = Instant.ofEpochMilli(Workflow.currentTimeMillis()).atZone(zone);
        ZonedDateTime next = now.with(LocalTime.parse(wait.until()));
        if (!next.isAfter(now)) {
            next = next.plusDays(1);
        }
        return Duration.between(now, next);
    }

    private Boolean truth(String ref, Map<String, String> input) {
        String[] p = ref.split("\\.");
        if (p[0].equals("input")) {
            return Expressions.truthy(input.get(p[1]));
        }
        StepResult r = results.get(p[1]);
        if (r == null) {
            return false;
        }
        return switch (p[2]) {
            case "ok" -> StepResult.OK.equals(r.status());
            case "failed" -> StepResult.FAILED.equals(r.status());
            case "skipped" -> StepResult.SKIPPED.equals(r.status());
            default -> false;
        };
    }

    private WorkflowStatus status() {
        return new WorkflowStatus(
                workflowType, definitionVersion, currentStep, kind, attempt, nextWakeTime, ordered(results));
    }

    /** An unmodifiable copy in step order (Map.copyOf would list steps in an order that changes between JVMs). */
    private static <V> Map<String, V> ordered(Map<String, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}

package ai.clawfactory.worker.interpreter;

import ai.clawfactory.core.Names;
import ai.clawfactory.core.definition.Expressions;
import ai.clawfactory.core.definition.RetryDefinition;
import ai.clawfactory.core.definition.StepDefinition;
import ai.clawfactory.core.definition.WaitDefinition;
import ai.clawfactory.core.definition.WorkflowDefinition;
import ai.clawfactory.worker.turn.AgentTurnActivities;
import ai.clawfactory.worker.turn.HttpCallActivities;
import ai.clawfactory.worker.turn.HttpCallInput;
import ai.clawfactory.worker.turn.TurnContext;
import ai.clawfactory.worker.turn.TurnInput;
import ai.clawfactory.worker.turn.WakeActivities;
import ai.clawfactory.worker.turn.WakeInput;
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
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import org.slf4j.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One interpreter serves every defined workflow type. At start it pins the type's definition into
 * history (a local activity), so edits to the file only affect new runs; then it walks the steps.
 *
 * <p>Turns are retried here, one activity per attempt, rather than by server-side activity
 * retries: the {@code status} query can then report the attempt, a settled agent error gets a
 * fresh idempotency key (the gateway would otherwise replay the same error), {@code Retry-After}
 * sets the next delay exactly, and {@code skipWait} can cut a backoff short.
 */
public class InterpreterWorkflow implements DynamicWorkflow {

    private static final Logger LOG = Workflow.getLogger(InterpreterWorkflow.class);
    private static final Duration MAX_HEARTBEAT_TIMEOUT = Duration.ofSeconds(20);

    private final Map<String, StepResult> results = new LinkedHashMap<>();
    private String workflowType;
    private String definitionVersion;
    private String currentStep;
    private String kind = "starting";
    private int attempt;
    private String nextWakeTime;
    private boolean skipRequested;

    @Override
    public Object execute(EncodedValues args) {
        WorkflowInfo info = Workflow.getInfo();
        workflowType = info.getWorkflowType();
        Workflow.registerListener((DynamicQueryHandler) (name, queryArgs) -> {
            if (Names.QUERY_STATUS.equals(name)) {
                return status();
            }
            throw new IllegalArgumentException("Unknown query '" + name + "'; this workflow answers '" + Names.QUERY_STATUS + "'");
        });
        Workflow.registerListener((DynamicSignalHandler) (name, signalArgs) -> {
            if (Names.SIGNAL_SKIP_WAIT.equals(name)) {
                skipRequested = true;
            } else {
                LOG.warn("Ignoring unknown signal '{}' (this workflow accepts '{}')", name, Names.SIGNAL_SKIP_WAIT);
            }
        });

        LoadedDefinition loaded = Workflow.newLocalActivityStub(DefinitionActivities.class,
                        LocalActivityOptions.newBuilder()
                                .setStartToCloseTimeout(Duration.ofSeconds(30))
                                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
                                .build())
                .loadDefinition(workflowType);
        WorkflowDefinition definition = loaded.definition();
        if (definition == null) {
            throw ApplicationFailure.newNonRetryableFailure("No definition for workflow type '" + workflowType
                    + "'. Known types: " + (loaded.knownTypes().isEmpty() ? "none" : String.join(", ", loaded.knownTypes()))
                    + ". Add a file to the definitions folder or start one of the known types.",
                    Names.FAILURE_UNKNOWN_WORKFLOW_TYPE);
        }
        definitionVersion = definition.version();
        Workflow.upsertMemo(Map.of(
                Names.MEMO_DEFINITION, definition.name(),
                Names.MEMO_DEFINITION_VERSION, definition.version()));

        Map<String, String> input = input(args, definition);
        TurnContext base = new TurnContext(info.getWorkflowId(), info.getRunId(), workflowType,
                Instant.ofEpochMilli(info.getRunStartedTimestampMillis()).toString(), input, Map.of());

        for (StepDefinition step : definition.steps()) {
            currentStep = step.id();
            attempt = 0;
            if (!Expressions.evaluate(step.when(), ref -> truth(ref, input))) {
                LOG.info("Step '{}' skipped: condition '{}' is false", step.id(), step.when());
                results.put(step.id(), new StepResult(step.id(), step.kind(), StepResult.SKIPPED, null, null, null, null,
                        "condition '" + step.when() + "' was false", 0));
                continue;
            }
            StepResult result;
            if (step.waitFor() != null) {
                kind = "wait";
                waitFor(durationOf(step.waitFor()));
                result = new StepResult(step.id(), "wait", StepResult.OK, null, null, null, null, null, 1);
            } else {
                TurnContext context = new TurnContext(base.workflowId(), base.runId(), base.workflowType(),
                        base.startTime(), input, Map.copyOf(results));
                result = runWithRetries(step, context);
            }
            results.put(step.id(), result);
            if (StepResult.FAILED.equals(result.status()) && !step.continueOnFailure()) {
                kind = "failed";
                throw ApplicationFailure.newNonRetryableFailure("Step '" + step.id() + "' of " + workflowType
                        + " failed after " + result.attempts() + " attempt(s): " + result.error(), "StepFailed");
            }
        }
        currentStep = null;
        kind = "done";
        nextWakeTime = null;
        return new RunResult(workflowType, definitionVersion, Map.copyOf(results));
    }

    private StepResult runWithRetries(StepDefinition step, TurnContext context) {
        RetryDefinition retry = step.retry();
        ActivityOptions options = ActivityOptions.newBuilder()
                .setStartToCloseTimeout(step.timeout())
                .setHeartbeatTimeout(step.timeout().compareTo(MAX_HEARTBEAT_TIMEOUT) < 0 ? step.timeout() : MAX_HEARTBEAT_TIMEOUT)
                .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
                // One activity per attempt; the loop below retries (see the class comment).
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1)
                        .setDoNotRetry(Names.FAILURE_GATEWAY_PERMANENT, Names.FAILURE_INVALID_REQUEST,
                                Names.FAILURE_CONFIGURATION)
                        .build())
                .build();
        int generation = 0;
        String lastError = null;
        for (attempt = 1; attempt <= retry.maximumAttempts(); attempt++) {
            kind = step.kind();
            nextWakeTime = null;
            try {
                StepResult r;
                if (step.agentTurn() != null) {
                    r = Workflow.newActivityStub(AgentTurnActivities.class, options)
                            .agentTurn(new TurnInput(context, step.id(), attempt, generation, step.timeout(), step.agentTurn()));
                } else if (step.wake() != null) {
                    // A kind added after the first release: histories of older definitions never reach this branch.
                    r = Workflow.newActivityStub(WakeActivities.class, options)
                            .wake(new WakeInput(context, step.id(), attempt, step.timeout(), step.wake()));
                } else {
                    r = Workflow.newActivityStub(HttpCallActivities.class, options)
                            .httpCall(new HttpCallInput(context, step.id(), attempt, step.timeout(), step.http()));
                }
                return r.withAttempts(attempt);
            } catch (ActivityFailure f) {
                if (f.getCause() instanceof CanceledFailure || isCancelRequested()) {
                    results.put(step.id(), new StepResult(step.id(), step.kind(), StepResult.CANCELLED, null, null, null,
                            null, "cancelled", attempt));
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
                    if (af.getDetails().getSize() > 0) {
                        Long millis = af.getDetails().get(0, Long.class);
                        retryAfter = millis == null || millis <= 0 ? null : Duration.ofMillis(millis);
                    }
                } else if (f.getCause() instanceof TimeoutFailure t) {
                    lastError = "timed out (" + t.getTimeoutType() + ") after " + step.timeout();
                } else {
                    lastError = f.getCause() == null ? f.getMessage() : f.getCause().getMessage();
                }
                if (attempt >= retry.maximumAttempts()) {
                    break;
                }
                Duration delay = retryAfter != null ? retryAfter : backoff(retry, attempt);
                LOG.info("Step '{}' attempt {} failed ({}); retrying in {}", step.id(), attempt, lastError, delay);
                kind = "backoff";
                waitFor(delay);
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

    /** A durable wait that {@code skipWait} ends early. */
    private void waitFor(Duration d) {
        skipRequested = false;
        nextWakeTime = Instant.ofEpochMilli(Workflow.currentTimeMillis()).plus(d).toString();
        boolean skipped = Workflow.await(d, () -> skipRequested);
        if (skipped) {
            LOG.info("Wait in step '{}' ended early by {}", currentStep, Names.SIGNAL_SKIP_WAIT);
        }
        skipRequested = false;
        nextWakeTime = null;
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

    @SuppressWarnings("unchecked")
    private static Map<String, String> input(EncodedValues args, WorkflowDefinition definition) {
        Map<String, String> input = new LinkedHashMap<>(definition.input());
        if (args.getSize() == 0) {
            return input;
        }
        Object raw;
        try {
            raw = args.get(0, Object.class);
        } catch (RuntimeException e) {
            throw ApplicationFailure.newNonRetryableFailure("Workflow input is not JSON: " + e.getMessage(), "InvalidInput");
        }
        if (raw == null) {
            return input;
        }
        if (!(raw instanceof Map<?, ?> map)) {
            throw ApplicationFailure.newNonRetryableFailure("Workflow input must be a JSON object of "
                    + describe(definition) + ", not " + raw.getClass().getSimpleName(), "InvalidInput");
        }
        for (Map.Entry<?, ?> e : ((Map<Object, Object>) map).entrySet()) {
            String key = String.valueOf(e.getKey());
            if (!definition.input().containsKey(key)) {
                throw ApplicationFailure.newNonRetryableFailure("Unknown input '" + key + "'; " + definition.name()
                        + " takes " + describe(definition), "InvalidInput");
            }
            input.put(key, e.getValue() == null ? "" : String.valueOf(e.getValue()));
        }
        return input;
    }

    private static String describe(WorkflowDefinition d) {
        return d.input().isEmpty() ? "no input" : "inputs " + String.join(", ", d.input().keySet());
    }

    private WorkflowStatus status() {
        return new WorkflowStatus(workflowType, definitionVersion, currentStep, kind, attempt, nextWakeTime,
                Map.copyOf(results));
    }
}

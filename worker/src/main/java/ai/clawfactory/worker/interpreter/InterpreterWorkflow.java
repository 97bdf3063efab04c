package ai.clawfactory.worker.interpreter;

import ai.clawfactory.core.Names;
import ai.clawfactory.core.WorkflowIds;
import ai.clawfactory.core.approval.Decision;
import ai.clawfactory.core.definition.AlertsDefinition;
import ai.clawfactory.core.definition.Describe;
import ai.clawfactory.core.definition.Expressions;
import ai.clawfactory.core.definition.StepDefinition;
import ai.clawfactory.core.definition.StepGraph;
import ai.clawfactory.core.definition.StepKind;
import ai.clawfactory.core.definition.WorkflowDefinition;
import ai.clawfactory.worker.alert.RunOutcome;
import ai.clawfactory.worker.alert.RunReportActivities;
import ai.clawfactory.worker.step.StepResult;
import ai.clawfactory.worker.step.StepRun;
import ai.clawfactory.worker.step.StepRunner;
import ai.clawfactory.worker.step.StepStatus;
import ai.clawfactory.worker.step.TurnContext;
import ai.clawfactory.worker.step.approval.Approvals;
import ai.clawfactory.worker.step.kinds.StepRunners;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.common.converter.EncodedValues;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.DynamicQueryHandler;
import io.temporal.workflow.DynamicSignalHandler;
import io.temporal.workflow.DynamicUpdateHandler;
import io.temporal.workflow.DynamicWorkflow;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * One interpreter serves every defined workflow type. At start it pins the type's definition into
 * history (a local activity), so edits to the file only affect new runs; then it walks the steps:
 * their conditions, their results, the progress the Web UI and the {@code status} query show, and
 * at the end the report to the alert workflow. What a step does is its kind's runner's
 * ({@link StepRunners}, one map keyed by the step's kind): the activity and its options, the
 * retries (see {@code ActivityRunner}), the timer.
 *
 * <p><b>Versioning policy</b> (in full in {@code package-info.java}): every change to the
 * sequence of commands this class issues, for any history that could already exist, is guarded
 * by {@code Workflow.getVersion} with a new change id ({@code CHANGE_*} below).
 */
public class InterpreterWorkflow implements DynamicWorkflow {

    private static final Logger LOG = Workflow.getLogger(InterpreterWorkflow.class);
    /**
     * Change id: summaries on activities and timers, search attributes (version 1); a run indexed
     * by the search attributes no longer repeats its definition in the memo (version 2).
     */
    static final String CHANGE_UI_METADATA = "ui-metadata";
    /** Change id: a run whose definition has alerts reports its end to the type's alert workflow (version 1). */
    static final String CHANGE_ALERTS = "alerts";
    /** Change id: workflow input must be scalars of bounded size (new runs only). */
    static final String CHANGE_STRICT_INPUT = "strict-input";
    /**
     * Change id: a run whose memo names a run to re-run carries over that run's results of the
     * steps before its first step (version 1; asked only on such runs, so no other run gets a marker).
     */
    static final String CHANGE_RERUN = "rerun";
    /**
     * Change id: a definition with {@code needs}, {@code forEach} or a top-level {@code maxParallel}
     * runs as a graph (version 1). Asked only for such definitions: a file without them runs as it
     * always did, with no marker.
     */
    static final String CHANGE_GRAPH = "graph";

    final Map<String, StepResult> results = new LinkedHashMap<>();
    /** A re-run's results taken over from the old run, by step id (empty for every other run). */
    Map<String, StepResult> carried = Map.of();

    String workflowType;
    private String definitionVersion;
    String currentStep;
    Phase phase = Phase.STARTING;
    /** Kind of the current step (the phase {@link Phase#RUNNING} is written as it). */
    private StepKind running;

    private int attempt;
    private String nextWakeTime;
    /** Version of {@link #CHANGE_UI_METADATA} this run was started with. */
    private int ui;

    private int stepIndex;
    private int steps;

    /** The definition when it runs as a graph ({@link GraphRun}), else null (one step after another). */
    private WorkflowDefinition graph;
    /** The steps (and fan-out items) running or waiting now, in the order they started. */
    final List<Run> active = new ArrayList<>();
    /** The run's approval steps, which the {@code decide} Update decides. */
    private Approvals approvals;

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
                // Every step waiting now (one, unless branches wait side by side) ends its wait.
                active.forEach(r -> r.skip = true);
            } else {
                LOG.warn("Ignoring unknown signal '{}' (this workflow accepts '{}')", name, Names.SIGNAL_SKIP_WAIT);
            }
        });

        // The decide Update (approval steps): a handler is no command, so no history changes.
        approvals = Approvals.current();
        Workflow.registerListener(new DynamicUpdateHandler() {
            @Override
            public void handleValidate(String name, EncodedValues updateArgs) {
                approvals.validate(decision(name, updateArgs));
            }

            @Override
            public Object handleExecute(String name, EncodedValues updateArgs) {
                return approvals.decide(decision(name, updateArgs));
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
        // A re-run (issue 31): one local activity checks the old run, loads the definition and
        // returns the carried results, instead of LoadDefinition; other runs issue what they did.
        CarriedOver over = Reruns.requested() && Workflow.getVersion(CHANGE_RERUN, Workflow.DEFAULT_VERSION, 1) >= 1
                ? Reruns.carryOver(workflowType)
                : null;
        LoadedDefinition loaded = over != null
                ? over.loaded()
                : Workflow.newLocalActivityStub(DefinitionActivities.class, load.build())
                        .loadDefinition(workflowType);
        if (over != null) {
            carried = over.steps();
        }
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
            if (StepGraph.isGraph(definition) && Workflow.getVersion(CHANGE_GRAPH, Workflow.DEFAULT_VERSION, 1) >= 1) {
                graph = definition;
                new GraphRun(this, definition, info, input).run();
            } else {
                runSteps(definition, info, input);
            }
        } catch (ApplicationFailure failure) {
            report(definition, info, input, false, failure.getOriginalMessage());
            throw failure;
        }
        currentStep = null;
        phase = Phase.DONE;
        nextWakeTime = null;
        progress("done");
        report(definition, info, input, true, null);
        return new RunResult(workflowType, definitionVersion, inOrder());
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
        String startTime =
                Instant.ofEpochMilli(info.getRunStartedTimestampMillis()).toString();
        for (StepDefinition step : definition.steps()) {
            currentStep = step.id();
            running = StepRunner.kindOf(step);
            attempt = 0;
            stepIndex++;
            progress(Describe.what(step));
            StepResult taken = carried.get(step.id());
            if (taken != null) {
                LOG.info("Step '{}' carried over from run {} ({})", step.id(), taken.carriedFrom(), taken.status());
                results.put(step.id(), taken);
                continue;
            }
            if (!Expressions.evaluate(step.when(), ref -> truth(ref, input))) {
                LOG.info("Step '{}' skipped: condition '{}' is false", step.id(), step.when());
                results.put(
                        step.id(), StepResult.skipped(step.id(), running, "condition '" + step.when() + "' was false"));
                continue;
            }
            TurnContext context = new TurnContext(
                    info.getWorkflowId(), info.getRunId(), workflowType, startTime, input, ordered(results));
            Run run = new Run(step, context, stepIndex - 1);
            active.add(run);
            StepResult result;
            try {
                result = StepRunners.of(running).run(step, run);
            } finally {
                active.remove(run);
            }
            results.put(step.id(), result);
            if (result.status() == StepStatus.FAILED && !step.continueOnFailure()) {
                phase = Phase.FAILED;
                throw ApplicationFailure.newNonRetryableFailure(
                        "Step '" + step.id() + "' of " + workflowType + " failed after " + result.attempts()
                                + " attempt(s): " + result.error(),
                        Names.FAILURE_STEP_FAILED);
            }
        }
    }

    /**
     * The running step's view of this run: its runner reports attempts and waits here. It keeps
     * the step's own state (phase, attempt, next wake, a skip asked for), so side-by-side steps of
     * a graph each have theirs; one after another, the run's state is the running step's.
     */
    final class Run implements StepRun {

        final StepDefinition step;
        private final TurnContext context;
        /** Where the step stands in the definition (and its item in a fan-out, else -1): the order of the status. */
        final int order;

        final int item;
        Phase stepPhase = Phase.RUNNING;
        int stepAttempt;
        String wake;
        boolean skip;

        Run(StepDefinition step, TurnContext context, int order) {
            this(step, context, order, -1);
        }

        Run(StepDefinition step, TurnContext context, int order, int item) {
            this.step = step;
            this.context = context;
            this.order = order;
            this.item = item;
        }

        /** What the status query lists for it. */
        ActiveStep active() {
            return new ActiveStep(step.id(), stepPhase.wire(StepRunner.kindOf(step)), stepAttempt, wake);
        }

        @Override
        public TurnContext context() {
            return context;
        }

        @Override
        public boolean summaries() {
            return ui >= 1;
        }

        @Override
        public void attempting(int n) {
            stepPhase = Phase.RUNNING;
            stepAttempt = n;
            wake = null;
            if (graph == null) {
                phase = Phase.RUNNING;
                attempt = n;
                nextWakeTime = null;
            }
            progress(Describe.what(step));
        }

        @Override
        public void pausing(Instant wakeTime, String doing, boolean backoff) {
            stepPhase = backoff ? Phase.BACKOFF : Phase.RUNNING;
            skip = false;
            wake = wakeTime.toString();
            if (graph == null) {
                phase = stepPhase;
                nextWakeTime = wake;
            }
            progress(doing);
        }

        @Override
        public boolean skipRequested() {
            return skip;
        }

        @Override
        public void resumed() {
            skip = false;
            wake = null;
            if (graph == null) {
                nextWakeTime = null;
            }
        }

        @Override
        public void cancelled(StepResult result) {
            if (item < 0) {
                results.put(step.id(), result);
            }
        }
    }

    /**
     * The run's current details in the Web UI (Markdown): step, what it does, attempt, next wake,
     * the steps done so far. Not a command: it is read through a query, so it needs no version.
     */
    void progress(String doing) {
        if (graph != null) {
            Workflow.setCurrentDetails(GraphRun.details(graph, inOrder(), activeSteps()));
            return;
        }
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
                            .append(r.carriedFrom() != null ? " (carried over)" : "")
                            .append('\n'));
        }
        Workflow.setCurrentDetails(sb.toString());
    }

    Boolean truth(String ref, Map<String, String> input) {
        String[] p = ref.split("\\.");
        if (p[0].equals("input")) {
            return Expressions.truthy(input.get(p[1]));
        }
        StepResult r = results.get(p[1]);
        if (r == null) {
            return false;
        }
        return switch (p[2]) {
            case "ok" -> r.status() == StepStatus.OK;
            case "failed" -> r.status() == StepStatus.FAILED;
            case "skipped" -> r.status() == StepStatus.SKIPPED;
            default -> false;
        };
    }

    /** The argument of the {@code decide} Update; any other Update is refused by its validator. */
    private static Decision decision(String name, EncodedValues updateArgs) {
        if (!Names.UPDATE_DECIDE.equals(name)) {
            throw new IllegalArgumentException(
                    "Unknown update '" + name + "'; this workflow accepts '" + Names.UPDATE_DECIDE + "'");
        }
        return updateArgs.getSize() == 0 ? null : updateArgs.get(0, Decision.class);
    }

    private WorkflowStatus status() {
        List<ActiveStep> now = activeSteps();
        if (graph != null && !now.isEmpty()) {
            ActiveStep first = now.get(0);
            return new WorkflowStatus(
                    workflowType,
                    definitionVersion,
                    first.stepId(),
                    first.kind(),
                    first.attempt(),
                    first.nextWakeTime(),
                    inOrder(),
                    now,
                    approvals.pending());
        }
        return new WorkflowStatus(
                workflowType,
                definitionVersion,
                currentStep,
                phase.wire(running),
                attempt,
                nextWakeTime,
                inOrder(),
                now,
                approvals.pending());
    }

    /** The steps running or waiting now, in definition order (items in item order). */
    List<ActiveStep> activeSteps() {
        return active.stream()
                .sorted(Comparator.comparingInt((Run r) -> r.order).thenComparingInt(r -> r.item))
                .map(Run::active)
                .toList();
    }

    /**
     * The results so far in definition order: one step after another that is the order they
     * finished in; in a graph, branches finish in any order.
     */
    Map<String, StepResult> inOrder() {
        if (graph == null) {
            return ordered(results);
        }
        Map<String, StepResult> out = new LinkedHashMap<>();
        for (StepDefinition s : graph.steps()) {
            StepResult r = results.get(s.id());
            if (r != null) {
                out.put(s.id(), r);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** An unmodifiable copy in step order (Map.copyOf would list steps in an order that changes between JVMs). */
    private static <V> Map<String, V> ordered(Map<String, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}

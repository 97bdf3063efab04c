package ai.clawfactory.worker.interpreter;

import ai.clawfactory.core.Names;
import ai.clawfactory.core.WorkflowIds;
import ai.clawfactory.core.definition.Expressions;
import ai.clawfactory.core.definition.StepDefinition;
import ai.clawfactory.core.definition.StepGraph;
import ai.clawfactory.core.definition.StepKind;
import ai.clawfactory.core.definition.WorkflowDefinition;
import ai.clawfactory.worker.step.StepResult;
import ai.clawfactory.worker.step.StepRunner;
import ai.clawfactory.worker.step.StepStatus;
import ai.clawfactory.worker.step.TurnContext;
import ai.clawfactory.worker.step.kinds.StepRunners;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;

/**
 * The steps of a definition run as a graph ({@link StepGraph}): a deterministic scheduler in
 * workflow code. A step is ready when each step it needs has finished; ready steps start in
 * definition order, each in its own workflow thread ({@code Async.procedure} around its kind's
 * runner, the same runner and commands as one step after another), at most {@code maxParallel}
 * runner calls of the run at a time (each item of a fan-out is one, at most its own
 * {@code forEach.maxParallel}). The main thread waits with {@code Workflow.await} until one ends.
 *
 * <p>A need that did not succeed (failed without {@code continueOnFailure}, skipped, cancelled)
 * skips the step, recorded as skipped with the reason ({@code needs 'x', which failed}); a need that
 * failed with {@code continueOnFailure} finished, so its dependents run. A step that fails without
 * {@code continueOnFailure} fails the run, as one after another does, but only once the branches
 * that do not depend on it have run to their end (nothing running is cancelled): their work is
 * kept, and only its dependents are skipped.
 *
 * <p>Where a step starts ({@link #start}) is the one place a result from elsewhere (a re-run's
 * carried-over result) would be recorded instead of running it.
 */
final class GraphRun {

    private static final Logger LOG = Workflow.getLogger(GraphRun.class);

    private enum State {
        WAITING,
        RUNNING,
        DONE
    }

    /** One runner call: the step, or one item of its fan-out. */
    private static final class Unit {
        final StepDefinition step;
        final int index;
        final String item;
        StepResult result;
        RuntimeException error;
        boolean done;

        Unit(StepDefinition step, int index, String item) {
            this.step = step;
            this.index = index;
            this.item = item;
        }
    }

    /** One step of the graph and its runner calls. */
    private static final class Node {
        final StepDefinition step;
        final int order;
        final StepKind kind;
        State state = State.WAITING;
        final List<Unit> units = new ArrayList<>();
        int started;
        int inFlight;
        int limit = 1;

        Node(StepDefinition step, int order) {
            this.step = step;
            this.order = order;
            this.kind = StepRunner.kindOf(step);
        }
    }

    private final InterpreterWorkflow w;
    private final WorkflowDefinition definition;
    private final WorkflowInfo info;
    private final Map<String, String> input;
    private final String startTime;
    private final int limit;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, List<String>> needs;
    private int inFlight;
    private boolean ended;
    private Node failed;

    GraphRun(InterpreterWorkflow w, WorkflowDefinition definition, WorkflowInfo info, Map<String, String> input) {
        this.w = w;
        this.definition = definition;
        this.info = info;
        this.input = input;
        this.startTime =
                Instant.ofEpochMilli(info.getRunStartedTimestampMillis()).toString();
        this.limit = StepGraph.maxParallel(definition);
        this.needs = StepGraph.needs(definition);
        List<StepDefinition> steps = definition.steps();
        for (int i = 0; i < steps.size(); i++) {
            nodes.put(steps.get(i).id(), new Node(steps.get(i), i));
        }
    }

    /** Runs every step to its end; a step that failed without continueOnFailure then fails the run. */
    void run() {
        w.progress("starting");
        try {
            while (true) {
                boolean changed = true;
                while (changed) {
                    changed = startReady() | finishEnded();
                }
                launch();
                if (nodes.values().stream().allMatch(n -> n.state == State.DONE)) {
                    break;
                }
                if (inFlight == 0) {
                    throw ApplicationFailure.newNonRetryableFailure(
                            "No step of " + w.workflowType + " can start (a need that never finishes); please report"
                                    + " this with the definition",
                            Names.FAILURE_STEP_FAILED);
                }
                ended = false;
                Workflow.await(() -> ended);
            }
        } catch (CanceledFailure c) {
            // Let every branch record its cancellation before the run ends cancelled.
            Workflow.newDetachedCancellationScope(() -> Workflow.await(() -> inFlight == 0))
                    .run();
            throw c;
        }
        if (failed != null) {
            StepResult r = w.results.get(failed.step.id());
            w.currentStep = failed.step.id();
            w.phase = Phase.FAILED;
            throw ApplicationFailure.newNonRetryableFailure(
                    "Step '" + failed.step.id() + "' of " + w.workflowType + " failed after " + r.attempts()
                            + " attempt(s): " + r.error(),
                    Names.FAILURE_STEP_FAILED);
        }
    }

    /** Starts (or skips) each waiting step whose needs have all finished, in definition order; true when one did. */
    private boolean startReady() {
        boolean changed = false;
        for (Node n : nodes.values()) {
            if (n.state != State.WAITING) {
                continue;
            }
            String blocked = null;
            boolean ready = true;
            for (String need : n.step.needs() == null ? List.<String>of() : n.step.needs()) {
                StepResult r = w.results.get(need);
                if (r == null) {
                    ready = false;
                    break;
                }
                boolean finished = r.status() == StepStatus.OK
                        || (r.status() == StepStatus.FAILED
                                && definition.step(need).continueOnFailure());
                if (!finished && blocked == null) {
                    blocked = "needs '" + need + "', which "
                            + (r.status() == StepStatus.SKIPPED
                                    ? "was skipped"
                                    : r.status() == StepStatus.FAILED ? "failed" : "was cancelled");
                }
            }
            if (blocked != null) {
                skip(n, blocked);
                changed = true;
            } else if (ready) {
                start(n);
                changed = true;
            }
        }
        return changed;
    }

    /** A ready step: its condition, then its runner calls (one, or one per item). */
    private void start(Node n) {
        StepDefinition step = n.step;
        StepResult taken = w.carried.get(step.id());
        if (taken != null) {
            LOG.info("Step '{}' carried over from run {} ({})", step.id(), taken.carriedFrom(), taken.status());
            w.results.put(step.id(), taken);
            n.state = State.DONE;
            return;
        }
        if (!Expressions.evaluate(step.when(), ref -> w.truth(ref, input))) {
            skip(n, "condition '" + step.when() + "' was false");
            return;
        }
        n.state = State.RUNNING;
        if (step.forEach() == null) {
            n.units.add(new Unit(step, -1, null));
            return;
        }
        List<String> items = step.forEach().itemsOf(input);
        for (int i = 0; i < items.size(); i++) {
            n.units.add(new Unit(step.withId(WorkflowIds.itemStepId(step.id(), i)), i, items.get(i)));
        }
        n.limit = StepGraph.maxParallel(definition, step);
    }

    private void skip(Node n, String reason) {
        LOG.info("Step '{}' skipped: {}", n.step.id(), reason);
        w.results.put(n.step.id(), StepResult.skipped(n.step.id(), n.kind, reason));
        n.state = State.DONE;
    }

    /** Starts runner calls while the run's and each step's limits allow, steps in definition order. */
    private void launch() {
        for (Node n : nodes.values()) {
            while (n.state == State.RUNNING && n.started < n.units.size() && inFlight < limit && n.inFlight < n.limit) {
                launch(n, n.units.get(n.started++));
            }
        }
    }

    private void launch(Node n, Unit u) {
        // The results of the steps it needs, directly or through others: all its templates may read
        // (validate holds them to that), and no sibling branch's results ride along in its payload.
        Map<String, StepResult> needed = new LinkedHashMap<>();
        List<String> ancestors = StepGraph.ancestors(needs, n.step.id());
        w.inOrder().forEach((id, r) -> {
            if (ancestors.contains(id)) {
                needed.put(id, r);
            }
        });
        TurnContext context =
                new TurnContext(info.getWorkflowId(), info.getRunId(), w.workflowType, startTime, input, needed);
        if (u.item != null) {
            context = context.withItem(n.step.forEach().as(), u.item);
        }
        InterpreterWorkflow.Run run = w.new Run(u.step, context, n.order, u.index);
        w.active.add(run);
        inFlight++;
        n.inFlight++;
        StepRunner runner = StepRunners.of(n.kind);
        Async.procedure(() -> {
            try {
                u.result = runner.run(u.step, run);
            } catch (RuntimeException e) {
                u.error = e;
            } finally {
                w.active.remove(run);
                inFlight--;
                n.inFlight--;
                u.done = true;
                ended = true;
            }
        });
        w.progress("running");
    }

    /** Records the result of each running step whose calls have all ended; true when one did. */
    private boolean finishEnded() {
        boolean changed = false;
        for (Node n : nodes.values()) {
            if (n.state != State.RUNNING || n.units.stream().anyMatch(u -> !u.done)) {
                continue;
            }
            for (Unit u : n.units) {
                if (u.error != null) {
                    Workflow.newDetachedCancellationScope(() -> Workflow.await(() -> inFlight == 0))
                            .run();
                    throw u.error;
                }
            }
            StepResult r = n.step.forEach() == null ? n.units.get(0).result : items(n);
            w.results.put(n.step.id(), r);
            n.state = State.DONE;
            changed = true;
            if (r.status() == StepStatus.FAILED && !n.step.continueOnFailure() && failed == null) {
                failed = n;
                LOG.warn("Step '{}' failed; its dependents are skipped, the other branches run on", n.step.id());
            }
            w.progress(n.step.id() + " " + r.status().wire());
        }
        return changed;
    }

    /** A fan-out's result: failed when an item failed, each item's result kept in item order. */
    private static StepResult items(Node n) {
        List<StepResult> items = new ArrayList<>();
        int attempts = 0;
        List<String> failures = new ArrayList<>();
        boolean cancelled = false;
        for (Unit u : n.units) {
            StepResult r = u.result.withItem(u.item);
            items.add(r);
            attempts = Math.max(attempts, r.attempts());
            if (r.status() == StepStatus.FAILED) {
                failures.add(r.stepId() + ": " + r.error());
            }
            cancelled |= r.status() == StepStatus.CANCELLED;
        }
        StepStatus status = !failures.isEmpty() ? StepStatus.FAILED : cancelled ? StepStatus.CANCELLED : StepStatus.OK;
        String error = failures.isEmpty()
                ? null
                : failures.size() + " of " + items.size() + " items failed: " + String.join("; ", failures);
        return StepResult.ofItems(n.step.id(), n.kind, status, error, attempts, items);
    }

    /**
     * The run's current details in the Web UI (Markdown): what runs now, then a table of every step,
     * what it needs and where it is. Step ids are letters, digits, '_' and '-' (the schema's), so
     * they need no escaping; item values are not shown.
     */
    static String details(WorkflowDefinition d, Map<String, StepResult> results, List<ActiveStep> active) {
        StringBuilder sb = new StringBuilder();
        sb.append("**")
                .append(results.size())
                .append(" of ")
                .append(d.steps().size())
                .append(" steps done**");
        if (!active.isEmpty()) {
            sb.append(" · now: ")
                    .append(active.stream()
                            .map(a -> a.stepId() + " (" + a.kind()
                                    + (a.attempt() > 1 ? ", attempt " + a.attempt() : "")
                                    + (a.nextWakeTime() != null ? ", wakes " + a.nextWakeTime() : "") + ")")
                            .collect(Collectors.joining(", ")));
        }
        sb.append("\n\n| step | needs | status |\n|---|---|---|\n");
        for (StepDefinition s : d.steps()) {
            StepResult r = results.get(s.id());
            long running = active.stream()
                    .filter(a -> a.stepId().equals(s.id()) || a.stepId().startsWith(s.id() + "["))
                    .count();
            String status = r != null
                    ? r.status().wire()
                            + (r.items() != null ? " (" + r.items().size() + " items)" : "")
                            + (r.status() == StepStatus.SKIPPED && r.error() != null ? ": " + r.error() : "")
                    : running > 0 ? "running" + (s.forEach() != null ? " (" + running + " items)" : "") : "waiting";
            sb.append("| ")
                    .append(s.id())
                    .append(s.forEach() != null ? " (for each " + s.forEach().as() + ")" : "")
                    .append(" | ")
                    .append(s.needs() == null ? "—" : String.join(", ", s.needs()))
                    .append(" | ")
                    .append(status)
                    .append(" |\n");
        }
        return sb.toString();
    }
}

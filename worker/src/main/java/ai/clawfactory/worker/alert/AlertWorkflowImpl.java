package ai.clawfactory.worker.alert;

import ai.clawfactory.core.WorkflowIds;
import ai.clawfactory.core.definition.AgentTurnDefinition;
import ai.clawfactory.core.definition.AlertAction;
import ai.clawfactory.core.definition.AlertsDefinition;
import ai.clawfactory.core.definition.StepKind;
import ai.clawfactory.worker.step.NotRetried;
import ai.clawfactory.worker.step.StepCall;
import ai.clawfactory.worker.step.TurnContext;
import ai.clawfactory.worker.step.kinds.StepRunners;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The alert logic of one workflow type. Reports are queued by the signal handler and handled one
 * at a time by the main loop, so reports of runs that fail together are counted in order and at
 * most one of them can find the cooldown open: exactly one alert per cooldown window, and one
 * recovery notice per alerted streak. The state lives in this workflow's history, so a worker
 * restart replays it unchanged.
 *
 * <p>An alert is the ordinary {@code AgentTurn} or {@code HttpCall} activity (ledgered, redacted,
 * classified) under the key {@code <failed run id>/<run id>/alerts.onFailure}: retried by the
 * server with that same key, so the ledger and the gateway's idempotency see one alert even when
 * an attempt's answer is lost. ({@code .} cannot occur in a step id, so no step shares the key.)
 *
 * <p>A report is data: anyone who can signal or start a workflow in the namespace can send one.
 * So the alerts block never comes from the report or the start argument: a local activity
 * ({@link ReportCheckActivities}) checks each report against the worker's own definitions (the
 * type this workflow watches, taken from its id; the type's alerts block or the defaults file's;
 * that the run exists and is of that type) and returns the block to use, or why nothing is sent.
 * A refused report is logged and counted as suppressed, and changes nothing else.
 *
 * <p>Versioning: long-lived by design, so every change of its command sequence is guarded by
 * {@code Workflow.getVersion} like the interpreter's (see its class comment). It continues as new
 * every {@value #EVENTS_PER_RUN} reports (or earlier if its history grows large), carrying its
 * state and any reports not yet handled. Change {@value #CHANGE_OWN_ALERTS} (the check above) is
 * decided at the start of a run; a run started before it decides again for every report, under a
 * change id of that report's own ({@code own-alerts/<run id>}): its old reports replay as they
 * were handled (with the block they carried), and every report it handles from the deploy on is
 * checked, without waiting for its next continue-as-new.
 */
public class AlertWorkflowImpl implements AlertWorkflow {

    private static final Logger LOG = Workflow.getLogger(AlertWorkflowImpl.class);
    /** Reports handled before continuing as new. */
    static final int EVENTS_PER_RUN = 100;
    /** History events before continuing as new regardless. */
    static final int MAX_HISTORY_EVENTS = 4000;
    /** Start-to-close of one alert attempt (a delivered agent turn waits for its completion). */
    static final Duration ALERT_TIMEOUT = Duration.ofMinutes(5);

    /**
     * Change id: the alerts block comes from the worker's definitions through a local activity per
     * report, never from the report (version 1).
     */
    static final String CHANGE_OWN_ALERTS = "own-alerts";
    /** Start-to-close of one check of a report (it reads the definitions and asks the server about the run). */
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);

    private final Deque<RunOutcome> pending = new ArrayDeque<>();
    private AlertState state;
    /** This run was started with change {@value #CHANGE_OWN_ALERTS}. */
    private boolean ownAlerts;
    /** The type this workflow watches, from its id; null when the id has another shape. */
    private String watchedType;

    @Override
    public void watch(AlertState initial) {
        ownAlerts = Workflow.getVersion(CHANGE_OWN_ALERTS, Workflow.DEFAULT_VERSION, 1) >= 1;
        String id = Workflow.getInfo().getWorkflowId();
        watchedType =
                id.startsWith(WorkflowIds.ALERTS_PREFIX) ? id.substring(WorkflowIds.ALERTS_PREFIX.length()) : null;
        state = initial == null ? AlertState.initial(id) : initial;
        if (state.pending() != null) {
            // Carried over from the previous run: before anything signalled since.
            List<RunOutcome> carried = new ArrayList<>(state.pending());
            java.util.Collections.reverse(carried);
            carried.forEach(pending::addFirst);
        }
        state = state.withPending(List.of());
        int handled = 0;
        while (true) {
            Workflow.await(() -> !pending.isEmpty());
            handle(pending.poll());
            handled++;
            if (handled >= EVENTS_PER_RUN || Workflow.getInfo().getHistoryLength() > MAX_HISTORY_EVENTS) {
                LOG.info("Alerts of {}: continuing as new after {} report(s)", state.workflowType(), handled);
                // The reports are carried without the alerts block older reports had: it is never used.
                Workflow.continueAsNew(
                        state.withPending(pending.stream().map(RunOutcome::slim).toList()));
            }
        }
    }

    @Override
    public void runEnded(RunOutcome outcome) {
        if (outcome != null) {
            pending.add(outcome);
        }
    }

    @Override
    public AlertState alertState() {
        return state == null ? null : state.withPending(new ArrayList<>(pending));
    }

    private void handle(RunOutcome o) {
        if (o.runId() == null || o.workflowId() == null || o.workflowType() == null) {
            // Not a report any run sends (the code before this check failed its workflow task here).
            LOG.warn("Alerts of {}: ignoring a report without a workflow type, workflow id or run id", watchedType);
            state = state.suppressedOne();
            return;
        }
        if (state.seen(o.runId())) {
            LOG.info("Alerts of {}: run {} already counted", state.workflowType(), o.runId());
            return;
        }
        AlertsDefinition a;
        if (checked(o)) {
            ReportCheck check = check(o);
            if (check.refusal() != null) {
                LOG.warn(
                        "Alerts of {}: refusing the report of run {} of workflow {}, nothing is sent: {}",
                        watchedType,
                        o.runId(),
                        o.workflowId(),
                        check.refusal());
                state = state.suppressedOne();
                return;
            }
            a = check.alerts();
            if (check.url() != null) {
                // The link in an alert is the worker's, never the report's.
                o = o.withUrl(check.url());
            }
        } else {
            // Only while replaying a report handled before change own-alerts: as it was handled then.
            a = o.alerts();
        }
        state = state.remember(o.runId());
        if (o.ok()) {
            boolean notice = state.alerted() && a != null && a.onRecovery() != null;
            RunOutcome lastFailure = state.lastFailure();
            int streak = state.consecutiveFailures();
            boolean sent =
                    notice && send(a.onRecovery(), o, "alerts.onRecovery", failureFields(lastFailure, streak, o.url()));
            state = state.succeeded(sent);
            return;
        }
        state = state.failed(o);
        if (a == null || a.onFailure() == null) {
            state = state.suppressedOne();
            return;
        }
        long now = Workflow.currentTimeMillis();
        int n = state.consecutiveFailures();
        if (n < a.after()) {
            LOG.info(
                    "Alerts of {}: failure {} of {} before alerting (run {})",
                    state.workflowType(),
                    n,
                    a.after(),
                    o.runId());
            state = state.suppressedOne();
            return;
        }
        Long last = state.lastAlertMillis();
        if (last != null && now - last < a.cooldown().toMillis()) {
            LOG.info(
                    "Alerts of {}: failure of run {} inside the cooldown ({} since the last alert, cooldown {}); not alerting",
                    state.workflowType(),
                    o.runId(),
                    Duration.ofMillis(now - last),
                    a.cooldown());
            state = state.suppressedOne();
            return;
        }
        if (send(a.onFailure(), o, "alerts.onFailure", failureFields(o, n, o.url()))) {
            state = state.alertSent(now);
        } else {
            state = state.suppressedOne();
        }
    }

    /**
     * Whether this report goes through the check: always in a run started with change
     * {@value #CHANGE_OWN_ALERTS}; in one started before, every report handled since the deploy
     * (its own change id is in no history written before, so it is at its newest version).
     */
    private boolean checked(RunOutcome o) {
        return ownAlerts || Workflow.getVersion(CHANGE_OWN_ALERTS + "/" + o.runId(), Workflow.DEFAULT_VERSION, 1) >= 1;
    }

    /** The worker's answer to a report (recorded); a check that fails after its retries refuses the report. */
    private ReportCheck check(RunOutcome o) {
        LocalActivityOptions options = LocalActivityOptions.newBuilder()
                .setStartToCloseTimeout(CHECK_TIMEOUT)
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofSeconds(1))
                        .setBackoffCoefficient(2.0)
                        .setMaximumInterval(Duration.ofSeconds(30))
                        .setMaximumAttempts(10)
                        .build())
                .setSummary("check the report of run " + o.runId() + " against the worker's alerts of " + watchedType)
                .build();
        try {
            return Workflow.newLocalActivityStub(ReportCheckActivities.class, options)
                    .checkReport(new ReportCheckInput(watchedType, o));
        } catch (ActivityFailure f) {
            return ReportCheck.refused("the check failed after its retries: "
                    + (f.getCause() == null ? f.getMessage() : f.getCause().getMessage()));
        }
    }

    static Map<String, String> failureFields(RunOutcome f, int consecutive, String url) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("message", f == null || f.message() == null ? "" : f.message());
        m.put("step", f == null || f.step() == null ? "" : f.step());
        m.put("attempts", f == null ? "" : String.valueOf(f.attempts()));
        m.put("url", f == null || f.url() == null ? (url == null ? "" : url) : f.url());
        m.put("runId", f == null ? "" : f.runId());
        m.put("workflowId", f == null ? "" : f.workflowId());
        m.put("consecutive", String.valueOf(consecutive));
        m.put("kind", f == null ? "recovery" : f.ok() ? "recovery" : "failure");
        return m;
    }

    /** Runs the alert; false when it failed after its retries (logged; the next failure tries again). */
    private boolean send(AlertAction action, RunOutcome o, String stepId, Map<String, String> failure) {
        TurnContext context = new TurnContext(
                o.workflowId(),
                o.runId(),
                o.workflowType(),
                o.startTime(),
                o.input() == null ? Map.of() : o.input(),
                Map.of(),
                failure);
        String what = stepId.endsWith("onFailure") ? "alert" : "recovery notice";
        ActivityOptions options = ActivityOptions.newBuilder()
                .setStartToCloseTimeout(ALERT_TIMEOUT)
                .setHeartbeatTimeout(Duration.ofSeconds(20))
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofSeconds(10))
                        .setBackoffCoefficient(2.0)
                        .setMaximumInterval(Duration.ofMinutes(5))
                        .setMaximumAttempts(6)
                        .setDoNotRetry(NotRetried.failureTypes())
                        .build())
                .setSummary(what + " for " + o.workflowType() + " run " + o.workflowId()
                        + (action.action() instanceof AgentTurnDefinition t && t.channel() != null
                                ? " to " + t.channel() + " " + t.to()
                                : ""))
                .build();
        try {
            // The same runner as a step of that kind; one call, retried by the server per the options above.
            StepRunners.activity(StepKind.ofKey(action.kind()))
                    .send(action.action(), new StepCall(context, stepId, 1, 0, ALERT_TIMEOUT), options);
            LOG.info("Alerts of {}: {} sent for run {}", o.workflowType(), what, o.runId());
            return true;
        } catch (ActivityFailure f) {
            LOG.warn(
                    "Alerts of {}: the {} for run {} failed after its retries: {}",
                    o.workflowType(),
                    what,
                    o.runId(),
                    f.getCause() == null ? f.getMessage() : f.getCause().getMessage());
            return false;
        }
    }
}

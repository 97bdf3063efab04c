package ai.clawfactory.worker.alert;

import ai.clawfactory.core.definition.AlertsDefinition;
import ai.clawfactory.core.definition.Durations;
import ai.clawfactory.core.definition.ScheduleDefinition;
import ai.clawfactory.core.definition.WorkflowDefinition;
import ai.clawfactory.worker.config.TemporalConfig;
import ai.clawfactory.worker.definition.DefinitionRegistry;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import io.temporal.client.WorkflowClient;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleDescription;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires a schedule did not start are failures too, when the schedule says so
 * ({@code alertOnSkip: true}): every {@code alerts.skip-check-interval} (ALERTS_SKIP_CHECK_INTERVAL,
 * default 1m) the worker reads the server's counters of each such schedule (fires skipped because
 * a run was still going, fires that missed the catch-up window) and, when they grew, reports a
 * failure to the type's alert workflow, which alerts as for a failed run (threshold, cooldown,
 * recovery notice on the next good run). The report's id is made of the counters, so several
 * workers, or one restarted, report the same numbers once (the alert workflow remembers recent ids).
 */
@Singleton
@Requires(property = "clawfactory.worker.enabled", notEquals = "false")
public class SkippedFiresCheck {

    private static final Logger LOG = LoggerFactory.getLogger(SkippedFiresCheck.class);
    /** Workflow id of a skipped-fires report: this plus the schedule id. */
    static final String REPORT_WORKFLOW_ID = "schedule/";
    /** Run id of a skipped-fires report: this plus {@code <schedule id>:<skipped>:<missed>}. */
    static final String REPORT_RUN_ID = "schedule:";

    private final DefinitionRegistry registry;
    private final AlertDefaults defaults;
    private final BeanProvider<WorkflowClient> client;
    private final TemporalConfig temporal;
    private final String uiUrl;
    private final Map<String, String> reported = new ConcurrentHashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private volatile ScheduleClient schedules;

    SkippedFiresCheck(
            DefinitionRegistry registry,
            AlertDefaults defaults,
            BeanProvider<WorkflowClient> client,
            TemporalConfig temporal,
            AlertsConfig config) {
        this.registry = registry;
        this.defaults = defaults;
        this.client = client;
        this.temporal = temporal;
        this.uiUrl = config.uiUrl().endsWith("/")
                ? config.uiUrl().substring(0, config.uiUrl().length() - 1)
                : config.uiUrl();
    }

    @Scheduled(fixedDelay = "${alerts.skip-check-interval:1m}", initialDelay = "${alerts.skip-check-interval:1m}")
    void run() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warn(
                    "Could not check the schedules for skipped fires ({}); trying again at the next check",
                    e.toString());
        }
    }

    /** One pass over the schedules with {@code alertOnSkip}; returns how many reports were sent. */
    int check() {
        int sent = 0;
        Set<String> declared = new HashSet<>();
        for (ScheduleDefinition s : registry.schedules()) {
            if (!s.alertOnSkip()) {
                continue;
            }
            declared.add(s.id());
            WorkflowDefinition w = registry.find(s.workflow());
            AlertsDefinition a = w == null ? null : w.alerts() != null ? w.alerts() : defaults.get();
            if (a == null || a.onFailure() == null) {
                if (warned.add(s.id())) {
                    LOG.warn(
                            "Schedule {} has alertOnSkip but {} has no alerts.onFailure (and no ALERTS_DEFAULT_FILE): "
                                    + "skipped fires are not announced",
                            s.id(),
                            s.workflow());
                }
                continue;
            }
            ScheduleDescription d;
            try {
                d = schedules().getHandle(s.id()).describe();
            } catch (RuntimeException e) {
                // Not synced yet, or deleted: nothing fired.
                continue;
            }
            long skipped = d.getInfo().getNumActionsSkippedOverlap();
            long missed = d.getInfo().getNumActionsMissedCatchupWindow();
            if (skipped + missed == 0) {
                continue;
            }
            String id = REPORT_RUN_ID + s.id() + ":" + skipped + ":" + missed;
            if (id.equals(reported.get(s.id()))) {
                continue;
            }
            String message =
                    "Schedule " + s.id() + " did not start " + (skipped + missed) + " fire(s) of " + s.workflow()
                            + " since it was created: " + skipped + " skipped because a run was still going (overlap: "
                            + s.overlap()
                            + "), " + missed + " missed the catch-up window (" + Durations.format(s.catchupWindow())
                            + ", e.g. while the server was down). See ./clawfactory schedules describe " + s.id()
                            + "; end a stuck run, or change overlap or catchupWindow";
            RunOutcome o = new RunOutcome(
                    s.workflow(),
                    REPORT_WORKFLOW_ID + s.id(),
                    id,
                    Instant.now().toString(),
                    false,
                    "(schedule " + s.id() + ")",
                    message,
                    0,
                    Map.of(),
                    null,
                    RunReportActivitiesImpl.scheduleUrl(uiUrl, temporal.namespace(), s.id()),
                    w.version());
            RunReportActivitiesImpl.signalWithStart(client.get(), temporal.taskQueue(), o);
            reported.put(s.id(), id);
            LOG.warn("{}; reported to the alert workflow of {}", message, s.workflow());
            sent++;
        }
        reported.keySet().retainAll(declared);
        return sent;
    }

    /** The schedule a skipped-fires report is about, or null when the report is of a run. */
    static String scheduleOf(RunOutcome o) {
        if (o.workflowId() == null || o.runId() == null || !o.workflowId().startsWith(REPORT_WORKFLOW_ID)) {
            return null;
        }
        String schedule = o.workflowId().substring(REPORT_WORKFLOW_ID.length());
        return o.runId().startsWith(REPORT_RUN_ID + schedule + ":") ? schedule : null;
    }

    private ScheduleClient schedules() {
        if (schedules == null) {
            WorkflowClient c = client.get();
            schedules = ScheduleClient.newInstance(
                    c.getWorkflowServiceStubs(),
                    ScheduleClientOptions.newBuilder()
                            .setNamespace(temporal.namespace())
                            .build());
        }
        return schedules;
    }
}

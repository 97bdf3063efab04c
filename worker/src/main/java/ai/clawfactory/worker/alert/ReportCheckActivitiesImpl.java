package ai.clawfactory.worker.alert;

import ai.clawfactory.core.definition.AlertsDefinition;
import ai.clawfactory.core.definition.WorkflowDefinition;
import ai.clawfactory.worker.config.TemporalConfig;
import ai.clawfactory.worker.definition.DefinitionRegistry;
import io.micronaut.context.BeanProvider;
import io.temporal.client.WorkflowClient;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a report against what the worker itself knows: the alert workflow's own type, the
 * type's definition and its alerts block (or the defaults file's), and that the reported run
 * exists and is of that type (a skipped-fires report: that the schedule is declared with
 * {@code alertOnSkip} for the type). The alerts block is the worker's current one: a report from
 * a run pinned to another version of the definition is alerted with the alerts of the version the
 * worker has now, and both versions are logged.
 */
@Singleton
public class ReportCheckActivitiesImpl implements ReportCheckActivities {

    private static final Logger LOG = LoggerFactory.getLogger(ReportCheckActivitiesImpl.class);

    private final DefinitionRegistry registry;
    private final Supplier<AlertsDefinition> defaults;
    private final RunLookup runs;
    private final String uiUrl;
    private final String namespace;

    @Inject
    public ReportCheckActivitiesImpl(
            DefinitionRegistry registry,
            AlertDefaults defaults,
            BeanProvider<WorkflowClient> client,
            AlertsConfig alerts,
            TemporalConfig temporal) {
        this(registry, defaults, RunLookup.of(client::get), alerts.uiUrl(), temporal.namespace());
    }

    /**
     * @param defaults  the worker's alerts block for definitions without one (null: none)
     * @param uiUrl     the Web UI's base (ALERTS_UI_URL), for the {@code failure.url} of an accepted report
     * @param namespace the namespace the worker serves
     */
    public ReportCheckActivitiesImpl(
            DefinitionRegistry registry,
            Supplier<AlertsDefinition> defaults,
            RunLookup runs,
            String uiUrl,
            String namespace) {
        this.registry = registry;
        this.defaults = defaults;
        this.runs = runs;
        this.uiUrl = uiUrl.endsWith("/") ? uiUrl.substring(0, uiUrl.length() - 1) : uiUrl;
        this.namespace = namespace;
    }

    @Override
    public ReportCheck checkReport(ReportCheckInput input) {
        RunOutcome o = input.report();
        String type = input.watchedType();
        if (type == null) {
            return ReportCheck.refused("this alert workflow's id is not clawfactory-alerts/<workflow type>");
        }
        if (!type.equals(o.workflowType())) {
            return ReportCheck.refused(
                    "the report is of type '" + o.workflowType() + "', this alert workflow watches '" + type + "'");
        }
        WorkflowDefinition definition = registry.find(type);
        if (definition == null) {
            return ReportCheck.refused("the worker has no definition of '" + type + "'");
        }
        AlertsDefinition alerts = definition.alerts() != null ? definition.alerts() : defaults.get();
        if (alerts == null || (alerts.onFailure() == null && alerts.onRecovery() == null)) {
            return ReportCheck.refused(
                    "'" + type + "' has no alerts (neither in its definition nor in ALERTS_DEFAULT_FILE)");
        }
        String origin = origin(type, o);
        if (origin != null) {
            return ReportCheck.refused(origin);
        }
        if (o.definitionVersion() != null && !o.definitionVersion().equals(definition.version())) {
            LOG.info(
                    "Run {} of {} ran definition version {}; the worker now has version {}: alerting with its alerts ({})",
                    o.runId(),
                    type,
                    o.definitionVersion(),
                    definition.version(),
                    alerts.source());
        }
        String schedule = SkippedFiresCheck.scheduleOf(o);
        String url = schedule != null
                ? RunReportActivitiesImpl.scheduleUrl(uiUrl, namespace, schedule)
                : RunReportActivitiesImpl.runUrl(uiUrl, namespace, o.workflowId(), o.runId());
        return new ReportCheck(alerts, definition.version(), null, url);
    }

    /** Why the reported run (or schedule) is not one of this type, or null when it is. */
    private String origin(String type, RunOutcome o) {
        String schedule = SkippedFiresCheck.scheduleOf(o);
        if (schedule != null) {
            boolean declared = registry.schedules().stream()
                    .anyMatch(s -> s.id().equals(schedule) && s.alertOnSkip() && type.equals(s.workflow()));
            return declared
                    ? null
                    : "no schedule '" + schedule + "' of '" + type
                            + "' with alertOnSkip is declared in the definitions";
        }
        if (o.workflowId() == null
                || o.workflowId().isBlank()
                || o.runId() == null
                || o.runId().isBlank()) {
            return "the report names no run (workflow id and run id are required)";
        }
        String actual = runs.workflowType(o.workflowId(), o.runId());
        if (actual == null) {
            return "the server has no run " + o.runId() + " of workflow " + o.workflowId();
        }
        return Objects.equals(actual, type)
                ? null
                : "run " + o.runId() + " of workflow " + o.workflowId() + " is of type '" + actual + "', not '" + type
                        + "'";
    }
}

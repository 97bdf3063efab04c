package ai.clawfactory.worker.alert;

import ai.clawfactory.core.definition.AlertsDefinition;
import java.util.Map;

/**
 * How one run ended, as its type's alert workflow hears it. Recorded in history: only ever gains
 * fields. A report is data, never configuration: anyone who can signal a workflow can send one, so
 * the alert workflow takes the alerts block from the worker's own definitions (see
 * {@link ReportCheckActivities}), whatever {@code alerts} holds.
 *
 * @param ok                true: the run completed; false: it failed
 * @param step              the step that failed (or {@code (input)} for refused input), null when ok
 * @param message           the failure message (already redacted: it is the run's own failure), null when ok
 * @param attempts          attempts of the failed step
 * @param input             the run's input (alert templates may read {@code input.*})
 * @param alerts            the run's pinned alerts block in reports written before change {@code own-alerts}
 *                          (kept so they still read); ignored by the alert workflow since, and null in new reports
 * @param url               a link to the run in the Web UI (filled by the report activity, which knows the UI's address)
 * @param definitionVersion the version of the definition the run was pinned to (null in older reports)
 */
public record RunOutcome(
        String workflowType,
        String workflowId,
        String runId,
        String startTime,
        boolean ok,
        String step,
        String message,
        int attempts,
        Map<String, String> input,
        AlertsDefinition alerts,
        String url,
        String definitionVersion) {

    public RunOutcome withUrl(String u) {
        return with(alerts, u);
    }

    /** This outcome without what a later alert does not need (kept in the alert workflow's state). */
    public RunOutcome slim() {
        return with(null, url);
    }

    private RunOutcome with(AlertsDefinition a, String u) {
        return new RunOutcome(
                workflowType,
                workflowId,
                runId,
                startTime,
                ok,
                step,
                message,
                attempts,
                input,
                a,
                u,
                definitionVersion);
    }
}

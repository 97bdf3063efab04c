package ai.clawfactory.worker.alert;

import ai.clawfactory.core.definition.AlertsDefinition;

/**
 * The answer to a report: the alerts block to use, or why the report is refused. Recorded in
 * history: only ever gains fields.
 *
 * @param alerts            the worker's alerts block for the type (the definition's own or the defaults file's), null when refused
 * @param definitionVersion the version of the worker's definition of the type, null when refused
 * @param refusal           why nothing is sent for this report (unknown type, no alerts, no such run), null when accepted
 * @param url               the reported run's (or schedule's) page in the Web UI, made by the worker from
 *                          ALERTS_UI_URL: {@code {{failure.url}}} never comes from the report itself (null
 *                          when refused, and in checks recorded before this field existed)
 */
public record ReportCheck(AlertsDefinition alerts, String definitionVersion, String refusal, String url) {

    static ReportCheck refused(String why) {
        return new ReportCheck(null, null, why, null);
    }
}

package ai.clawfactory.worker.alert;

/**
 * A report to check.
 *
 * @param watchedType the type the asking alert workflow watches (from its id {@code clawfactory-alerts/<type>}),
 *                    null when its id has another shape
 * @param report      the report as it arrived
 */
public record ReportCheckInput(String watchedType, RunOutcome report) {}

package ai.clawfactory.worker.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.definition.AlertsDefinition;
import ai.clawfactory.core.definition.DefinitionLoader;
import ai.clawfactory.worker.config.DefinitionsConfig;
import ai.clawfactory.worker.definition.DefinitionRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check of a report, without Temporal: where the alerts block comes from, and what is refused. */
class ReportCheckActivitiesImplTest {

    private static final String STEPS = "steps:\n  - id: execute\n    agentTurn: { message: go }\n";

    @TempDir
    Path dir;

    private DefinitionRegistry registry;
    private final AlertsDefinition defaults =
            new DefinitionLoader().parseAlertsFile("defaults.yaml", AlertWorkflowTest.ALERTS_YAML.formatted(3));

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(dir.resolve("own.yaml"), "name: Own\n" + STEPS + AlertWorkflowTest.ALERTS_YAML.formatted(1));
        Files.writeString(
                dir.resolve("stuck.yaml"),
                "name: Stuck\n" + STEPS
                        + "schedule: { id: stuck-schedule, interval: 1m, timezone: UTC, overlap: skip, alertOnSkip: true }\n");
        registry = new DefinitionRegistry(new DefinitionsConfig(dir.toString(), null));
    }

    /** Every run exists, and its workflow id names its type. */
    private ReportCheck check(String watched, RunOutcome o) {
        return new ReportCheckActivitiesImpl(
                        registry, () -> defaults, (workflowId, runId) -> workflowId, "http://ui.test/", "ns 1")
                .checkReport(new ReportCheckInput(watched, o));
    }

    private static RunOutcome report(String type, String workflowId, String runId, String definitionVersion) {
        return AlertWorkflowTest.forged(type, workflowId, runId, definitionVersion);
    }

    @Test
    void theDefinitionsOwnBlockIsUsedWhateverTheReportCarries() {
        ReportCheck c = check("Own", report("Own", "Own", "r1", null));
        assertNull(c.refusal());
        assertEquals(1, c.alerts().after());
        assertEquals("agentTurn", c.alerts().onFailure().kind());
        assertEquals(registry.find("Own").version(), c.definitionVersion());
        assertEquals("http://ui.test/namespaces/ns%201/workflows/Own/r1/history", c.url());
    }

    @Test
    void aReportOfAnotherDefinitionVersionIsAlertedWithTheCurrentOnesBlock() {
        ReportCheck c = check("Own", report("Own", "Own", "r1", "0123456789ab"));
        assertNull(c.refusal());
        assertEquals(1, c.alerts().after());
        assertEquals(registry.find("Own").version(), c.definitionVersion());
    }

    @Test
    void aDefinitionWithoutABlockUsesTheDefaultsFile() {
        ReportCheck c = check("Stuck", report("Stuck", "Stuck", "r1", null));
        assertNull(c.refusal());
        assertEquals(3, c.alerts().after());
    }

    @Test
    void aSkippedFiresReportNeedsTheScheduleDeclaredWithAlertOnSkipForTheType() {
        String runId = SkippedFiresCheck.REPORT_RUN_ID + "stuck-schedule:2:0";
        ReportCheck stuck =
                check("Stuck", report("Stuck", SkippedFiresCheck.REPORT_WORKFLOW_ID + "stuck-schedule", runId, null));
        assertNull(stuck.refusal());
        assertEquals("http://ui.test/namespaces/ns%201/schedules/stuck-schedule", stuck.url());
        ReportCheck other = check(
                "Own",
                report(
                        "Own",
                        SkippedFiresCheck.REPORT_WORKFLOW_ID + "stuck-schedule",
                        SkippedFiresCheck.REPORT_RUN_ID + "stuck-schedule:2:0",
                        null));
        assertTrue(other.refusal().contains("no schedule 'stuck-schedule' of 'Own' with alertOnSkip"), other.refusal());
        assertNull(other.alerts());
    }

    @Test
    void aRunOfAnotherTypeOrAReportWithoutARunIsRefused() {
        ReportCheck c = check("Own", report("Own", "Stuck", "r1", null));
        assertEquals("run r1 of workflow Stuck is of type 'Stuck', not 'Own'", c.refusal());
        assertTrue(check("Own", report("Own", "Own", "", null)).refusal().contains("names no run"));
        assertTrue(
                check(null, report("Own", "Own", "r1", null)).refusal().contains("clawfactory-alerts/<workflow type>"));
    }
}

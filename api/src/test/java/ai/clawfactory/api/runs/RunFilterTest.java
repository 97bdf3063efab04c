package ai.clawfactory.api.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.clawfactory.api.problem.ApiProblem;
import org.junit.jupiter.api.Test;

class RunFilterTest {

    @Test
    void buildsTheQueryFromCheckedValues() {
        RunFilter f = RunFilter.of(
                "PoetryResearchWorkflow", "TIMED_OUT", "poetry-research-daily", "2026-12-05T04:00:00Z", null);
        assertEquals(
                "WorkflowType != \"ClawfactoryAlerts\" AND WorkflowType = \"PoetryResearchWorkflow\""
                        + " AND ExecutionStatus = \"TimedOut\" AND TemporalScheduledById = \"poetry-research-daily\""
                        + " AND StartTime >= \"2026-12-05T04:00:00Z\"",
                f.query());
    }

    @Test
    void refusesWhatCouldChangeTheQuery() {
        assertEquals("type", field(() -> RunFilter.of("X\" OR WorkflowType != \"", null, null, null, null)));
        assertEquals("schedule", field(() -> RunFilter.of(null, null, "a' OR 1=1", null, null)));
        assertEquals("status", field(() -> RunFilter.of(null, "Running\" OR \"", null, null, null)));
        assertEquals("startedBefore", field(() -> RunFilter.of(null, null, null, null, "now")));
    }

    @Test
    void literalsEscapeQuotesAndBackslashesAnyway() {
        assertEquals("\"a\\\"b\\\\c\"", RunFilter.literal("a\"b\\c"));
    }

    private static String field(Runnable r) {
        return assertThrows(ApiProblem.class, r::run).problem().field();
    }
}

package ai.clawfactory.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WorkflowIdsTest {

    @Test
    void turnKeyIsStablePerRunAndStepAndChangesWithGeneration() {
        String k = WorkflowIds.turnKey("wf", "run-1", "execute", 0);
        assertEquals("wf/run-1/execute", k);
        assertEquals(k, WorkflowIds.turnKey("wf", "run-1", "execute", 0));
        assertNotEquals(k, WorkflowIds.turnKey("wf", "run-2", "execute", 0));
        assertEquals("wf/run-1/execute#1", WorkflowIds.turnKey("wf", "run-1", "execute", 1));
    }

    @Test
    void eachItemOfAFanOutHasItsOwnKeyAndAStepWithoutOneKeepsItsKey() {
        assertEquals("research[2]", WorkflowIds.itemStepId("research", 2));
        assertEquals(
                "wf/run-1/research[2]", WorkflowIds.turnKey("wf", "run-1", WorkflowIds.itemStepId("research", 2), 0));
        assertEquals(
                "wf/run-1/research[2]#1", WorkflowIds.turnKey("wf", "run-1", WorkflowIds.itemStepId("research", 2), 1));
        assertNotEquals(
                WorkflowIds.turnKey("wf", "run-1", WorkflowIds.itemStepId("research", 0), 0),
                WorkflowIds.turnKey("wf", "run-1", WorkflowIds.itemStepId("research", 1), 0));
        assertEquals("wf/run-1/research", WorkflowIds.turnKey("wf", "run-1", "research", 0), "byte for byte as before");
    }

    @Test
    void turnKeyStaysWithinTheGatewaysLimitAndKeepsRunAndStep() {
        String longId = "x".repeat(400);
        String k = WorkflowIds.turnKey(longId, "run-1", "execute", 2);
        assertTrue(k.length() <= 256, "length " + k.length());
        assertTrue(k.endsWith("/run-1/execute#2"), k);
        assertNotEquals(k, WorkflowIds.turnKey("y".repeat(400), "run-1", "execute", 2));
    }

    @Test
    void defaultScheduleIdIsKebabCase() {
        assertEquals("poetry-research-workflow-schedule", WorkflowIds.defaultScheduleId("PoetryResearchWorkflow"));
    }

    @Test
    void alertWorkflowIdNamesTheTypeAndAlertKeysCannotMeetAStepsKey() {
        assertEquals(
                "clawfactory-alerts/PoetryResearchWorkflow", WorkflowIds.alertsWorkflowId("PoetryResearchWorkflow"));
        // Alerts use the step id "alerts.onFailure"; step ids cannot hold a '.', so no step shares the key.
        assertEquals("wf/run/alerts.onFailure", WorkflowIds.turnKey("wf", "run", "alerts.onFailure", 0));
    }

    @Test
    void aRerunIdNamesTheOldRunOnceHoweverOftenItIsRerun() {
        assertEquals("poetry-1-rerun-1700000000000", WorkflowIds.rerunWorkflowId("poetry-1", 1_700_000_000_000L));
        assertEquals(
                "poetry-1-rerun-1700000000001",
                WorkflowIds.rerunWorkflowId("poetry-1-rerun-1700000000000", 1_700_000_000_001L));
    }
}

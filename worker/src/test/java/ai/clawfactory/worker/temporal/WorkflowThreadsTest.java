package ai.clawfactory.worker.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WorkflowThreadsTest {

    @Test
    void virtualFromJava21WhenWanted() {
        assertTrue(WorkflowThreads.virtual(true, 21));
        assertTrue(WorkflowThreads.virtual(true, 25));
    }

    @Test
    void platformOnJava17EvenWhenWanted() {
        assertFalse(WorkflowThreads.virtual(true, 17));
        assertFalse(WorkflowThreads.virtual(true, 20));
    }

    @Test
    void platformWhenSwitchedOff() {
        assertFalse(WorkflowThreads.virtual(false, 25));
    }

    @Test
    void theRunningJvmDecides() {
        assertEquals(Runtime.version().feature() >= 21, WorkflowThreads.virtual(true));
        assertEquals("virtual", WorkflowThreads.describe(true));
        assertEquals("platform", WorkflowThreads.describe(false));
    }
}

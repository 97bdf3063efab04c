package ai.clawfactory.core.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** One-shot schedules: {@code schedule.at} (+ {@code deleteAfterRun}). */
class OneShotScheduleDefinitionTest {

    private static ScheduleDefinition schedule(DefinitionLoader loader, String block) {
        return loader.parse("o.yaml", "name: Once\nsteps:\n  - id: s\n    wait: 1s\nschedule:\n" + block.indent(2))
                .schedule();
    }

    @Test
    void anInstantWithAnOffsetNeedsNoTimezoneAndIsDeletedAfterItsRunByDefault() {
        ScheduleDefinition s = schedule(new DefinitionLoader(), "at: \"2027-06-01T10:00:00+02:00\"\n");
        assertTrue(s.oneShot());
        assertEquals(Instant.parse("2027-06-01T08:00:00Z"), s.at());
        assertEquals("UTC", s.timezone());
        assertTrue(s.deleteAfterRun());
        assertTrue(s.cron().isEmpty());
    }

    @Test
    void aLocalTimeIsReadInTheSchedulesTimezoneAndCanBeKept() {
        ScheduleDefinition s = schedule(
                new DefinitionLoader(), "at: \"2027-01-01T09:00\"\ntimezone: Europe/Berlin\ndeleteAfterRun: false\n");
        assertEquals(Instant.parse("2027-01-01T08:00:00Z"), s.at());
        assertFalse(s.deleteAfterRun());
    }

    @Test
    void recurringSchedulesAreNotOneShots() {
        assertFalse(schedule(new DefinitionLoader(), "cron: \"0 4 * * *\"\ntimezone: UTC\n")
                .oneShot());
    }

    @Test
    void mistakesAreReported() {
        DefinitionLoader loader = new DefinitionLoader();
        String noZone = assertThrows(DefinitionException.class, () -> schedule(loader, "at: \"2027-01-01T09:00\"\n"))
                .getMessage();
        assertTrue(noZone.contains("schedule.at: '2027-01-01T09:00' has no offset"), noZone);
        String both = assertThrows(
                        DefinitionException.class,
                        () -> schedule(loader, "at: \"2027-01-01T09:00:00Z\"\ncron: \"0 4 * * *\"\n"))
                .getMessage();
        assertTrue(both.contains("schedule.at: at is a one-shot: it goes without cron, calendar or interval"), both);
        String bad = assertThrows(DefinitionException.class, () -> schedule(loader, "at: tomorrow\n"))
                .getMessage();
        assertTrue(bad.contains("'tomorrow' is not a date and time"), bad);
        String stray = assertThrows(
                        DefinitionException.class,
                        () -> schedule(loader, "cron: \"0 4 * * *\"\ntimezone: UTC\ndeleteAfterRun: true\n"))
                .getMessage();
        assertTrue(stray.contains("deleteAfterRun only goes with at"), stray);
    }
}

package ai.clawfactory.core.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What Temporal refuses when {@code schedules sync} creates a schedule (its frontend's and its
 * scheduler's spec checks, tried against {@code temporal server start-dev} 1.32), refused by the
 * loader first, so {@code validate} says so and {@code sync} never stops half-way.
 */
class ScheduleServerRulesTest {

    private static String file(String scheduleLines) {
        return "name: W\nsteps:\n  - id: a\n    wait: 1m\nschedule:\n" + scheduleLines;
    }

    private static Problem onlyProblem(String text) {
        var e = assertThrows(DefinitionException.class, () -> new DefinitionLoader().parse("w.yaml", text));
        assertEquals(1, e.problems().size(), e.getMessage());
        return e.problems().get(0);
    }

    @ParameterizedTest(name = "interval {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                // The server: "Invalid schedule spec: interval is too small".
                "500ms | at least 1s (Temporal's shortest interval)",
                // The server counts in whole seconds: 1500ms would silently run every second.
                "1500ms | whole seconds (Temporal counts intervals in seconds): write 1s or 2s, not 1500ms"
            })
    void anIntervalTheServerRefusesOrTruncatesIsAProblemAtItsPlace(String interval, String message) {
        Problem p = onlyProblem(file("  interval: " + interval + "\n  timezone: UTC\n"));
        assertEquals(new Problem("w.yaml", 6, 13, "schedule.interval", message), p);
    }

    @Test
    void anOffsetMustBeShorterThanTheInterval() {
        // The server: "Invalid schedule spec: phase cannot be greater than Interval".
        Problem p = onlyProblem(file("  interval: 10m\n  offset: 15m\n  timezone: UTC\n"));
        assertEquals(
                new Problem(
                        "w.yaml",
                        7,
                        11,
                        "schedule.offset",
                        "must be shorter than the interval (10m): an offset places each fire within one interval"),
                p);
        assertEquals(
                "schedule.offset",
                onlyProblem(file("  interval: 10m\n  offset: 10m\n  timezone: UTC\n"))
                        .path());
        assertEquals(
                "schedule.offset",
                onlyProblem(file("  interval: 10m\n  offset: 2500ms\n  timezone: UTC\n"))
                        .path());
        assertEquals(
                Duration.ofMinutes(9),
                new DefinitionLoader()
                        .parse("w.yaml", file("  interval: 10m\n  offset: 9m\n  timezone: UTC\n"))
                        .schedule()
                        .offset());
    }

    @ParameterizedTest(name = "timezone {0}")
    @CsvSource({"'+01:00'", "UTC+1", "GMT+01:00", "Z", "SystemV/EST5"})
    void aZoneJavaKnowsButTheServerDoesNotIsAProblem(String zone) {
        // The server: "Invalid schedule spec: unknown time zone +01:00" (it reads the tz database only).
        Problem p = onlyProblem(file("  cron: '0 4 * * *'\n  timezone: '" + zone + "'\n"));
        assertEquals(
                new Problem(
                        "w.yaml",
                        7,
                        13,
                        "schedule.timezone",
                        "'" + zone
                                + "' is not a zone of the tz database, which Temporal reads (name a region, e.g. UTC, "
                                + "Europe/Berlin, America/New_York; Etc/GMT-1 for a fixed UTC+01:00)"),
                p);
    }

    @Test
    void zonesOfTheTzDatabaseStillPass() {
        for (String zone : List.of("UTC", "Etc/UTC", "Europe/Berlin", "America/New_York", "Etc/GMT-1", "GMT0")) {
            assertEquals(
                    zone,
                    new DefinitionLoader()
                            .parse("w.yaml", file("  cron: '0 4 * * *'\n  timezone: " + zone + "\n"))
                            .schedule()
                            .timezone());
        }
    }

    @Test
    void aDefaultZoneFromTheEnvironmentIsCheckedTheSameWay() {
        var e = assertThrows(
                DefinitionException.class,
                () -> new DefinitionLoader("UTC+1").parse("w.yaml", file("  cron: '0 4 * * *'\n")));
        assertEquals("schedule.timezone", e.problems().get(0).path(), e.getMessage());
    }

    @Test
    void aWorkflowIdTooLongForTheServerIsAProblem() {
        // The server appends the fire time ("-2009-11-10T23:00:00Z", 21 characters) and allows 1,000 in all.
        String id = "w".repeat(980);
        Problem p = onlyProblem(file("  cron: '0 4 * * *'\n  timezone: UTC\n  workflowId: " + id + "\n"));
        assertEquals(
                new Problem(
                        "w.yaml",
                        8,
                        15,
                        "schedule.workflowId",
                        "is 980 characters; at most 979 (Temporal allows 1,000 with the fire time it appends)"),
                p);
        assertEquals(
                "w".repeat(979),
                new DefinitionLoader()
                        .parse(
                                "w.yaml",
                                file("  cron: '0 4 * * *'\n  timezone: UTC\n  workflowId: " + "w".repeat(979) + "\n"))
                        .schedule()
                        .workflowId());
    }
}

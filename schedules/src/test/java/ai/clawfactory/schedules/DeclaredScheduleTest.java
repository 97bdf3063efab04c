package ai.clawfactory.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.ExitCode;
import ai.clawfactory.core.definition.DefinitionLoader;
import ai.clawfactory.core.definition.WorkflowDefinition;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.schedules.ScheduleRange;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeclaredScheduleTest {

    private static DeclaredSchedule declared(String file, String scheduleBlock) {
        WorkflowDefinition d = new DefinitionLoader(null)
                .parse(
                        file,
                        "name: W\ninput: { a: '1', b: '2' }\nsteps:\n" + "  - id: s\n    wait: 1s\nschedule:\n"
                                + scheduleBlock.indent(2));
        return DeclaredSchedule.of(d);
    }

    @Test
    void theHashCoversWhatMattersAndNothingElse() {
        DeclaredSchedule a = declared("a.yaml", "cron: \"0 4 * * *\"\ntimezone: UTC\ninput: { a: x, b: y }\n");
        DeclaredSchedule sameElsewhere =
                declared("moved/b.yaml", "timezone: UTC\ninput: { b: y, a: x }\ncron: \"0 4 * * *\"\n");
        assertEquals(a.hash(), sameElsewhere.hash(), "key order and the file's place do not change the content");
        assertNotEquals(
                a.hash(),
                declared("a.yaml", "cron: \"0 4 * * *\"\ntimezone: Europe/Berlin\ninput: { a: x, b: y }\n")
                        .hash());
        assertNotEquals(
                a.hash(),
                declared("a.yaml", "cron: \"0 4 * * *\"\ntimezone: UTC\ninput: { a: x, b: z }\n")
                        .hash());
        assertNotEquals(
                a.hash(),
                declared("a.yaml", "cron: \"0 4 * * *\"\ntimezone: UTC\ninput: { a: x, b: y }\npaused: true\n")
                        .hash());
        assertNotEquals(
                a.hash(),
                declared("a.yaml", "cron: \"0 4 * * *\"\ntimezone: UTC\ninput: { a: x, b: y }\nnote: hi\n")
                        .hash());
        assertEquals(16, a.hash().length());
    }

    @Test
    void theSpecTextRoundTripsAndDiffsNameEachChangedField() {
        DeclaredSchedule a = declared("a.yaml", "cron: \"0 4 * * *\"\ntimezone: UTC\n");
        DeclaredSchedule b = declared("a.yaml", "interval: 30m\ntimezone: UTC\noverlap: allowAll\n");
        assertEquals(a.canonical(), DeclaredSchedule.parseSpecText(a.specText()));
        assertEquals(
                "interval: (none) -> 30m; offset: (none) -> 0s; overlap: skip -> allowAll; cron: 0 4 * * * -> (none)",
                Reconciler.diff(a.canonical(), b.canonical()));
        assertTrue(Reconciler.diff(Map.of(), b.canonical()).startsWith("no spec recorded"));
    }

    @Test
    void runsStartedByTheScheduleCarryTheDefinitionsSummaryAndStepsAndAChangeOfStepsIsAnUpdate() {
        WorkflowDefinition d = new DefinitionLoader(null)
                .parse(
                        "a.yaml",
                        "name: W\ndescription: Research, then rest.\nsteps:\n"
                                + "  - id: execute\n    agentTurn: { name: research, message: go }\n  - id: settle\n    wait: 2h\n"
                                + "schedule: { cron: \"0 4 * * *\", timezone: UTC }\n");
        DeclaredSchedule s = DeclaredSchedule.of(d);
        var options = ((io.temporal.client.schedules.ScheduleActionStartWorkflow)
                        s.toSchedule(s.declaredState()).getAction())
                .getOptions();
        assertEquals("Research, then rest.", options.getStaticSummary());
        assertEquals(
                "**W**\n\n| step | what | when | attempts |\n|---|---|---|---|\n"
                        + "| execute | agent turn research | always | 3 × 10m |\n| settle | wait 2h | always |  |\n",
                options.getStaticDetails());
        DeclaredSchedule longer = DeclaredSchedule.of(new DefinitionLoader(null)
                .parse(
                        "a.yaml",
                        "name: W\ndescription: Research, then rest.\n"
                                + "steps:\n  - id: execute\n    agentTurn: { name: research, message: go }\n  - id: settle\n    wait: 3h\n"
                                + "schedule: { cron: \"0 4 * * *\", timezone: UTC }\n"));
        assertTrue(
                Reconciler.diff(s.canonical(), longer.canonical()).startsWith("details: "),
                Reconciler.diff(s.canonical(), longer.canonical()));
    }

    @Test
    void overlapNamesMapBothWays() {
        for (String name : DefinitionLoader.OVERLAP_POLICIES) {
            ScheduleOverlapPolicy p = DeclaredSchedule.overlapPolicy(name);
            assertEquals(name, DeclaredSchedule.overlapName(p));
        }
        assertThrows(IllegalArgumentException.class, () -> DeclaredSchedule.overlapPolicy("sometimes"));
    }

    @Test
    void backfillTimesAcceptOffsetsAndLocalTimesInTheSchedulesZone() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        assertEquals(
                Instant.parse("2026-11-01T03:00:00Z"),
                BackfillCommand.parse("2026-11-01T04:00+01:00", berlin, "--from"));
        assertEquals(
                Instant.parse("2026-11-01T04:00:00Z"), BackfillCommand.parse("2026-11-01T04:00Z", berlin, "--from"));
        assertEquals(
                Instant.parse("2026-11-01T03:00:00Z"), BackfillCommand.parse("2026-11-01T04:00", berlin, "--from"));
        assertEquals(Instant.parse("2026-10-31T23:00:00Z"), BackfillCommand.parse("2026-11-01", berlin, "--from"));
        UserException e = assertThrows(UserException.class, () -> BackfillCommand.parse("tomorrow", berlin, "--to"));
        assertEquals(ExitCode.INVALID.code(), e.exitCode());
        assertTrue(e.getMessage().startsWith("--to 'tomorrow' is not a time"), e.getMessage());
    }

    @Test
    void helpExistsForEveryCommandAndUsageErrorsExitTwo() {
        Cli cli = Cli.offline();
        for (String cmd : new String[] {
            "validate", "sync", "list", "describe", "trigger", "pause", "unpause", "backfill", "delete"
        }) {
            Cli.Result help = cli.run(cmd, "--help");
            assertEquals(0, help.exitCode(), help::toString);
            assertTrue(help.out().startsWith("Usage: clawfactory-schedules " + cmd), help::toString);
        }
        Cli.Result none = cli.run();
        assertEquals(ExitCode.INVALID.code(), none.exitCode(), none::toString);
        Cli.Result unknown = cli.run("frobnicate");
        assertEquals(ExitCode.INVALID.code(), unknown.exitCode(), unknown::toString);
        Cli.Result badOverlap = cli.run("trigger", "x", "--overlap", "sometimes");
        assertEquals(ExitCode.INVALID.code(), badOverlap.exitCode(), badOverlap::toString);
        assertTrue(badOverlap.err().contains("'sometimes' is not an overlap policy"), badOverlap::toString);
    }

    @Test
    void aOneShotBecomesOneCalendarInstantWithASingleAction() {
        DeclaredSchedule d = declared("o.yaml", "at: \"2027-06-01T10:15:30+02:00\"\n");
        var spec = d.toSchedule(d.declaredState()).getSpec();
        assertEquals("UTC", spec.getTimeZoneName());
        var cal = spec.getCalendars().get(0);
        assertEquals(List.of(new ScheduleRange(2027)), cal.getYear());
        assertEquals(List.of(new ScheduleRange(6)), cal.getMonth());
        assertEquals(List.of(new ScheduleRange(1)), cal.getDayOfMonth());
        assertEquals(List.of(new ScheduleRange(8)), cal.getHour());
        assertEquals(List.of(new ScheduleRange(15)), cal.getMinutes());
        assertEquals(List.of(new ScheduleRange(30)), cal.getSeconds());
        assertEquals(
                "once at 2027-06-01T08:15:30",
                Display.spec(spec),
                "list and describe show the instant, not a yearly cron");
        assertTrue(d.declaredState().isLimitedAction());
        assertEquals(1, d.declaredState().getRemainingActions());
        assertEquals("2027-06-01T08:15:30Z", d.canonical().get("at"));
        assertEquals("true", d.canonical().get("deleteAfterRun"));
        assertEquals("once at 2027-06-01T08:15:30Z", d.when());
        assertNotEquals(
                d.hash(),
                declared("o.yaml", "at: \"2027-06-01T10:15:30+02:00\"\ndeleteAfterRun: false\n")
                        .hash());
    }
}

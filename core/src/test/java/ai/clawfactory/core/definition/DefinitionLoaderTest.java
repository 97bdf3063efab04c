package ai.clawfactory.core.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DefinitionLoaderTest {

    private final DefinitionLoader loader = new DefinitionLoader();

    static Path repoDefinitions() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("definitions")) && Files.exists(d.resolve("clawfactory"))) {
                return d.resolve("definitions");
            }
        }
        throw new IllegalStateException(
                "definitions/ not found above " + Path.of("").toAbsolutePath());
    }

    @Test
    void shippedPoetryResearchWorkflowHasTheOriginalsShape() {
        Map<String, WorkflowDefinition> defs = loader.loadDirectory(repoDefinitions());
        WorkflowDefinition d = defs.get("PoetryResearchWorkflow");
        assertEquals(
                List.of("execute", "settle", "synthesize"),
                d.steps().stream().map(StepDefinition::id).toList());
        StepDefinition execute = d.step("execute");
        assertEquals("poetry-research-execute", execute.agentTurn().name());
        assertEquals(Duration.ofMinutes(10), execute.timeout());
        assertEquals(new RetryDefinition(Duration.ofSeconds(30), 2.0, Duration.ofMinutes(5), 3), execute.retry());
        assertEquals(Duration.ofHours(2), d.step("settle").waitFor().duration());
        assertEquals(
                "poetry-research-synthesize", d.step("synthesize").agentTurn().name());
        assertEquals("steps.execute.ok", d.step("synthesize").when());
        ScheduleDefinition s = d.schedule();
        assertEquals("poetry-research-daily", s.id());
        assertEquals(List.of("0 4 * * *"), s.cron());
        assertEquals("UTC", s.timezone());
        assertEquals("skip", s.overlap());
        assertEquals(Duration.ofHours(1), s.catchupWindow());
    }

    @Test
    void stepSettingsOverrideFileDefaultsWhichOverrideBuiltIns() {
        WorkflowDefinition d = loader.parse("x.yaml", """
                name: Layers
                defaults: { timeout: 2m, retry: { maximumAttempts: 5 } }
                steps:
                  - id: a
                    agentTurn: { message: hi }
                  - id: b
                    timeout: 30s
                    retry: { initialInterval: 1s, maximumInterval: 4s }
                    agentTurn: { message: hi }
                """);
        assertEquals(Duration.ofMinutes(2), d.step("a").timeout());
        assertEquals(5, d.step("a").retry().maximumAttempts());
        assertEquals(Duration.ofSeconds(30), d.step("a").retry().initialInterval());
        assertEquals(Duration.ofSeconds(30), d.step("b").timeout());
        assertEquals(
                new RetryDefinition(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(4), 5),
                d.step("b").retry());
    }

    @Test
    void versionChangesWithTheFileContent() {
        String a = loader.parse("a.yaml", "name: V\nsteps:\n  - id: a\n    wait: 1m\n")
                .version();
        String b = loader.parse("a.yaml", "name: V\nsteps:\n  - id: a\n    wait: 2m\n")
                .version();
        assertNotEquals(a, b);
        assertEquals(12, a.length());
    }

    @Test
    void calendarBecomesTheEquivalentCronAndScheduleIdDefaultsFromTheName() {
        WorkflowDefinition d = loader.parse("c.yaml", """
                name: MorningDigest
                steps:
                  - id: a
                    wait: 1m
                schedule: { calendar: { hour: 6, minute: 30, dayOfWeek: MON-FRI }, timezone: Europe/Berlin }
                """);
        assertEquals(List.of("30 6 * * MON-FRI"), d.schedule().cron());
        assertEquals("morning-digest-schedule", d.schedule().id());
        assertEquals("morning-digest-schedule", d.schedule().workflowId());
    }

    @Test
    void configuredDefaultTimezoneIsUsedOnlyWhenTheFileHasNone() {
        String yaml = "name: Z\nsteps:\n  - id: a\n    wait: 1m\nschedule: { interval: 1h }\n";
        assertEquals(
                "Europe/Paris",
                new DefinitionLoader("Europe/Paris")
                        .parse("z.yaml", yaml)
                        .schedule()
                        .timezone());
        assertThrows(DefinitionException.class, () -> loader.parse("z.yaml", yaml));
    }

    static Stream<Path> badDefinitions() throws URISyntaxException, IOException {
        Path dir = Path.of(
                DefinitionLoaderTest.class.getResource("/bad-definitions").toURI());
        return Files.list(dir).sorted();
    }

    /** Every file of the corpus starts with "# expect: <text the error must contain>". */
    @ParameterizedTest(name = "{0}")
    @MethodSource("badDefinitions")
    void badDefinitionIsRefusedWithItsExpectedError(Path file, @TempDir Path dir) throws IOException {
        String text = Files.readString(file);
        String expected = text.lines().findFirst().orElseThrow().replaceFirst("^# expect: ", "");
        Files.writeString(dir.resolve(file.getFileName()), text);
        Files.writeString(dir.resolve("good.yaml"), "name: Good\nsteps:\n  - id: a\n    wait: 1m\n");
        DefinitionException e = assertThrows(DefinitionException.class, () -> loader.loadDirectory(dir));
        String all = e.getMessage();
        assertTrue(all.contains(expected), () -> "expected «" + expected + "» in:\n" + all);
        assertTrue(
                e.problems().stream()
                        .allMatch(p -> p.file().endsWith(file.getFileName().toString())),
                "every problem names the bad file, none the good one: " + e.problems());
        assertTrue(all.contains("nothing was loaded"));
        assertTrue(
                e.problems().stream().allMatch(p -> p.line() > 0 && p.column() > 0),
                "every problem has a line and a column: " + e.problems());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDefinitions")
    void aBadFileIsSetAsideWhileTheGoodOnesLoad(Path file, @TempDir Path dir) throws IOException {
        Files.copy(file, dir.resolve(file.getFileName()));
        Files.writeString(dir.resolve("good.yaml"), "name: Good\nsteps:\n  - id: a\n    wait: 1m\n");
        DefinitionLoader.LoadReport report = loader.loadEach(dir);
        assertEquals(List.of("Good"), List.copyOf(report.valid().workflows().keySet()));
        assertTrue(
                !report.problems().isEmpty()
                        && report.problems().stream()
                                .allMatch(p ->
                                        p.file().endsWith(file.getFileName().toString())),
                report.problems().toString());
    }

    @Test
    void theTypeOfABadFileIsRefusedWithItsProblems(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("good.yaml"), "name: Good\nsteps:\n  - id: a\n    wait: 1m\n");
        Files.writeString(dir.resolve("bad.yaml"), "name: Broken\nsteps:\n  - id: a\n    wait: 9223372036854775807d\n");
        Files.writeString(dir.resolve("twice-a.yaml"), "name: Twice\nsteps:\n  - id: a\n    wait: 1m\n");
        Files.writeString(dir.resolve("twice-b.yaml"), "name: Twice\nsteps:\n  - id: a\n    wait: 2m\n");
        DefinitionLoader.LoadReport report = loader.loadEach(dir);
        assertEquals(List.of("Good"), List.copyOf(report.valid().workflows().keySet()));
        assertEquals(List.of("Broken", "Twice"), List.copyOf(report.refused().keySet()));
        String broken = report.refused().get("Broken").get(0).toString();
        assertTrue(broken.contains("bad.yaml:4:11: steps[0](a).wait:"), broken);
        assertTrue(
                report.refused().get("Twice").get(0).toString().contains("twice-b.yaml:1:7: name:"),
                report.refused().get("Twice").toString());
    }

    @Test
    void aFileOverTheSizeCapIsRefusedBeforeParsing(@TempDir Path dir) throws IOException {
        String big = "name: Big\ndescription: \"" + "x".repeat(DefinitionLoader.MAX_FILE_BYTES)
                + "\"\nsteps:\n  - id: a\n    wait: 1m\n";
        Files.writeString(dir.resolve("big.yaml"), big);
        DefinitionException e = assertThrows(DefinitionException.class, () -> loader.loadAll(dir));
        assertTrue(
                e.getMessage().contains("big.yaml:1:1: the file is 128 KiB; a definition may be at most 128 KiB"),
                e.getMessage());
    }

    @Test
    void aWorkflowWithMoreStepsThanTheCapIsRefused() {
        StringBuilder yaml = new StringBuilder("name: Long\nsteps:\n");
        for (int i = 0; i <= DefinitionLoader.MAX_STEPS; i++) {
            yaml.append("  - id: s").append(i).append("\n    wait: 1m\n");
        }
        DefinitionException e =
                assertThrows(DefinitionException.class, () -> loader.parse("long.yaml", yaml.toString()));
        assertTrue(
                e.getMessage().contains("steps[100]: a workflow has at most 100 steps, this one 101"), e.getMessage());
    }

    @Test
    void inputsAndStepsKeepTheOrderTheFileWrites() {
        StringBuilder yaml = new StringBuilder("name: Ordered\ninput:\n");
        List<String> names =
                List.of("zeta", "alpha", "mu", "beta", "omega", "kappa", "delta", "iota", "gamma", "chi", "eta", "nu");
        names.forEach(n -> yaml.append("  ").append(n).append(": x\n"));
        yaml.append("steps:\n");
        names.forEach(n -> yaml.append("  - id: ").append(n).append("\n    wait: 1m\n"));
        WorkflowDefinition d = loader.parse("o.yaml", yaml.toString());
        assertEquals(names, List.copyOf(d.input().keySet()));
        assertEquals(names, d.steps().stream().map(StepDefinition::id).toList());
    }

    @Test
    void durationsAreBoundedToTenYears() {
        assertEquals(Duration.ofDays(3650), Durations.parse("3650d"));
        assertEquals(Duration.ofDays(3650), Durations.parse("87600h"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("3650d1ms"));
        assertTrue(e.getMessage().contains("longer than the longest duration allowed, 3650d"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> Durations.parse("0000000000000000000000001d1d".replace("1d1d", "99999999999999999d")));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("-PT1H"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("0001s500ms"));
    }

    @Test
    void aDefaultTimezoneThatIsNotAZoneIsAProblemOfTheSchedule() {
        String yaml = "name: Z\nsteps:\n  - id: a\n    wait: 1m\nschedule: { interval: 1h }\n";
        DefinitionException e = assertThrows(
                DefinitionException.class, () -> new DefinitionLoader("Mars/Olympus").parse("z.yaml", yaml));
        assertTrue(
                e.getMessage()
                        .contains("z.yaml:5:11: schedule.timezone: none is set, and the default from "
                                + "SCHEDULES_DEFAULT_TIMEZONE, 'Mars/Olympus', is not an IANA timezone"),
                e.getMessage());
    }

    @Test
    void problemsCarryLineAndColumn() {
        DefinitionException e = assertThrows(DefinitionException.class, () -> loader.parse("t.yaml", """
                name: T
                steps:
                  - id: a
                    agentTurn: { message: hi, sessionMode: shared }
                """));
        Problem p = e.problems().get(0);
        assertEquals(4, p.line());
        assertTrue(p.toString().startsWith("t.yaml:4:"), p.toString());
    }

    @Test
    void duplicateWorkflowNamesAcrossFilesAreRefused(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.yaml"), "name: Same\nsteps:\n  - id: a\n    wait: 1m\n");
        Files.writeString(dir.resolve("b.yaml"), "name: Same\nsteps:\n  - id: a\n    wait: 2m\n");
        DefinitionException e = assertThrows(DefinitionException.class, () -> loader.loadDirectory(dir));
        assertTrue(e.getMessage().contains("workflow 'Same' is already defined in"), e.getMessage());
    }

    @Test
    void aScheduleOnlyFileStartsAWorkflowDefinedInAnotherFile(@TempDir Path dir) throws IOException {
        Files.writeString(
                dir.resolve("research.yaml"),
                "name: Research\ninput: { topic: poems }\nsteps:\n  - id: a\n    wait: 1m\n"
                        + "schedule: { id: research-daily, cron: '0 4 * * *', timezone: UTC }\n");
        Files.writeString(dir.resolve("research-weekly.yaml"), """
                schedule:
                  id: research-sonnets-weekly
                  workflow: Research
                  cron: "0 6 * * 0"
                  timezone: Europe/Berlin
                  input: { topic: sonnets }
                """);
        DefinitionLoader.DefinitionSet set = loader.loadAll(dir);
        assertEquals(
                List.of("Research"), List.copyOf(set.workflows().keySet()), "a schedule-only file is not a workflow");
        assertEquals(
                List.of("research-daily", "research-sonnets-weekly"),
                set.schedules().stream().map(ScheduleDefinition::id).toList());
        ScheduleDefinition weekly = set.schedules().get(1);
        assertEquals("Research", weekly.workflow());
        assertEquals(Map.of("topic", "sonnets"), weekly.input());
        assertEquals("Europe/Berlin", weekly.timezone());
        assertTrue(weekly.source().endsWith("research-weekly.yaml"));
        assertEquals("Research", set.schedules().get(0).workflow());
    }

    @Test
    void missingFolderIsAClearError() {
        DefinitionException e =
                assertThrows(DefinitionException.class, () -> loader.loadDirectory(Path.of("/nonexistent/defs")));
        assertTrue(e.getMessage().contains("no such folder"), e.getMessage());
    }

    @Test
    void nonYamlFilesAreIgnored(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("README.md"), "not a definition");
        Files.writeString(dir.resolve("a.yml"), "name: A\nsteps:\n  - id: a\n    wait: 1m\n");
        assertEquals(List.of("A"), List.copyOf(loader.loadDirectory(dir).keySet()));
    }

    @Test
    void waitUntilTimeOfDayKeepsItsZone() {
        WaitDefinition w = loader.parse(
                        "u.yaml",
                        "name: U\nsteps:\n  - id: m\n    wait: { until: \"06:30\", timezone: Europe/Berlin }\n")
                .step("m")
                .waitFor();
        assertNull(w.duration());
        assertEquals("06:30", w.until());
        assertEquals("Europe/Berlin", w.timezone());
    }
}

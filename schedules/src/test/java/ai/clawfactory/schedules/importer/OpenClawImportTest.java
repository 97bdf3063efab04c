package ai.clawfactory.schedules.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.definition.AgentTurnDefinition;
import ai.clawfactory.core.definition.AlertsDefinition;
import ai.clawfactory.core.definition.CommandEntry;
import ai.clawfactory.core.definition.DefinitionLoader;
import ai.clawfactory.core.definition.ScheduleDefinition;
import ai.clawfactory.core.definition.StepDefinition;
import ai.clawfactory.core.definition.WorkflowDefinition;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code import openclaw} on jobs made by a real gateway's {@code openclaw cron add} (see resources/openclaw/README.md). */
class OpenClawImportTest {

    /** The fixtures were made on 2026-12-01; their one-shot jobs lie in 2027. */
    static final Instant NOW = Instant.parse("2026-12-01T09:00:00Z");

    @TempDir
    Path tmp;

    record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Path fixture(String name) {
        try {
            return Path.of(
                    OpenClawImportTest.class.getResource("/openclaw/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    Run run(String bin, String... args) {
        OpenClawImportCommand cmd = new OpenClawImportCommand();
        cmd.now = NOW;
        cmd.openclawBin = bin;
        return execute(new CommandLine(cmd), args);
    }

    /** Runs a command line in-process and captures what it prints. */
    static Run execute(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    Run importList(Path out, String... extra) {
        String[] args = Stream.concat(
                        Stream.of(
                                "--jobs-file",
                                fixture("cron-list.json").toString(),
                                "--out",
                                out.toString(),
                                "--default-timezone",
                                "Europe/Paris"),
                        Stream.of(extra))
                .toArray(String[]::new);
        return run("/nonexistent/openclaw", args);
    }

    static Map<String, WorkflowDefinition> load(Path dir) {
        return new DefinitionLoader().loadDirectory(dir);
    }

    @Test
    void importsTheCommonJobsAsDefinitionsThatValidate() {
        Path out = tmp.resolve("definitions");
        Run r = importList(out);
        assertEquals(0, r.exitCode(), r::toString);
        Map<String, WorkflowDefinition> defs = load(out);
        assertTrue(
                defs.keySet()
                        .containsAll(List.of(
                                "daily-digest",
                                "hourly-check",
                                "exact-report",
                                "staggered",
                                "every-ten",
                                "paused-job",
                                "webhook-job",
                                "session-job",
                                "alerting",
                                "keyed")),
                defs.keySet()::toString);

        WorkflowDefinition digest = defs.get("daily-digest");
        ScheduleDefinition s = digest.schedule();
        assertEquals(List.of("0 7 * * *"), s.cron());
        assertEquals("Europe/Berlin", s.timezone());
        assertEquals("daily-digest", s.id());
        assertFalse(s.paused());
        assertNull(s.jitter());
        StepDefinition turn = digest.steps().get(0);
        assertEquals(
                "Summarise my inbox and calendar for today.", turn.agentTurn().message());
        assertEquals("daily-digest", turn.agentTurn().name());
        assertEquals("isolated", turn.agentTurn().sessionMode());
        assertEquals(Boolean.TRUE, turn.agentTurn().deliver());
        assertNull(turn.agentTurn().channel(), "channel last is the hook's default route, not a channel to name");
        assertEquals("now", turn.agentTurn().wakeMode());
    }

    @Test
    void everyWrittenFileStartsWithTheEditorSchemaLineAsTheShippedOnesDo() throws IOException {
        Path out = tmp.resolve("d");
        assertEquals(0, importList(out).exitCode());
        List<Path> written;
        try (Stream<Path> files = Files.list(out)) {
            written = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertFalse(written.isEmpty());
        for (Path f : written) {
            assertEquals(
                    "# yaml-language-server: $schema=./clawfactory.definition.schema.json",
                    Files.readString(f).lines().findFirst().orElse(""),
                    f::toString);
        }
    }

    @Test
    void cronWithoutTimezoneTakesTheDefaultZoneAndSaysSoAndStaggerBecomesJitter() throws IOException {
        Path out = tmp.resolve("d");
        Run r = importList(out);
        WorkflowDefinition hourly = load(out).get("hourly-check");
        assertEquals("Europe/Paris", hourly.schedule().timezone());
        assertEquals(Duration.ofMinutes(5), hourly.schedule().jitter());
        assertEquals("stub/stub-model", hourly.steps().get(0).agentTurn().model());
        assertEquals("low", hourly.steps().get(0).agentTurn().thinking());
        assertEquals(300, hourly.steps().get(0).agentTurn().timeoutSeconds());
        assertTrue(
                r.out()
                        .contains(
                                "no tz: OpenClaw ran it in the gateway host's zone; using Europe/Paris (--default-timezone)"),
                r::toString);
        assertTrue(Files.readString(out.resolve("hourly-check.yaml")).contains("#   - no tz: OpenClaw ran it"));
        assertEquals(
                Duration.ofMinutes(2), load(out).get("staggered").schedule().jitter());
    }

    @Test
    void everyBecomesAnIntervalWithTheAnchorAsPhase() {
        Path out = tmp.resolve("d");
        importList(out);
        ScheduleDefinition s = load(out).get("every-ten").schedule();
        assertEquals(Duration.ofMinutes(10), s.interval());
        // anchorMs 1796113096181 mod 600000 = 496181 ms, to whole seconds
        assertEquals(Duration.ofSeconds(496), s.offset());
        StepDefinition turn = load(out).get("every-ten").steps().get(0);
        assertEquals("main", turn.agentTurn().agentId());
        assertEquals(Boolean.FALSE, turn.agentTurn().deliver());
    }

    @Test
    void disabledJobIsImportedPaused() {
        Path out = tmp.resolve("d");
        Run r = importList(out);
        ScheduleDefinition s = load(out).get("paused-job").schedule();
        assertTrue(s.paused());
        assertEquals("Europe/London", s.timezone());
        assertTrue(r.out().contains("disabled in OpenClaw: the schedule is created paused"), r::toString);
    }

    @Test
    void deliveryToAChannelIsCarriedAndWhatTheHooksApiCannotDoIsReported() {
        Path out = tmp.resolve("d");
        Run r = importList(out);
        WorkflowDefinition d = load(out).get("exact-report");
        assertEquals("telegram", d.steps().get(0).agentTurn().channel());
        assertEquals("@ops", d.steps().get(0).agentTurn().to());
        assertEquals(List.of("30 9 * * 1-5"), d.schedule().cron());
        assertEquals("America/New_York", d.schedule().timezone());
        assertNull(d.schedule().jitter(), "--exact stores staggerMs 0: no jitter");
        // The message holds "{{braces}}": carried verbatim through a declared input.
        assertEquals("{{input.message}}", d.steps().get(0).agentTurn().message());
        assertEquals("Weekday report with {{braces}}", d.input().get("message"));
        assertTrue(r.out().contains("delivery.accountId \"work\" is not honoured"), r::toString);
        assertTrue(r.out().contains("delivery.bestEffort true is not honoured"), r::toString);
        assertTrue(r.out().contains("payload.fallbacks [\"stub/a\",\"stub/b\"] is not honoured"), r::toString);
        assertTrue(r.out().contains("payload.lightContext true is not honoured"), r::toString);
        assertTrue(r.out().contains("payload.toolsAllow [\"read\",\"exec\"] is not honoured"), r::toString);
        assertFalse(r.out().contains("alerts are planned"), r::toString);
    }

    @Test
    void aFailureAlertBecomesTheFilesAlertsBlock() {
        Path out = tmp.resolve("d");
        importList(out);
        AlertsDefinition a = load(out).get("alerting").alerts();
        assertEquals(3, a.after());
        assertEquals(Duration.ofHours(1), a.cooldown());
        AgentTurnDefinition alert = a.onFailure().agentTurn();
        assertEquals("telegram", alert.channel());
        assertEquals("@oncall", alert.to());
        assertEquals(Boolean.TRUE, alert.deliver());
        assertTrue(alert.message().contains("{{failure.message}}"), alert.message());
        assertNull(a.onRecovery());
    }

    @Test
    void aCommandJobBecomesACommandStepAndAShellStringIsMarkedAndNoted() {
        Path out = tmp.resolve("d");
        Run r = importList(out);
        WorkflowDefinition d = load(out).get("shell-job");
        assertEquals("command", d.steps().get(0).kind());
        CommandEntry c = d.steps().get(0).command().commands().get(0);
        assertEquals(List.of("sh", "-lc", "echo hi"), c.argv());
        assertTrue(c.shell(), "shell: true, so validate accepts it");
        assertTrue(
                r.out()
                        .contains("argv runs a shell with a command string (sh -lc): imported with shell: true; the "
                                + "worker runs it only with COMMANDS_ALLOW_SHELL=true"),
                r::toString);
        assertTrue(r.out().contains("delivery of a command job is not carried over"), r::toString);
    }

    @Test
    void systemEventBecomesAWakeStep() {
        Path out = tmp.resolve("d");
        importList(out);
        WorkflowDefinition d = load(out).get("wake-main");
        assertEquals("wake", d.steps().get(0).kind());
        assertEquals("Check for new mail", d.steps().get(0).wake().text());
        assertEquals("next-heartbeat", d.steps().get(0).wake().mode());
        assertEquals(Duration.ofHours(1), d.schedule().interval());
    }

    @Test
    void atJobsBecomeOneShotSchedulesAndOnesInThePastAreSkipped() {
        Path out = tmp.resolve("d");
        Run r = importList(out);
        ScheduleDefinition reminder = load(out).get("reminder").schedule();
        assertEquals(Instant.parse("2027-06-01T08:00:00Z"), reminder.at());
        assertTrue(reminder.deleteAfterRun());
        ScheduleDefinition kept = load(out).get("old-reminder").schedule();
        assertEquals(Instant.parse("2027-01-01T08:00:00Z"), kept.at());
        assertFalse(kept.deleteAfterRun());
        assertTrue(r.out().contains("once at 2027-06-01T08:00:00Z"), r::toString);

        Path later = tmp.resolve("later");
        OpenClawImportCommand cmd = new OpenClawImportCommand();
        cmd.now = Instant.parse("2027-03-01T00:00:00Z");
        StringWriter o = new StringWriter();
        CommandLine cl = new CommandLine(cmd);
        cl.setOut(new PrintWriter(o, true));
        cl.execute(
                "--jobs-file",
                fixture("cron-list.json").toString(),
                "--out",
                later.toString(),
                "--default-timezone",
                "UTC");
        assertTrue(
                o.toString().contains("\"old-reminder\": one-shot at 2027-01-01T08:00:00Z is in the past"),
                o::toString);
        assertTrue(load(later).containsKey("reminder"));
        assertFalse(load(later).containsKey("old-reminder"));
    }

    @Test
    void legacyAtMsIsReadAsTheInstant() {
        Path out = tmp.resolve("d");
        run(
                null,
                "--jobs-file",
                fixture("legacy-jobs.json").toString(),
                "--out",
                out.toString(),
                "--default-timezone",
                "UTC");
        assertEquals(
                Instant.ofEpochMilli(1830000000000L),
                load(out).get("one-off").schedule().at());
    }

    @Test
    void webhookDeliveryBecomesAnHttpStepAfterTheTurn() {
        Path out = tmp.resolve("d");
        importList(out);
        WorkflowDefinition d = load(out).get("webhook-job");
        assertEquals(2, d.steps().size());
        assertEquals(Boolean.FALSE, d.steps().get(0).agentTurn().deliver());
        assertEquals("POST", d.steps().get(1).http().method());
        assertEquals("http://127.0.0.1:9/hook", d.steps().get(1).http().url());
        assertTrue(d.steps().get(1).http().body().contains("{{steps.turn.status}}"));
    }

    @Test
    void sessionTargetsMapToSessionFields() {
        Path out = tmp.resolve("d");
        importList(out);
        var turn = load(out).get("session-job").steps().get(0).agentTurn();
        assertEquals("project-x", turn.sessionKey());
        assertEquals("persistent", turn.sessionMode());
        assertEquals(
                "agent:main:project",
                load(out).get("keyed").steps().get(0).agentTurn().sessionKey());
    }

    @Test
    void builtInAndUnsupportedJobsAreListedWithTheirReasonAndNotWritten() {
        Path out = tmp.resolve("d");
        Run r = importList(out);
        assertTrue(
                r.out().contains("\"heartbeat-main\": built-in job of the gateway (declarationKey heartbeat:main)"),
                r::toString);
        assertTrue(r.out().contains("\"skill-collection-review-main\": built-in job"), r::toString);
        assertTrue(r.out().contains("\"seconds-cron\": schedule.expr '*/30 * * * * *' fires on seconds"), r::toString);
        assertFalse(Files.exists(out.resolve("heartbeat-main.yaml")));
    }

    @Test
    void includeBuiltinImportsTheGatewaysOwnAgentTurnJob() {
        Path out = tmp.resolve("d");
        Run r = importList(out, "--include-builtin");
        assertTrue(load(out).containsKey("skill-collection-review-main"), r::toString);
        assertTrue(
                r.out().contains("\"heartbeat-main\": a heartbeat payload is the gateway's own heartbeat"),
                r::toString);
    }

    @Test
    void dryRunShowsEachFileAndWritesNothing() {
        Path out = tmp.resolve("d");
        Run r = importList(out, "--dry-run");
        assertEquals(0, r.exitCode(), r::toString);
        assertFalse(Files.exists(out));
        assertTrue(r.out().contains("create      daily-digest.yaml"), r::toString);
        assertTrue(r.out().contains("| name: daily-digest"), r::toString);
        assertTrue(r.out().contains("Dry run: would create "), r::toString);
        assertTrue(r.out().contains("Nothing written."), r::toString);
    }

    @Test
    void aSecondImportRewritesNothingAndAnEditedFileIsKeptUnlessForced() throws IOException {
        Path out = tmp.resolve("d");
        assertEquals(0, importList(out).exitCode());
        Path digest = out.resolve("daily-digest.yaml");
        FileTime before = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : files.toList()) {
                Files.setLastModifiedTime(f, before);
            }
        }
        Run again = importList(out);
        assertEquals(0, again.exitCode(), again::toString);
        assertTrue(again.out().contains("Created 0, updated 0; 14 unchanged"), again::toString);
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : files.toList()) {
                assertEquals(before, Files.getLastModifiedTime(f), f + " was rewritten");
            }
        }

        String edited = Files.readString(digest).replace("0 7 * * *", "0 8 * * *");
        Files.writeString(digest, edited);
        Run kept = importList(out);
        assertTrue(kept.out().contains("kept        daily-digest.yaml"), kept::toString);
        assertEquals(edited, Files.readString(digest));

        Run forced = importList(out, "--force");
        assertTrue(forced.out().contains("overwrite   daily-digest.yaml"), forced::toString);
        assertTrue(Files.readString(digest).contains("cron: \"0 7 * * *\""));
        assertEquals(
                List.of("0 7 * * *"), load(out).get("daily-digest").schedule().cron());
    }

    @Test
    void aChangedJobUpdatesItsFileAndNamesStayUniqueNextToExistingFiles() throws IOException {
        Path out = tmp.resolve("d");
        Files.createDirectories(out);
        // A hand-written file already called daily-digest.yaml: the import picks another name.
        Files.writeString(out.resolve("daily-digest.yaml"), """
                name: DailyDigestByHand
                steps:
                  - id: one
                    wait: 1m
                """);
        Path jobs = tmp.resolve("jobs.json");
        Files.writeString(jobs, """
                [{"id": "j1", "name": "daily-digest", "schedule": {"kind": "cron", "expr": "0 7 * * *", "tz": "UTC"},
                  "payload": {"kind": "agentTurn", "message": "first"}}]
                """);
        Run r = run(null, "--jobs-file", jobs.toString(), "--out", out.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(Files.exists(out.resolve("daily-digest-2.yaml")), r::toString);
        Files.writeString(jobs, Files.readString(jobs).replace("first", "second"));
        Run u = run(null, "--jobs-file", jobs.toString(), "--out", out.toString());
        assertTrue(u.out().contains("update      daily-digest-2.yaml"), u::toString);
        assertEquals(
                "second",
                load(out).get("daily-digest-2").steps().get(0).agentTurn().message());
        assertEquals("DailyDigestByHand", load(out).get("DailyDigestByHand").name());
    }

    @Test
    void readsLegacyJobsJsonInBothShapes() {
        Path out = tmp.resolve("d");
        Run r = run(
                null,
                "--jobs-file",
                fixture("legacy-jobs.json").toString(),
                "--out",
                out.toString(),
                "--default-timezone",
                "UTC");
        assertEquals(0, r.exitCode(), r::toString);
        WorkflowDefinition brief = load(out).get("morning-brief");
        assertNotNull(brief, r::toString);
        assertEquals("Europe/Vienna", brief.schedule().timezone());
        assertEquals("whatsapp", brief.steps().get(0).agentTurn().channel());
        assertEquals("+15551234567", brief.steps().get(0).agentTurn().to());
        assertTrue(r.out().contains("payload.bestEffortDeliver is not honoured"), r::toString);
        WorkflowDefinition tidy = load(out).get("tidy");
        assertTrue(tidy.schedule().paused());
        assertEquals(Duration.ofHours(1), tidy.schedule().interval());
        assertEquals(Boolean.FALSE, tidy.steps().get(0).agentTurn().deliver());

        Path out2 = tmp.resolve("d2");
        Run a = run(null, "--jobs-file", fixture("legacy-jobs-array.json").toString(), "--out", out2.toString());
        assertEquals(0, a.exitCode(), a::toString);
        assertEquals(
                "America/Chicago", load(out2).get("weekly-review").schedule().timezone());
    }

    @Test
    void readsTheGatewaysStateFolderReadOnly() throws IOException {
        Path state = tmp.resolve("openclaw-state");
        Files.createDirectories(state.resolve("state"));
        Files.copy(fixture("state/openclaw.sqlite"), state.resolve("state/openclaw.sqlite"));
        byte[] before = Files.readAllBytes(state.resolve("state/openclaw.sqlite"));
        Path out = tmp.resolve("d");
        Run r = run(null, "--state-dir", state.toString(), "--out", out.toString(), "--default-timezone", "UTC");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("Read 17 jobs from"), r::toString);
        Map<String, WorkflowDefinition> defs = load(out);
        assertEquals("Europe/Berlin", defs.get("daily-digest").schedule().timezone());
        assertTrue(defs.get("paused-job").schedule().paused());
        org.junit.jupiter.api.Assertions.assertArrayEquals(
                before, Files.readAllBytes(state.resolve("state/openclaw.sqlite")));
        try (Stream<Path> files = Files.list(state.resolve("state"))) {
            assertEquals(
                    List.of("openclaw.sqlite"),
                    files.map(p -> p.getFileName().toString()).toList(),
                    "nothing written beside it");
        }
        // The state/ subfolder or the file itself work as well.
        Run sub = run(
                null,
                "--state-dir",
                state.resolve("state").toString(),
                "--out",
                out.toString(),
                "--default-timezone",
                "UTC");
        assertTrue(sub.out().contains("14 unchanged"), sub::toString);
        Run file = run(
                null,
                "--state-dir",
                state.resolve("state/openclaw.sqlite").toString(),
                "--out",
                out.toString(),
                "--default-timezone",
                "UTC");
        assertTrue(file.out().contains("14 unchanged"), file::toString);
    }

    @Test
    void readsTheStateWhileTheGatewayHoldsItOpenInWalMode() throws Exception {
        Path state = tmp.resolve("live");
        Files.createDirectories(state.resolve("state"));
        Path db = state.resolve("state/openclaw.sqlite");
        Files.copy(fixture("state/openclaw.sqlite"), db);
        try (java.sql.Connection gateway = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
                java.sql.Statement st = gateway.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
            // A change the gateway made that is still only in its WAL.
            st.execute("UPDATE cron_jobs SET enabled = 0 WHERE name = 'daily-digest'");
            assertTrue(Files.exists(Path.of(db + "-wal")));
            Path out = tmp.resolve("d");
            Run r = run(null, "--state-dir", state.toString(), "--out", out.toString(), "--default-timezone", "UTC");
            assertEquals(0, r.exitCode(), r::toString);
            assertTrue(load(out).get("daily-digest").schedule().paused(), r::toString);
        }
    }

    @Test
    void badInputIsOneClearLineAndWritesNothing() throws IOException {
        Path out = tmp.resolve("d");
        Run missing = run(null, "--jobs-file", tmp.resolve("nope.json").toString(), "--out", out.toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().startsWith("Cannot read " + tmp.resolve("nope.json")), missing::toString);
        assertEquals(1, missing.err().strip().lines().count(), missing::toString);

        Path v2 = tmp.resolve("v2.json");
        Files.writeString(v2, "{\"version\": 2, \"jobs\": []}");
        Run version = run(null, "--jobs-file", v2.toString(), "--out", out.toString());
        assertEquals(2, version.exitCode());
        assertTrue(version.err().contains("has schema version 2"), version::toString);

        Path notJson = tmp.resolve("bad.json");
        Files.writeString(notJson, "{\"jobs\": [");
        assertTrue(run(null, "--jobs-file", notJson.toString(), "--out", out.toString())
                .err()
                .contains("is not JSON"));

        Run noCli = run(tmp.resolve("no-such-openclaw").toString(), "--out", out.toString());
        assertEquals(2, noCli.exitCode());
        assertTrue(noCli.err().contains("is not an executable file"), noCli::toString);
        Run notOnPath = run("openclaw-not-installed-here", "--out", out.toString());
        assertTrue(notOnPath.err().contains("is not on PATH"), notOnPath::toString);

        Path noState = tmp.resolve("empty-state");
        Files.createDirectories(noState);
        assertTrue(run(null, "--state-dir", noState.toString(), "--out", out.toString())
                .err()
                .contains("No OpenClaw state at"));
        assertFalse(Files.exists(out));
    }

    @Test
    void aJobWithABadCronIsRefusedAndTheOthersAreWritten() throws IOException {
        Path jobs = tmp.resolve("jobs.json");
        Files.writeString(jobs, """
                {"version": 1, "jobs": [
                  {"id": "bad", "name": "bad cron", "schedule": {"kind": "cron", "expr": "0 25 * * *", "tz": "UTC"},
                   "payload": {"kind": "agentTurn", "message": "never"}},
                  {"id": "good", "name": "good", "schedule": {"kind": "cron", "expr": "0 5 * * *", "tz": "UTC"},
                   "payload": {"kind": "agentTurn", "message": "fine"}}]}
                """);
        Path out = tmp.resolve("d");
        Run r = run(null, "--jobs-file", jobs.toString(), "--out", out.toString());
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(
                r.out()
                        .contains(
                                "error       -                            job bad \"bad cron\": schedule.expr: '0 25 * * *' is not a valid cron"),
                r::toString);
        assertEquals(List.of("good"), List.copyOf(load(out).keySet()));
    }

    @Test
    void aResultThatWouldNotLoadWritesNothing() throws IOException {
        Path out = tmp.resolve("d");
        Files.createDirectories(out);
        Files.writeString(out.resolve("broken.yaml"), "name: Broken\nsteps: []\n");
        Run r = importList(out);
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().contains("broken.yaml"), r::toString);
        assertTrue(r.err().contains("nothing was written"), r::toString);
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of(out.resolve("broken.yaml")), files.toList());
        }
        try (Stream<Path> files = Files.list(tmp)) {
            assertTrue(
                    files.noneMatch(p -> p.getFileName().toString().startsWith(".clawfactory-import-")),
                    "temp folder removed");
        }
    }

    @Test
    void readsTheOpenclawCliAndDisablesEachImportedJobAfterItsFileIsWritten() throws IOException {
        Path calls = tmp.resolve("calls.txt");
        Path bin = fakeCli(calls, "fe0c61d6-2585-482d-a39a-d73888163c3a");
        Path out = tmp.resolve("d");
        Run r = run(bin.toString(), "--out", out.toString(), "--default-timezone", "UTC", "--disable-source");
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.out().contains("Read 17 jobs from " + bin + " cron list --all --json"), r::toString);
        List<String> disabled = Files.readAllLines(calls).stream()
                .filter(l -> l.startsWith("cron disable "))
                .toList();
        // Fourteen imported, one of them (paused-job) already disabled in OpenClaw.
        assertEquals(13, disabled.size(), disabled::toString);
        assertTrue(disabled.contains("cron disable -- 58c7e094-6a2e-4698-9cd3-440c83379845"), disabled::toString);
        assertTrue(
                r.err()
                        .contains(
                                "could not disable OpenClaw job fe0c61d6-2585-482d-a39a-d73888163c3a \"daily-digest\""),
                r::toString);
        assertTrue(
                r.out().contains("disabled OpenClaw job 58c7e094-6a2e-4698-9cd3-440c83379845 \"every-ten\""),
                r::toString);
        assertTrue(Files.exists(out.resolve("daily-digest.yaml")));
        assertTrue(Files.readString(out.resolve("every-ten.yaml")).contains("# openclaw-job-disabled-by-import: yes"));

        // OpenClaw now lists the jobs disabled: a re-import keeps them enabled here and rewrites nothing.
        Path disabledList = tmp.resolve("disabled.json");
        Files.writeString(
                disabledList,
                Files.readString(fixture("cron-list.json")).replace("\"enabled\": true", "\"enabled\": false"));
        Run again =
                run(null, "--jobs-file", disabledList.toString(), "--out", out.toString(), "--default-timezone", "UTC");
        assertTrue(
                again.out().contains("update      daily-digest.yaml"),
                "its disable failed, so it is paused now: " + again);
        assertTrue(again.out().contains("unchanged   every-ten.yaml"), again::toString);
        assertFalse(load(out).get("every-ten").schedule().paused());
        assertTrue(load(out).get("daily-digest").schedule().paused());
    }

    @Test
    void disableSourceInADryRunOnlySaysWhatItWouldDo() throws IOException {
        Path calls = tmp.resolve("calls.txt");
        Path bin = fakeCli(calls, "none");
        Run r = run(
                bin.toString(),
                "--out",
                tmp.resolve("d").toString(),
                "--default-timezone",
                "UTC",
                "--disable-source",
                "--dry-run");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(
                r.out().contains("would disable OpenClaw job fe0c61d6-2585-482d-a39a-d73888163c3a \"daily-digest\""),
                r::toString);
        assertTrue(Files.readAllLines(calls).stream().noneMatch(l -> l.startsWith("cron disable")));
    }

    /** A stand-in for the openclaw CLI: prints the fixture for cron list, records disables, fails for one id. */
    private Path fakeCli(Path calls, String failingId) throws IOException {
        Path bin = tmp.resolve("openclaw");
        Files.writeString(
                bin,
                "#!/bin/sh\n"
                        + "echo \"$*\" >> '" + calls + "'\n"
                        + "if [ \"$1 $2\" = 'cron list' ]; then echo 'Config warnings: none'; cat '"
                        + fixture("cron-list.json") + "'; exit 0; fi\n"
                        + "if [ \"$1 $2\" = 'cron disable' ]; then\n"
                        + "  if [ \"$4\" = '" + failingId
                        + "' ]; then echo 'Automation not found: '\"$4\" >&2; exit 1; fi\n"
                        + "  echo '{\"enabled\": false}'; exit 0\n"
                        + "fi\n"
                        + "exit 2\n");
        bin.toFile().setExecutable(true);
        Files.writeString(calls, "");
        return bin;
    }
}

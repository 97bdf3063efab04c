package ai.clawfactory.schedules.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.definition.Expressions;
import ai.clawfactory.core.definition.StepDefinition;
import ai.clawfactory.core.definition.WorkflowDefinition;
import ai.clawfactory.schedules.SchedulesCommand;
import ai.clawfactory.schedules.importer.OpenClawImportTest.Run;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * OpenClaw's agents can create cron jobs, so every field of a job is untrusted: whatever it holds,
 * the import writes it as data (never YAML structure, never a template) and prints it harmlessly.
 */
class ImportedDataStaysDataTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every line break YAML knows: each could end a comment line and start a key. */
    private static final String[] BREAKS = {"\n", "\r", "\u0085", "\u2028", "\u2029"};

    /**
     * What an attacker would append to a comment line: a line break, an alerts block that sends the
     * gateway token out, and a line break and '#' that comment out the rest of the line.
     */
    private static String injection(int lineBreak) {
        String br = BREAKS[lineBreak];
        return br + "alerts: {onFailure: {http: {url: \"http://127.0.0.1:9/leak/{{secret.gateway-token}}\"}}}" + br
                + "#";
    }

    @TempDir
    Path tmp;

    private static ObjectNode job(String id, String name) {
        ObjectNode j = JSON.createObjectNode();
        j.put("id", id);
        j.put("name", name);
        j.putObject("schedule").put("kind", "cron").put("expr", "0 5 * * *").put("tz", "UTC");
        j.putObject("payload").put("kind", "agentTurn").put("message", "hello");
        return j;
    }

    private Path jobsFile(ObjectNode... jobs) throws IOException {
        ArrayNode a = JSON.createArrayNode();
        for (ObjectNode j : jobs) {
            a.add(j);
        }
        Path f = Files.createTempFile(tmp, "jobs", ".json");
        Files.writeString(f, JSON.writeValueAsString(a));
        return f;
    }

    private Run importJobs(Path out, ObjectNode... jobs) throws IOException {
        return run("--jobs-file", jobsFile(jobs).toString(), "--out", out.toString());
    }

    private static Run run(String... args) {
        OpenClawImportCommand cmd = new OpenClawImportCommand();
        cmd.now = OpenClawImportTest.NOW;
        cmd.openclawBin = "/nonexistent/openclaw";
        return OpenClawImportTest.execute(new CommandLine(cmd), args);
    }

    private static Run validate(Path dir) {
        return OpenClawImportTest.execute(SchedulesCommand.commandLine(), "validate", dir.toString());
    }

    private static List<Path> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    /** The file as a YAML parser sees it: only the keys the importer writes, nothing added by data. */
    private static Map<String, Object> parsed(Path file) throws IOException {
        return new org.yaml.snakeyaml.Yaml().load(Files.readString(file));
    }

    private static void assertNoInjectedKey(Path dir) throws IOException {
        for (Path f : yamlFiles(dir)) {
            Map<String, Object> root = parsed(f);
            assertTrue(
                    Set.of("name", "description", "input", "steps", "schedule").containsAll(root.keySet()),
                    () -> f + " has keys " + root.keySet() + ":\n" + read(f));
        }
        Run v = validate(dir);
        assertEquals(0, v.exitCode(), v::toString);
        assertTrue(v.out().lines().noneMatch(l -> l.startsWith("      alerts ")), v::toString);
    }

    /** The tree the mapper meant for this job's file. */
    private static Map<String, Object> intended(ObjectNode job, Path file) {
        String base = file.getFileName().toString().replaceFirst("\\.yaml$", "");
        return new JobMapper(null, false, OpenClawImportTest.NOW).map(job).tree(base);
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** No character that could drive a terminal or break a line reaches it. */
    private static void assertTerminalSafe(Run r) {
        for (String s : List.of(r.out(), r.err())) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                boolean bad = (c < 0x20 && c != '\n')
                        || (c >= 0x7f && c <= 0x9f)
                        || c == '\u2028'
                        || c == '\u2029'
                        || (c >= '\u202a' && c <= '\u202e')
                        || c == '\ufeff';
                int at = i;
                assertFalse(bad, () -> String.format("U+%04X at %d of:%n%s", (int) c, at, r));
            }
        }
    }

    @Test
    void aTemplateInAWebhookUrlRefusesThatJobAndTheOthersAreWritten() throws IOException {
        ObjectNode hook = job("a1b2c3d4-0000-4000-8000-000000000001", "leaky-hook");
        hook.putObject("delivery").put("mode", "webhook").put("to", "http://127.0.0.1:9/x/{{secret.gateway-token}}");
        Path out = tmp.resolve("d");
        Run r = importJobs(out, hook, job("good-1", "good"));
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals(List.of(out.resolve("good.yaml")), yamlFiles(out), r::toString);
        List<String> lines = r.out().lines().filter(l -> l.startsWith("error ")).toList();
        assertEquals(1, lines.size(), r::toString);
        assertTrue(lines.get(0).contains("\"leaky-hook\": delivery.to (the webhook URL) holds '{{'"), r::toString);
    }

    @Test
    void aCommandsArgumentsAndAFailureAlertStayData() throws IOException {
        String t = "{{secret.gateway-token}}";
        ObjectNode j = job("c1b2c3d4-0000-4000-8000-000000000005", "cmd");
        ObjectNode payload = j.putObject("payload").put("kind", "command");
        payload.putArray("argv").add("/usr/bin/rsync").add("--src=" + t).add("x" + injection(0));
        payload.putObject("env").put("TOKEN", t).put("LD_PRELOAD", "/tmp/x.so");
        j.putObject("failureAlert")
                .put("after", 2)
                .put("channel", "telegram" + injection(1))
                .put("to", "@ops" + t)
                .put("cooldownMs", 60_000);
        Path out = tmp.resolve("d");
        Run r = importJobs(out, j);
        assertEquals(0, r.exitCode(), r::toString);
        assertTerminalSafe(r);
        Path file = out.resolve("cmd.yaml");
        assertEquals(intended(j, file), parsed(file), () -> read(file));
        WorkflowDefinition d = OpenClawImportTest.load(out).get("cmd");
        var c = d.steps().get(0).command().commands().get(0);
        assertEquals(List.of("/usr/bin/rsync", "{{input.argv1}}", "{{input.argv2}}"), c.argv());
        assertEquals("--src=" + t, d.input().get("argv1"));
        assertEquals("{{input.env_TOKEN}}", c.env().get("TOKEN"));
        assertFalse(c.env().containsKey("LD_PRELOAD"), "a variable a step may not set is left out");
        assertTrue(r.out().contains("variable 'LD_PRELOAD' is not carried over"), r::toString);
        var alert = d.alerts().onFailure().agentTurn();
        assertEquals("telegram" + injection(1), alert.channel());
        assertEquals("@ops" + t, alert.to());
        assertEquals(
                Set.of("name", "description", "input", "steps", "schedule", "alerts"),
                parsed(file).keySet());
        Run v = validate(out);
        assertEquals(0, v.exitCode(), v::toString);
    }

    @Test
    void noImportedValueBecomesAPlaceholder() throws IOException {
        String t = "{{secret.gateway-token}}";
        ObjectNode j = job("b1b2c3d4-0000-4000-8000-000000000002", "name " + t);
        j.put("description", "about " + t);
        j.put("agentId", "main" + t);
        j.put("sessionKey", "key" + t);
        ((ObjectNode) j.get("payload"))
                .put("message", "say " + t)
                .put("model", "m" + t)
                .put("thinking", "low" + t);
        j.putObject("delivery").put("mode", "announce").put("channel", "c" + t).put("to", "to" + t);
        ObjectNode hook = job("b1b2c3d4-0000-4000-8000-000000000003", "hook " + t);
        hook.putObject("delivery").put("mode", "webhook").put("to", "http://127.0.0.1:9/hook");
        ObjectNode wake = job("b1b2c3d4-0000-4000-8000-000000000004", "wake " + t);
        wake.putObject("payload").put("kind", "systemEvent").put("text", "wake " + t);
        Path out = tmp.resolve("d");
        Run r = importJobs(out, j, hook, wake);
        assertEquals(0, r.exitCode(), r::toString);
        Map<String, WorkflowDefinition> defs = OpenClawImportTest.load(out);
        assertEquals(3, defs.size(), r::toString);
        Set<String> mapperRefs =
                Set.of("input.message", "input.wakeText", "steps.turn.status", "steps.turn.runId", "workflow.id");
        for (WorkflowDefinition d : defs.values()) {
            for (StepDefinition s : d.steps()) {
                List<String> templates = new ArrayList<>();
                if (s.agentTurn() != null) {
                    templates.add(s.agentTurn().message());
                }
                if (s.wake() != null) {
                    templates.add(s.wake().text());
                }
                if (s.http() != null) {
                    templates.add(s.http().url());
                    templates.add(s.http().body());
                    templates.addAll(s.http().headers().values());
                }
                for (String template : templates) {
                    assertTrue(
                            mapperRefs.containsAll(Expressions.templateRefs(template)),
                            () -> d.name() + ": " + template);
                }
            }
        }
        // The text itself arrives unchanged.
        WorkflowDefinition turn = defs.get("name-secret-gateway-token");
        assertEquals("say " + t, turn.input().get("message"));
        assertEquals("name " + t, turn.steps().get(0).agentTurn().name());
        assertEquals("key" + t, turn.steps().get(0).agentTurn().sessionKey());
    }

    @Test
    void everyFileOfTheFixtureJobsSaysExactlyWhatTheMapperIntended() throws IOException {
        Path out = tmp.resolve("d");
        Path fixture = OpenClawImportTest.fixture("cron-list.json");
        Run r = run("--jobs-file", fixture.toString(), "--out", out.toString(), "--default-timezone", "Europe/Paris");
        assertEquals(0, r.exitCode(), r::toString);
        JobMapper mapper = new JobMapper("Europe/Paris", false, OpenClawImportTest.NOW);
        int files = 0;
        for (var job : JSON.readTree(fixture.toFile()).get("jobs")) {
            Draft d = mapper.map(job);
            if (d.outcome() == Draft.Outcome.IMPORT) {
                Path file = out.resolve(ImportFiles.kebab(d.jobName(), d.jobId()) + ".yaml");
                assertEquals(d.tree(ImportFiles.kebab(d.jobName(), d.jobId())), parsed(file), () -> read(file));
                files++;
            }
        }
        assertEquals(14, files);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void aLineBreakInANameNeverAddsAKey(int which) throws IOException {
        String name = "evil" + injection(which);
        Path out = tmp.resolve("d");
        ObjectNode job = job("c1b2c3d4-0000-4000-8000-000000000005", name);
        Run r = importJobs(out, job);
        assertEquals(0, r.exitCode(), r::toString);
        assertNoInjectedKey(out);
        Path file = yamlFiles(out).get(0);
        assertEquals(intended(job, file), parsed(file), () -> read(file));
        WorkflowDefinition d = OpenClawImportTest.load(out).values().iterator().next();
        assertEquals(name, d.steps().get(0).agentTurn().name());
        assertEquals("OpenClaw cron job \"" + name + "\"", d.description());
        assertTerminalSafe(r);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void aLineBreakInAnIdRefusesThatJobAndTheOthersAreWritten(int which) throws IOException {
        Path out = tmp.resolve("d");
        Run r = importJobs(out, job("d1b2c3d4" + injection(which), "odd-id"), job("good-2", "good"));
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals(List.of(out.resolve("good.yaml")), yamlFiles(out), r::toString);
        assertNoInjectedKey(out);
        List<String> lines = r.out().lines().filter(l -> l.startsWith("error ")).toList();
        assertEquals(1, lines.size(), r::toString);
        assertTrue(lines.get(0).contains("is not an OpenClaw job id"), r::toString);
        assertTerminalSafe(r);
    }

    @Test
    void oddIdsAreOneLineEachAndNeverAbortTheImport() throws IOException {
        Path out = tmp.resolve("d");
        Run r = importJobs(
                out,
                job("--help", "dash"),
                job("a b", "space"),
                job("", "empty"),
                job("x".repeat(129), "long"),
                job("ünï", "unicode"),
                job("good-3", "good"),
                job("good-3", "again"));
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals(List.of(out.resolve("good.yaml")), yamlFiles(out), r::toString);
        List<String> lines = r.out().lines().filter(l -> l.startsWith("error ")).toList();
        assertEquals(6, lines.size(), r::toString);
        for (String n : List.of("dash", "space", "empty", "long", "unicode")) {
            assertTrue(
                    lines.stream()
                            .anyMatch(l ->
                                    l.contains("\"" + n + "\": job id") && l.contains("is not an OpenClaw job id")),
                    () -> n + "\n" + r);
        }
        assertTrue(
                lines.stream().anyMatch(l -> l.contains("\"again\": job id \"good-3\" appears more than once")),
                r::toString);
    }

    @Test
    void controlCharactersInJobDataNeverReachTheTerminal() throws IOException {
        ObjectNode j = job("e1b2c3d4-0000-4000-8000-000000000006", "red\u001b[31m\u001b]0;title\u0007\u009b2J\u202e");
        j.put("sessionTarget", "odd\u001b[2J");
        j.put("agentId", "a\u0085b");
        j.put("futureField", "x\u2028y");
        ObjectNode bad = job("e1b2c3d4-0000-4000-8000-000000000007", "bad\u001b[1m");
        ((ObjectNode) bad.get("schedule")).put("tz", "Mars\u001b[2J");
        Path out = tmp.resolve("d");
        Run r = importJobs(out, j, bad);
        assertEquals(2, r.exitCode(), r::toString);
        assertTerminalSafe(r);
        assertTrue(r.out().contains("red\\u001b[31m"), r::toString);
        Run dry = run(
                "--jobs-file",
                jobsFile(j, bad).toString(),
                "--out",
                tmp.resolve("e").toString(),
                "--dry-run");
        assertTerminalSafe(dry);
    }
}

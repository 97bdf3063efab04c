package ai.clawfactory.core.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code command} step kind in core: one command or an exec block, its templates and its static gates. */
class CommandStepDefinitionTest {

    private final DefinitionLoader loader = new DefinitionLoader();

    @Test
    void oneCommandCarriesArgvCwdEnvTimeoutAndExitCodes() {
        WorkflowDefinition d = loader.parse("c.yaml", """
                name: Backup
                input: { target: x }
                steps:
                  - id: backup
                    command:
                      argv: [/usr/bin/rsync, -a, "{{input.target}}", /srv/backup]
                      cwd: /srv
                      env: { TOKEN: "{{secret.backup-token}}" }
                      timeout: 5m
                      okExitCodes: [0, 24]
                  - id: tell
                    command: { argv: [echo, "{{steps.backup.output}}"] }
                """);
        CommandDefinition c = d.step("backup").command();
        assertEquals("command", d.step("backup").kind());
        assertEquals(
                new CommandEntry(
                        List.of("/usr/bin/rsync", "-a", "{{input.target}}", "/srv/backup"),
                        "/srv",
                        Map.of("TOKEN", "{{secret.backup-token}}"),
                        Duration.ofMinutes(5),
                        List.of(0, 24),
                        false),
                c.commands().get(0));
        assertNull(c.host());
        assertEquals(CommandSlice.DEFAULT_MAX_OUTPUT, c.maxOutput());
        assertEquals(List.of(0), d.step("tell").command().commands().get(0).okExitCodes());
        assertEquals("command rsync", Describe.what(d.step("backup")));
    }

    @Test
    void anExecBlockKeepsItsOrderAndHost() {
        WorkflowDefinition d = loader.parse("c.yaml", """
                name: Sync
                steps:
                  - id: sync
                    command:
                      host: nas-1
                      maxOutput: 1000
                      commands:
                        - argv: [/usr/bin/true]
                        - argv: [/bin/echo, done]
                          timeout: 10s
                """);
        CommandDefinition c = d.step("sync").command();
        assertEquals("nas-1", c.host());
        assertEquals(1000, c.maxOutput());
        assertEquals(
                List.of(List.of("/usr/bin/true"), List.of("/bin/echo", "done")),
                c.commands().stream().map(CommandEntry::argv).toList());
        assertEquals(Duration.ofSeconds(10), c.commands().get(1).timeout());
        assertEquals("command true and 1 more on nas-1", Describe.what(d.step("sync")));
    }

    @Test
    void aShellWithACommandStringNeedsShellTrue() {
        for (String argv : List.of(
                "[sh, -c, \"echo hi\"]",
                "[/bin/bash, -lc, \"echo hi\"]",
                "[/usr/bin/env, sh, -c, \"echo hi\"]",
                "[env, -i, A=b, dash, -ec, x]",
                "[bash, -o, pipefail, -c, x]")) {
            DefinitionException e = assertThrows(
                    DefinitionException.class,
                    () -> loader.parse("c.yaml", "name: S\nsteps:\n  - id: s\n    command: { argv: " + argv + " }\n"),
                    argv);
            assertTrue(e.getMessage().contains("c.yaml:4:"), e.getMessage());
            assertTrue(
                    e.getMessage().contains("steps[0](s).command.argv: runs a shell with a command string"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("shell: true"), e.getMessage());
            assertTrue(e.getMessage().contains("COMMANDS_ALLOW_SHELL=true"), e.getMessage());
        }
        CommandEntry ok =
                loader.parse("c.yaml", """
                        name: S
                        steps:
                          - id: s
                            command: { argv: [sh, -lc, "echo hi"], shell: true }
                        """).step("s").command().commands().get(0);
        assertTrue(ok.shell());
        // A script file is not a command string.
        loader.parse("c.yaml", "name: S\nsteps:\n  - id: s\n    command: { argv: [/bin/sh, /srv/run.sh, -c] }\n");
    }

    @Test
    void badCommandsAreReportedWhereTheyAre() {
        DefinitionException e = assertThrows(DefinitionException.class, () -> loader.parse("c.yaml", """
                name: Bad
                steps:
                  - id: a
                    command: { argv: ["{{input.prog}}", x] }
                  - id: b
                    command: { argv: [./run.sh] }
                  - id: c
                    command: { argv: [ls], cwd: "/srv/../etc" }
                  - id: d
                    command: { argv: [ls], env: { LD_PRELOAD: /x.so } }
                  - id: e
                    command: { argv: [ls, "{{secret.a.b}}"] }
                  - id: f
                    command: { argv: [ls], commands: [{ argv: [ls] }] }
                  - id: g
                    command: { cwd: /srv, commands: [{ argv: [ls] }] }
                  - id: h
                    command: { argv: [ls], okExitCodes: [256] }
                  - id: i
                    command: { host: "Bad Host", argv: [ls] }
                """));
        String all = e.getMessage();
        assertTrue(all.contains("c.yaml:4:"), all);
        assertTrue(all.contains("command.argv[0]: the program is written literally"), all);
        assertTrue(all.contains("argv[0]: './run.sh' is not a program: write an absolute path"), all);
        assertTrue(all.contains("cwd has no '.' or '..' elements"), all);
        assertTrue(all.contains("env.LD_PRELOAD: cannot be set by a step"), all);
        assertTrue(all.contains("'secret.a.b': a secret name is"), all);
        assertTrue(all.contains("steps[5](f).command: an exec block (commands:) keeps argv"), all);
        assertTrue(all.contains("an exec block (commands:) keeps argv, cwd"), all);
        assertTrue(all.contains("is not an exit code (0-255)"), all);
        assertTrue(all.contains("command.host: 'Bad Host' is not an agent host's name"), all);
    }

    /** The example of docs/DEFINITIONS.md's "Command steps", read from the file so the two cannot drift. */
    @Test
    void theDocsExampleLoads() throws java.io.IOException {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/DEFINITIONS.md"));
        int section = doc.indexOf("### Command steps");
        int start = doc.indexOf("```yaml\n", section) + "```yaml\n".length();
        String steps = doc.substring(start, doc.indexOf("```", start));
        WorkflowDefinition d = loader.parse("docs.yaml", "name: Docs\ninput: { since: 1d }\nsteps:\n" + steps);
        assertEquals(2, d.step("gather").command().commands().size());
        assertEquals(
                "/srv/metrics", d.step("gather").command().commands().get(1).cwd());
    }

    @Test
    void writerRoundTripsBothForms() {
        String text = """
                name: W
                steps:
                  - id: one
                    command:
                      host: nas-1
                      argv: [/bin/echo, "{{input.x}}"]
                      env: { A: b }
                      timeout: 1m
                      okExitCodes: [0, 1]
                      shell: false
                  - id: block
                    command:
                      commands:
                        - argv: [sh, -c, "echo"]
                          shell: true
                        - argv: [/bin/true]
                      maxOutput: 10
                """;
        WorkflowDefinition d = loader.parse("w.yaml", "input: { x: y }\n" + text);
        WorkflowDefinition again = loader.parse("w.yaml", DefinitionWriter.write(d, List.of()));
        assertEquals(d.steps(), again.steps());
    }
}

package ai.clawfactory.worker.step.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.worker.config.CommandsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker's gates: each refusal names its gate and the setting that opens it. */
class CommandGatesTest {

    @TempDir
    Path dir;

    private CommandGates gates(String allow, boolean shell, String root) {
        return new CommandGates(new CommandsConfig(allow, shell, root, "runs", Duration.ofSeconds(1), null));
    }

    private static String refusal(CommandGates g, List<String> argv, String cwd) {
        return assertThrows(CommandGates.Refused.class, () -> g.check(argv, cwd))
                .getMessage();
    }

    @Test
    void commandsAreOffUntilCommandsAllowIsSet() {
        String m = refusal(gates(null, false, null), List.of("/bin/echo"), null);
        assertTrue(m.contains("commands are off on this worker (gate COMMANDS_ALLOW)"), m);
    }

    @Test
    void aProgramOffTheAllowListIsRefusedByRealPath() throws IOException {
        String m = refusal(gates("/usr/bin/true", false, null), List.of("/bin/echo", "x"), null);
        assertTrue(m.contains("is not allowed (gate COMMANDS_ALLOW: /usr/bin/true)"), m);
        // A symlink inside an allowed folder that leads out of it is judged by where it leads.
        Path tools = Files.createDirectories(dir.resolve("tools"));
        Files.createSymbolicLink(tools.resolve("echo"), Path.of("/bin/echo"));
        m = refusal(
                gates(tools.toString(), false, null),
                List.of(tools.resolve("echo").toString()),
                null);
        assertTrue(m.contains("(" + Path.of("/bin/echo").toRealPath() + ") is not allowed"), m);
    }

    @Test
    void anAllowedFolderLetsItsProgramsRunAndABareNameIsFoundOnTheFixedPath() throws IOException {
        CommandGates.Passed p = gates("/usr/bin,/bin", false, null).check(List.of("echo", "x"), null);
        assertTrue(p.program().endsWith("/echo") && p.program().startsWith("/"), p.program());
        assertEquals(Path.of("/"), p.cwd());
        String m = refusal(gates("/usr/bin", false, null), List.of("no-such-program-here"), null);
        assertTrue(m.contains("is not on the PATH commands get (/usr/local/bin:/usr/bin:/bin)"), m);
    }

    @Test
    void aShellStringNeedsCommandsAllowShellEvenThroughEnvOrASymlink() throws IOException {
        String allow = "/bin,/usr/bin," + dir;
        for (List<String> argv : List.of(
                List.of("/bin/sh", "-c", "echo hi"),
                List.of("/bin/bash", "-lc", "echo hi"),
                List.of("/usr/bin/env", "sh", "-c", "echo hi"))) {
            String m = refusal(gates(allow, false, null), argv, null);
            assertTrue(m.contains("refused (gate COMMANDS_ALLOW_SHELL): set COMMANDS_ALLOW_SHELL=true"), m);
        }
        Path innocent = Files.createSymbolicLink(dir.resolve("innocent"), Path.of("/bin/bash"));
        String m = refusal(gates(allow, false, null), List.of(innocent.toString(), "-c", "id"), null);
        assertTrue(m.contains("gate COMMANDS_ALLOW_SHELL"), m);
        gates(allow, true, null).check(List.of("/bin/sh", "-c", "echo hi"), null);
        gates(allow, false, null).check(List.of("/bin/sh", "/srv/script.sh"), null);
    }

    @Test
    void cwdMustLieUnderCommandsRootByRealPath() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path inside = Files.createDirectories(root.resolve("a"));
        Path outside = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createSymbolicLink(root.resolve("escape"), outside);
        String m = refusal(gates("/bin", false, null), List.of("/bin/echo"), inside.toString());
        assertTrue(m.contains("needs a root (gate COMMANDS_ROOT): set COMMANDS_ROOT"), m);
        CommandGates g = gates("/bin", false, root.toString());
        assertEquals(
                inside.toRealPath(),
                g.check(List.of("/bin/echo"), inside.toString()).cwd());
        assertEquals(root.toRealPath(), g.check(List.of("/bin/echo"), null).cwd());
        for (String bad : List.of(
                outside.toString(),
                root + "/../elsewhere",
                root.resolve("escape").toString())) {
            m = refusal(g, List.of("/bin/echo"), bad);
            assertTrue(m.contains("is not under COMMANDS_ROOT " + root.toRealPath() + " (gate COMMANDS_ROOT)"), m);
        }
        m = refusal(g, List.of("/bin/echo"), root.resolve("missing").toString());
        assertTrue(m.contains("does not exist"), m);
    }

    @Test
    void settingsAreCheckedAtStart() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new CommandsConfig("bin/echo", false, null, "runs", Duration.ofSeconds(1), null));
        assertTrue(e.getMessage().contains("commands.allow (COMMANDS_ALLOW) lists 'bin/echo'"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new CommandsConfig("/bin", false, "srv", "runs", Duration.ofSeconds(1), null));
        assertTrue(e.getMessage().contains("commands.root (COMMANDS_ROOT) must be an absolute path"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new CommandsConfig("/bin", false, null, "runs", Duration.ofSeconds(1), "Nas 1"));
        assertTrue(e.getMessage().contains("commands.agent (AGENT_NAME) is 'Nas 1', not an agent host's name"));
    }
}

package ai.clawfactory.worker.step.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** A command as its own process group: a clean environment, capped logs, and ended whole. */
class ProcessGroupTest {

    @Test
    void theCommandGetsOnlyTheCleanEnvironmentAndWhatTheStepDeclares() throws Exception {
        Map<String, String> env = CommandExecutor.environment(Path.of("/tmp"), Map.of("A", "1", "PATH", "/evil"));
        ProcessGroup g = ProcessGroup.start("/usr/bin/env", List.of(), Path.of("/tmp"), env);
        assertTrue(g.await(Duration.ofSeconds(10)));
        g.end(Duration.ofSeconds(1));
        String out = new String(g.stdout().bytes(), StandardCharsets.UTF_8);
        assertEquals(
                new TreeSet<>(List.of("A=1", "HOME=/tmp", "LANG=C.UTF-8", "PATH=/usr/local/bin:/usr/bin:/bin")),
                new TreeSet<>(Arrays.asList(out.split("\n"))),
                "no variable of the worker's (e.g. "
                        + System.getenv().keySet().stream().findFirst().orElse("") + ")");
    }

    @Test
    void stdinIsEmptyAndTheCommandLeadsItsOwnGroup() throws Exception {
        ProcessGroup g = ProcessGroup.start(
                "/bin/sh",
                List.of("-c", "cat; ps -o pgid= -p $$"),
                Path.of("/"),
                CommandExecutor.environment(Path.of("/"), Map.of()));
        assertTrue(g.await(Duration.ofSeconds(10)));
        g.end(Duration.ofSeconds(1));
        assertEquals(String.valueOf(g.pid()), new String(g.stdout().bytes(), StandardCharsets.UTF_8).trim());
    }

    @Test
    void endingTheGroupEndsTheCommandAndWhatItForked() throws Exception {
        // The shell forks a sleeper into the background and waits: both are in the group.
        ProcessGroup g = ProcessGroup.start(
                "/bin/sh",
                List.of("-c", "sleep 300 & echo $!; wait"),
                Path.of("/"),
                CommandExecutor.environment(Path.of("/"), Map.of()));
        assertFalse(g.await(Duration.ofMillis(500)));
        assertTrue(g.groupAlive());
        g.end(Duration.ofSeconds(2));
        assertFalse(g.groupAlive(), "nothing of the group is left");
        long child = Long.parseLong(new String(g.stdout().bytes(), StandardCharsets.UTF_8).trim());
        assertFalse(
                ProcessGroup.running(child), "the forked sleeper is gone (or a zombie its new parent has yet to reap)");
        assertEquals("TERM", g.signal());
    }

    @Test
    void aCommandIgnoringTermGetsKillAfterTheGrace() throws Exception {
        ProcessGroup g = ProcessGroup.start(
                "/bin/sh",
                List.of("-c", "trap '' TERM; sleep 300 & wait; wait"),
                Path.of("/"),
                CommandExecutor.environment(Path.of("/"), Map.of()));
        assertFalse(g.await(Duration.ofMillis(300)));
        g.end(Duration.ofMillis(500));
        assertFalse(g.groupAlive());
        assertEquals("KILL", g.signal());
    }

    @Test
    void aLogKeepsFourMebibytesAndCountsTheRest() throws Exception {
        ProcessGroup g = ProcessGroup.start(
                "/usr/bin/head",
                List.of("-c", String.valueOf(ProcessGroup.LOG_CAP + 1000), "/dev/zero"),
                Path.of("/"),
                CommandExecutor.environment(Path.of("/"), Map.of()));
        assertTrue(g.await(Duration.ofSeconds(20)));
        g.end(Duration.ofSeconds(1));
        assertEquals(ProcessGroup.LOG_CAP, g.stdout().bytes().length);
        assertEquals(ProcessGroup.LOG_CAP + 1000L, g.stdout().total());
        assertTrue(g.stdout().truncated());
    }
}

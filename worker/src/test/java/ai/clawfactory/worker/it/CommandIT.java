package ai.clawfactory.worker.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.testing.TemporalDevServer;
import ai.clawfactory.testing.TemporalDevServerExtension;
import ai.clawfactory.testing.WorkerProcess;
import ai.clawfactory.worker.interpreter.RunResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code command} steps with the packaged worker jar against the real dev server: stdout reaches
 * the next step, a shell string is refused without COMMANDS_ALLOW_SHELL, a command that forks a
 * child and outlives its timeout is ended with its child (its process group is empty after), and
 * every attempt leaves a bundle with its manifest and logs.
 */
@ExtendWith(TemporalDevServerExtension.class)
class CommandIT {

    @RegisterExtension
    final WorkerJarFixture it = new WorkerJarFixture();

    private static final ObjectMapper JSON = new ObjectMapper();
    private Path root;
    private Path runs;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(it.dir.resolve("root"));
        runs = it.dir.resolve("runs");
        // A script file (not a command string): it forks a sleeper, says who is who, and waits.
        Files.writeString(root.resolve("fork.sh"), """
                sleep 300 &
                echo $! > child.pid
                echo $$ > leader.pid
                wait
                """);
        it.define("pipe.yaml", """
                name: Pipe
                input: { who: world }
                steps:
                  - id: gather
                    command: { argv: [/bin/echo, "data for {{input.who}}"] }
                  - id: use
                    command: { argv: [/usr/bin/printf, "%s|", "{{steps.gather.output}}"] }
                """);
        it.define("shell.yaml", """
                name: Shell
                steps:
                  - id: sh
                    command: { argv: [/bin/sh, -c, "echo hi"], shell: true }
                """);
        it.define("hang.yaml", """
                name: Hang
                steps:
                  - id: fork
                    retry: { maximumAttempts: 2, initialInterval: 1s }
                    command: { argv: [/bin/sh, %s/fork.sh], cwd: %s, timeout: 2s }
                """.formatted(root, root));
    }

    private WorkerProcess start(TemporalDevServer server) {
        return commands(it.worker(server.target())).startReady();
    }

    /** An agent host NAME: the worker jar with AGENT_NAME, polling only clawfactory-agent-NAME. */
    private WorkerProcess agent(TemporalDevServer server, String name, String process) {
        return commands(it.worker(server.target(), process))
                .env("AGENT_NAME", name)
                .readyWhenOutputContains(
                        "Agent host '" + name + "' polling task queue 'clawfactory-agent-" + name + "'")
                .startReady();
    }

    private WorkerProcess.Builder commands(WorkerProcess.Builder b) {
        return b.env("GATEWAY_HEARTBEAT", "500ms")
                .env("COMMANDS_ALLOW", "/bin,/usr/bin")
                .env("COMMANDS_ROOT", root.toString())
                .env("COMMANDS_BUNDLES_DIR", runs.toString())
                .env("COMMANDS_KILL_GRACE", "1s");
    }

    private static WorkflowClient client(TemporalDevServer server) {
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(server.target())
                .build());
        return WorkflowClient.newInstance(
                stubs,
                WorkflowClientOptions.newBuilder().setNamespace("default").build());
    }

    private WorkflowStub run(WorkflowClient client, String type, String id, Map<String, String> input) {
        WorkflowStub stub = client.newUntypedWorkflowStub(
                type,
                WorkflowOptions.newBuilder()
                        .setTaskQueue(it.taskQueue())
                        .setWorkflowId(id)
                        .build());
        stub.start(input);
        return stub;
    }

    private List<Path> manifests(String workflowId) throws IOException {
        try (Stream<Path> s = Files.walk(runs.resolve(workflowId))) {
            return s.filter(p -> p.getFileName().toString().equals("manifest.json"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void anAgentHostRunsAnOnStepAndWhenItDiesMidCommandAnotherCompletesTheRetry(TemporalDevServer server)
            throws Exception {
        // Agent queues are named by host, not by test: a name of this run's own.
        String host = "it-" + Long.toHexString(System.nanoTime());
        // The first run sleeps (the host is killed under it); the second finds the marker and answers.
        Files.writeString(root.resolve("once.sh"), """
                if [ -e started ]; then echo "second try on $(cat agent)"; exit 0; fi
                touch started
                echo $$ > first.pid
                sleep 300
                """);
        it.define("remote.yaml", """
                name: Remote
                steps:
                  - id: far
                    timeout: 60s
                    retry: { maximumAttempts: 3, initialInterval: 1s }
                    command: { host: %s, argv: [/bin/sh, %s/once.sh], cwd: %s }
                """.formatted(host, root, root));
        start(server);
        WorkerProcess first = agent(server, host, "agent-a");
        WorkflowStub stub = run(client(server), "Remote", "cmd-it-remote", Map.of());
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(root.resolve("first.pid")));
        long orphan = Long.parseLong(Files.readString(root.resolve("first.pid")).trim());
        first.kill(); // mid-command: its lease (the heartbeat) runs out
        try {
            Files.writeString(root.resolve("agent"), "agent-b");
            agent(server, host, "agent-b");
            RunResult r = stub.getResult(120, TimeUnit.SECONDS, RunResult.class);
            assertEquals("second try on agent-b\n", r.steps().get("far").output());
            assertTrue(
                    r.steps().get("far").attempts() >= 2,
                    "retried: " + r.steps().get("far"));
            List<Path> manifests = manifests("cmd-it-remote");
            assertEquals(1, manifests.size(), "the killed attempt wrote no manifest: " + manifests);
            assertEquals(
                    "exited",
                    JSON.readTree(manifests.get(0).toFile()).get("how").asText());
        } finally {
            // The killed host could not end its command (systemd's cgroup would): end what it left.
            new ProcessBuilder("/usr/bin/kill", "-KILL", "--", "-" + orphan)
                    .start()
                    .waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Whether {@code pid} runs: its {@code /proc} entry exists and is no zombie (ended, its parent yet to reap it). */
    private static boolean running(long pid) {
        String[] f = stat(Path.of("/proc", Long.toString(pid), "stat"));
        return f != null && !f[0].equals("Z");
    }

    /** The fields of {@code /proc/PID/stat} after the command name (state, ppid, pgrp, ...), or null. */
    private static String[] stat(Path stat) {
        try {
            String s = Files.readString(stat);
            return s.substring(s.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }

    @Test
    void stdoutReachesTheNextStepAndEachAttemptLeavesABundle(TemporalDevServer server) throws Exception {
        start(server);
        RunResult r = run(client(server), "Pipe", "cmd-it-pipe", Map.of("who", "the agent"))
                .getResult(60, TimeUnit.SECONDS, RunResult.class);
        assertEquals("data for the agent\n", r.steps().get("gather").output());
        assertEquals("data for the agent\n|", r.steps().get("use").output());
        List<Path> manifests = manifests("cmd-it-pipe");
        assertEquals(2, manifests.size(), manifests.toString());
        for (Path m : manifests) {
            JsonNode manifest = JSON.readTree(m.toFile());
            assertEquals("exited", manifest.get("how").asText());
            assertTrue(Files.exists(m.resolveSibling("cmd-000.stdout.log")));
            assertTrue(Files.exists(m.resolveSibling("cmd-000.stderr.log")));
        }
    }

    @Test
    void aShellStringIsRefusedWithoutCommandsAllowShell(TemporalDevServer server) throws Exception {
        start(server);
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class,
                () -> run(client(server), "Shell", "cmd-it-shell", Map.of())
                        .getResult(60, TimeUnit.SECONDS, RunResult.class));
        assertTrue(
                e.getCause().getMessage().contains("gate COMMANDS_ALLOW_SHELL"),
                e.getCause().getMessage());
        List<Path> manifests = manifests("cmd-it-shell");
        assertEquals(1, manifests.size(), "refused once, not retried: " + manifests);
        assertEquals(
                "refused", JSON.readTree(manifests.get(0).toFile()).get("how").asText());
    }

    @Test
    void aCommandPastItsTimeoutIsEndedWithItsChildOnEveryAttempt(TemporalDevServer server) throws Exception {
        start(server);
        WorkflowStub stub = run(client(server), "Hang", "cmd-it-hang", Map.of());
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class, () -> stub.getResult(90, TimeUnit.SECONDS, RunResult.class));
        assertTrue(
                e.getCause().getMessage().contains("ran past its timeout of 2 s"),
                e.getCause().getMessage());
        long leader =
                Long.parseLong(Files.readString(root.resolve("leader.pid")).trim());
        long child = Long.parseLong(Files.readString(root.resolve("child.pid")).trim());
        assertFalse(running(child), "the forked child is gone");
        assertFalse(running(leader), "the command is gone");
        try (Stream<Path> all = Files.list(Path.of("/proc"))) {
            List<String> left = all.map(p -> stat(p.resolve("stat")))
                    .filter(f -> f != null && f[2].equals(Long.toString(leader)) && !f[0].equals("Z"))
                    .map(f -> String.join(" ", f).substring(0, 20))
                    .toList();
            assertEquals(List.of(), left, "no process is left in the command's group " + leader);
        }
        List<Path> manifests = manifests("cmd-it-hang");
        assertEquals(2, manifests.size(), "one bundle per attempt: " + manifests);
        for (Path m : manifests) {
            JsonNode manifest = JSON.readTree(m.toFile());
            assertEquals("timeout", manifest.get("how").asText());
            assertEquals("TERM", manifest.get("commands").get(0).get("signal").asText());
        }
    }
}

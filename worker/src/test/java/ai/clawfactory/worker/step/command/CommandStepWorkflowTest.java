package ai.clawfactory.worker.step.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.worker.GatewayWorkflowTest;
import ai.clawfactory.worker.interpreter.InterpreterWorkflow;
import ai.clawfactory.worker.interpreter.RunResult;
import ai.clawfactory.worker.ledger.TurnAttempt;
import ai.clawfactory.worker.ledger.TurnLedger;
import ai.clawfactory.worker.step.StepStatus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code command} step end to end on the time-skipping server: the real command activity, real
 * processes, a real SQLite ledger and bundles on disk.
 */
class CommandStepWorkflowTest extends GatewayWorkflowTest {

    static final String SECRET = "s3cr3t-never-in-a-log";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path root;
    private Path bundles;

    private WorkflowClient start(String allow, boolean allowShell) throws IOException {
        root = Files.createDirectories(bed.dir().resolve("root/work"));
        bundles = bed.dir().resolve("runs");
        Path secrets = Files.createDirectories(bed.dir().resolve("secrets"));
        Files.writeString(secrets.resolve("api-key"), SECRET);
        Map<String, Object> props = new HashMap<>();
        props.put("commands.allow", allow);
        props.put("commands.allow-shell", String.valueOf(allowShell));
        props.put("commands.root", bed.dir().resolve("root").toString());
        props.put("commands.bundles", bundles.toString());
        props.put("secrets.dir", secrets.toString());
        props.put("secrets.names", "api-key");
        startWorker("dry-run", "tok", props);
        return client;
    }

    private WorkflowStub run(String type, String id, Map<String, String> input) {
        WorkflowStub stub = client.newUntypedWorkflowStub(
                type,
                WorkflowOptions.newBuilder()
                        .setTaskQueue(taskQueue)
                        .setWorkflowId(id)
                        .build());
        stub.start(input);
        return stub;
    }

    @Test
    void stdoutBecomesTheOutputOfTheStepAndTheNextStepReadsIt() throws Exception {
        bed.define("echo.yaml", """
                name: Echo
                input: { who: world }
                steps:
                  - id: greet
                    command:
                      argv: [/bin/echo, "hello {{input.who}}"]
                      cwd: %s
                      env: { KEY: "{{secret.api-key}}" }
                  - id: shout
                    command:
                      commands:
                        - argv: [/usr/bin/printenv, KEY]
                          env: { KEY: "{{secret.api-key}}" }
                        - argv: [/usr/bin/tr, a-z, A-Z, "{{steps.greet.output}}"]
                          okExitCodes: [0, 1]
                """.formatted(bed.dir().resolve("root/work")));
        start("/bin,/usr/bin", false);

        RunResult result = run("Echo", "cmd-ok", Map.of("who", "clawfactory")).getResult(RunResult.class);

        assertEquals(StepStatus.OK, result.steps().get("greet").status());
        assertEquals("hello clawfactory\n", result.steps().get("greet").output());
        // printenv printed the secret: the output and the logs carry it redacted.
        String shout = result.steps().get("shout").output();
        assertTrue(shout.startsWith("[redacted]\n"), shout);
        assertFalse(shout.contains(SECRET), shout);

        List<TurnAttempt> rows = ctx.getBean(TurnLedger.class).latest("cmd-ok", 10);
        assertEquals(List.of("ok", "ok"), rows.stream().map(TurnAttempt::status).toList());
        TurnAttempt greet = rows.stream()
                .filter(r -> r.stepId().equals("greet"))
                .findFirst()
                .orElseThrow();
        assertNotNull(greet.bundle());
        Path bundle = Path.of(greet.bundle());
        assertTrue(bundle.startsWith(bundles.toAbsolutePath()), bundle.toString());
        assertEquals(List.of("1"), List.of(bundle.getFileName().toString()));
        JsonNode manifest = JSON.readTree(bundle.resolve("manifest.json").toFile());
        assertEquals("exited", manifest.get("how").asText());
        JsonNode cmd = manifest.get("commands").get(0);
        assertEquals("[\"/bin/echo\",\"hello clawfactory\"]", cmd.get("argv").toString());
        assertEquals("[\"KEY\"]", cmd.get("env").toString(), "only the names of the variables");
        assertEquals(0, cmd.get("exitCode").asInt());
        assertEquals(18, cmd.get("stdout").get("bytes").asLong());
        assertEquals(
                Bundle.sha256(Files.readAllBytes(bundle.resolve("cmd-000.stdout.log"))),
                cmd.get("stdout").get("sha256").asText());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(bundle)));
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(bundle.resolve("manifest.json"))));
        try (var all = Files.walk(bundles)) {
            for (Path f : all.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(f).contains(SECRET), f + " holds the secret");
            }
        }
        WorkflowReplayer.replayWorkflowExecution(client.fetchHistory("cmd-ok"), InterpreterWorkflow.class);
    }

    @Test
    void aShellStringIsRefusedOnceWithoutCommandsAllowShell() throws Exception {
        bed.define("shell.yaml", """
                name: Shell
                steps:
                  - id: sh
                    retry: { maximumAttempts: 3, initialInterval: 1s }
                    command: { argv: [/bin/sh, -c, "echo hi"], shell: true }
                """);
        start("/bin,/usr/bin", false);
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class,
                () -> run("Shell", "cmd-shell", Map.of()).getResult(RunResult.class));
        String m = e.getCause().getMessage();
        assertTrue(m.contains("gate COMMANDS_ALLOW_SHELL"), m);
        List<TurnAttempt> rows = ctx.getBean(TurnLedger.class).latest("cmd-shell", 10);
        assertEquals(List.of("invalid"), rows.stream().map(TurnAttempt::status).toList(), "refused, not retried");
        JsonNode manifest = JSON.readTree(
                Path.of(rows.get(0).bundle()).resolve("manifest.json").toFile());
        assertEquals("refused", manifest.get("how").asText());
    }

    @Test
    void aFailingCommandIsRetriedThenFailsTheRunWithItsStderr() throws Exception {
        bed.define("fail.yaml", """
                name: Fail
                steps:
                  - id: ls
                    retry: { maximumAttempts: 2, initialInterval: 1s }
                    command: { argv: [/bin/ls, /no/such/folder] }
                """);
        start("/bin/ls", false);
        WorkflowFailedException e = assertThrows(
                WorkflowFailedException.class,
                () -> run("Fail", "cmd-fail", Map.of()).getResult(RunResult.class));
        String m = e.getCause().getMessage();
        assertTrue(m.contains("exited with 2, accepted [0]"), m);
        assertTrue(m.contains("No such file or directory"), m);
        List<TurnAttempt> rows = ctx.getBean(TurnLedger.class).latest("cmd-fail", 10);
        assertEquals(2, rows.size());
        try (var attempts = Files.list(Path.of(rows.get(0).bundle()).getParent())) {
            assertEquals(
                    List.of("1", "2"),
                    attempts.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}

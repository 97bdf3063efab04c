package ai.clawfactory.schedules.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The openclaw child process: only what it needs in its environment, and ids never read as options. */
class OpenClawCliTest {

    @TempDir
    Path tmp;

    /** A stand-in openclaw: lists two jobs (one with the id --help), and records each call's environment and argv. */
    private Path fakeCli(Path calls) throws IOException {
        Path list = tmp.resolve("list.json");
        Files.writeString(list, """
                {"jobs": [
                  {"id": "9c0ffee0-1111-4222-8333-444455556666", "name": "good", "enabled": true,
                   "schedule": {"kind": "cron", "expr": "0 5 * * *", "tz": "UTC"},
                   "payload": {"kind": "agentTurn", "message": "hello"}},
                  {"id": "--help", "name": "option", "enabled": true,
                   "schedule": {"kind": "cron", "expr": "0 6 * * *", "tz": "UTC"},
                   "payload": {"kind": "agentTurn", "message": "hello"}}]}
                """);
        Path bin = tmp.resolve("openclaw");
        Files.writeString(
                bin,
                "#!/bin/sh\n"
                        + "{ echo '--- env'; env; echo '--- argv'; for a in \"$@\"; do printf '%s\\n' \"$a\"; done; } >> '"
                        + calls + "'\n"
                        + "if [ \"$1 $2\" = 'cron list' ]; then cat '" + list + "'; exit 0; fi\n"
                        + "if [ \"$1 $2\" = 'cron disable' ]; then echo '{\"enabled\": false}'; exit 0; fi\n"
                        + "exit 2\n");
        bin.toFile().setExecutable(true);
        return bin;
    }

    @Test
    void theChildGetsOnlyWhatItNeedsAndTheIdComesAfterDoubleDash() throws IOException {
        Path calls = tmp.resolve("calls.txt");
        Path bin = fakeCli(calls);
        OpenClawImportCommand cmd = new OpenClawImportCommand();
        cmd.now = OpenClawImportTest.NOW;
        cmd.openclawBin = bin.toString();
        // This process's environment as the worker's unit or an operator's shell has it: secrets beside the CLI's
        // settings.
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("TEMPORAL_API_KEY", "temporal-key-must-not-leak");
        env.put("GATEWAY_TOKEN", "gateway-token-must-not-leak");
        env.put("LEDGER_DB_PASSWORD", "ledger-password-must-not-leak");
        env.put("OPENCLAW_STATE_DIR", "/srv/openclaw-state");
        env.put("LC_ALL", "C.UTF-8");
        cmd.environment = env;
        CommandLine cl = new CommandLine(cmd);
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        int code = cl.execute("--out", tmp.resolve("d").toString(), "--disable-source");
        String text = Files.readString(calls);
        assertEquals(2, code, out + "\n" + text);

        // The environment: nothing but the allowed names (the shell adds PWD, SHLVL and _ itself).
        Set<String> shell = Set.of("PWD", "OLDPWD", "SHLVL", "_");
        for (String block : text.split("--- env\n")) {
            if (block.isEmpty()) {
                continue;
            }
            for (String line :
                    block.substring(0, block.indexOf("--- argv\n")).lines().toList()) {
                String name = line.substring(0, Math.max(0, line.indexOf('=')));
                assertTrue(
                        shell.contains(name) || OpenClawCli.passedToChild(name),
                        () -> "the child got " + name + ":\n" + text);
            }
        }
        assertFalse(text.contains("must-not-leak"), text);
        assertTrue(text.contains("\nOPENCLAW_STATE_DIR=/srv/openclaw-state\n"), text);
        assertTrue(text.contains("\nLC_ALL=C.UTF-8\n"), text);
        assertTrue(text.contains("\nPATH=" + System.getenv("PATH") + "\n"), text);
        // The argv: options end before the id; the job with the id --help was never passed on.
        List<String> argv = text.lines().toList();
        assertTrue(text.contains("--- argv\ncron\ndisable\n--\n9c0ffee0-1111-4222-8333-444455556666\n"), text);
        assertEquals(1, argv.stream().filter("disable"::equals).count(), text);
        assertTrue(argv.stream().noneMatch("--help"::equals), text);
        assertTrue(out.toString().contains("\"option\": job id \"--help\" is not an OpenClaw job id"), out::toString);
    }
}

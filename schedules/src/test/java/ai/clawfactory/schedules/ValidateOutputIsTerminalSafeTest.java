package ai.clawfactory.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.ExitCode;
import ai.clawfactory.core.logging.LogText;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code validate} prints what files hold (a turn's name, which {@code import openclaw} takes from
 * a cron job an agent may have written): written in YAML as escapes, such text is a terminal
 * escape sequence or a line break once read, and must reach the terminal as visible escapes, one
 * line per line the command means to print.
 */
class ValidateOutputIsTerminalSafeTest {

    @TempDir
    Path dir;

    @Test
    void aTurnNameWithEscapeSequencesAndLineBreaksIsPrintedAsVisibleEscapesOnItsOwnLine() throws Exception {
        Files.writeString(dir.resolve("hostile.yaml"), """
                name: Hostile
                steps:
                  - id: ask
                    agentTurn: { name: "digest\\e[2J\\u2028ok  Forged\\nfake", message: hi }
                """);
        Cli.Result r = Cli.offline().run("validate", dir.toString());
        assertEquals(0, r.exitCode(), r.toString());
        r.out()
                .codePoints()
                .forEach(cp -> assertTrue(
                        cp == '\n' || !LogText.unsafe(cp), "raw U+" + Integer.toHexString(cp) + " in: " + r.out()));
        assertTrue(r.out().contains("digest\\u001b[2J\\u2028ok  Forged\\nfake"), r.out());
        assertEquals(
                3,
                r.out().lines().count(),
                "the ok line, the step line, the count: the name's line breaks add none:\n" + r.out());
    }

    @Test
    void aProblemQuotingTheFileIsPrintedOnOneLine() throws Exception {
        Files.writeString(dir.resolve("bad.yaml"), """
                name: Bad
                steps:
                  - id: ask
                    agentTurn: { message: "{{input.missing\\u2028ok  Forged}}" }
                """);
        Cli.Result r = Cli.offline().run("validate", dir.toString());
        assertEquals(ExitCode.INVALID.code(), r.exitCode(), r.toString());
        r.err()
                .codePoints()
                .forEach(cp -> assertTrue(
                        cp == '\n' || !LogText.unsafe(cp), "raw U+" + Integer.toHexString(cp) + " in: " + r.err()));
    }
}

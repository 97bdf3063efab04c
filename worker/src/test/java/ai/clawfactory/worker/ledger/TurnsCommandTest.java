package ai.clawfactory.worker.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.ExitCode;
import ai.clawfactory.worker.TestContexts;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code turns}: what it prints cannot drive the terminal, and it never creates or writes a ledger. */
class TurnsCommandTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run turns(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new TurnsCommand())
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path ledgerWith(String workflowId, String runId, String output, String error) throws IOException {
        try (ApplicationContext ctx = TestContexts.start(dir, Files.createDirectories(dir.resolve("defs")), Map.of())) {
            TurnLedger ledger = ctx.getBean(TurnLedger.class);
            TurnAttempt ok =
                    ledger.start("k1", workflowId, "run", "T", "step\u001b[1A", 1, "http", "POST https://x/\u001b[2J");
            ledger.finish(ok, TurnAttempt.OK, 200, runId, output, null);
            TurnAttempt bad = ledger.start("k2", workflowId, "run", "T", "b", 1, "http", null);
            ledger.finish(bad, TurnAttempt.PERMANENT_ERROR, 400, null, null, error);
        }
        return dir.resolve("ledger.db");
    }

    private static void assertNoControlCharacters(String text) {
        for (char c : text.toCharArray()) {
            boolean allowed =
                    c == '\n' || c == '\t' || c >= 0x20 && c < 0x7f || c > 0x9f && !(c >= '\u202a' && c <= '\u202e');
            assertTrue(allowed, () -> String.format("control character U+%04X printed in:%n%s", (int) c, text));
        }
    }

    @Test
    void escapeSequencesFromTheGatewayArePrintedInert() throws IOException {
        String osc = "\u001b]0;owned\u0007";
        Path ledger = ledgerWith(
                "wf\u001b[31m",
                "run\u009b2J",
                "line one\r\n" + osc + "\u001b[2K\tindented\u202eevil",
                "HTTP 400: \u001b[8mhidden\u001b[0m\r\rover");
        Run r = turns("--full", "--ledger", ledger.toString());
        assertEquals(0, r.code(), r.err());
        assertNoControlCharacters(r.out());
        assertTrue(r.out().contains("\uFFFD]0;owned\uFFFD"), r.out());
        assertTrue(
                r.out().contains("HTTP 400: \uFFFD[8mhidden\uFFFD[0m over"),
                "a table cell keeps to one line: " + r.out());
        assertTrue(r.out().contains("line one\n"), "--full keeps line breaks: " + r.out());
        assertTrue(r.out().contains("\tindented"), "and tabs: " + r.out());
    }

    @Test
    void aMissingLedgerIsOneLineAndNonZeroAndCreatesNothing() {
        Path missing = dir.resolve("nope").resolve("ledger.db");
        Run r = turns("--ledger", missing.toString());
        assertEquals(ExitCode.FAILED.code(), r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("No turn ledger at " + missing), r.err());
        assertEquals("", r.out());
        assertFalse(Files.exists(missing.getParent()), "nothing was created");
    }

    @Test
    void withoutLedgerOptionTheWorkersConfiguredLedgerIsRead() {
        Path missing = dir.resolve("configured").resolve("ledger.db");
        System.setProperty("datasources.default.url", "jdbc:sqlite:" + missing + "?journal_mode=WAL");
        try {
            Run r = turns();
            assertEquals(ExitCode.FAILED.code(), r.code());
            assertTrue(r.err().startsWith("No turn ledger at " + missing + " "), r.err());
        } finally {
            System.clearProperty("datasources.default.url");
        }
    }

    @Test
    void theLedgerIsOpenedReadOnly() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.db"));
        Run r = turns("--ledger", empty.toString());
        assertEquals(ExitCode.FAILED.code(), r.code(), r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("Cannot read the turn ledger at " + empty), r.err());
        assertEquals(0, Files.size(empty), "no migration ran: the file is still empty");

        Path ledger = ledgerWith("wf", "r-1", "out", "err");
        byte[] before = Files.readAllBytes(ledger);
        Run ok = turns("--ledger", ledger.toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("r-1") || ok.out().contains("err"), ok.out());
        assertArrayEquals(before, Files.readAllBytes(ledger));
        assertFalse(
                Arrays.stream(dir.toFile().list()).anyMatch(n -> n.equals("empty.db-wal")),
                "no journal for the empty file");
    }

    private Path ledgerWithAges(long... agesInDays) {
        try (ApplicationContext ctx = TestContexts.start(dir, Files.createDirectories(dir.resolve("defs")), Map.of())) {
            TurnAttemptRepository repository = ctx.getBean(TurnAttemptRepository.class);
            long now = System.currentTimeMillis();
            for (long age : agesInDays) {
                repository.save(new TurnAttempt(
                        java.util.UUID.randomUUID().toString(),
                        "k" + age,
                        "wf",
                        "run",
                        "T",
                        "s",
                        1,
                        "http",
                        TurnAttempt.OK,
                        200,
                        null,
                        now - java.time.Duration.ofDays(age).toMillis(),
                        5L,
                        null,
                        null,
                        null));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dir.resolve("ledger.db");
    }

    @Test
    void pruneDeletesAttemptsOlderThanTheGivenAgeAndSaysHowMany() {
        Path ledger = ledgerWithAges(40, 35, 31, 2, 0);
        Run dry = turns("prune", "--older-than", "30d", "--dry-run", "--ledger", ledger.toString());
        assertEquals(0, dry.code(), dry.err());
        assertTrue(dry.out().startsWith("Would delete 3 attempt(s) started before "), dry.out());
        Run r = turns("prune", "--older-than", "30d", "--ledger", ledger.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("Deleted 3 attempt(s) started before "), r.out());
        assertTrue(r.out().contains("(older than 30d) from " + ledger), r.out());
        Run left = turns("--ledger", ledger.toString());
        assertEquals(2, left.out().lines().filter(l -> l.contains(" wf ")).count(), left.out());
        Run again = turns("prune", "--ledger", ledger.toString());
        assertTrue(
                again.out().startsWith("Deleted 0 attempt(s)") && again.out().contains("(older than 30d)"),
                "the default is the 30-day retention: " + again.out());
    }

    @Test
    void pruneRefusesLessThanADayAndAMissingLedger() {
        Path ledger = ledgerWithAges(2);
        Run young = turns("prune", "--older-than", "6h", "--ledger", ledger.toString());
        assertEquals(2, young.code(), young.err());
        assertTrue(young.err().contains("refusing to prune attempts younger than 1d"), young.err());
        Path missing = dir.resolve("none.db");
        Run r = turns("prune", "--ledger", missing.toString());
        assertEquals(ExitCode.FAILED.code(), r.code());
        assertFalse(Files.exists(missing), "prune creates no ledger");
    }
}

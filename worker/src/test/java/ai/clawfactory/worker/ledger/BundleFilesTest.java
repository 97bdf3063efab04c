package ai.clawfactory.worker.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.worker.TestContexts;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command attempt's bundle: {@code turns --full} shows it, {@code turns prune} removes it with its row, and only ours. */
class BundleFilesTest {

    private static final long DAY = Duration.ofDays(1).toMillis();

    @TempDir
    Path dir;

    private static Path bundle(Path at, String stdout) throws IOException {
        Files.createDirectories(at);
        Files.writeString(at.resolve("cmd-000.stdout.log"), stdout);
        Files.writeString(at.resolve("cmd-000.stderr.log"), "");
        Files.writeString(at.resolve("manifest.json"), """
                {"how":"exited","started":"2026-01-01T00:00:00Z","ended":"2026-01-01T00:00:01Z","host":"h",
                 "commands":[{"index":0,"argv":["/bin/echo","hi"],"exitCode":0,"signal":null,"how":"exited",
                   "stdout":{"file":"cmd-000.stdout.log","bytes":3,"written":3,"truncated":false,"sha256":"abcdef0123456789"},
                   "stderr":{"file":"cmd-000.stderr.log","bytes":0,"written":0,"truncated":false,"sha256":"e3b0c44298fc1c14"}}]}
                """);
        return at;
    }

    private static TurnAttempt row(String key, long startedAt, Path bundle) {
        TurnAttempt r = LedgerRows.attempt(UUID.randomUUID().toString(), key, "wf", TurnAttempt.OK, startedAt, "{}");
        return new TurnAttempt(
                r.id(),
                r.turnKey(),
                r.workflowId(),
                r.runId(),
                r.workflowType(),
                r.stepId(),
                r.attempt(),
                "command",
                r.status(),
                null,
                null,
                r.startedAt(),
                5L,
                r.request(),
                "hi\n",
                null,
                bundle.toString());
    }

    @Test
    void pruneRemovesOldBundlesWithTheirRowsAndNothingOutsideTheBundlesFolder() throws IOException {
        Path runs = dir.resolve("runs");
        Path old = bundle(runs.resolve("wf/run-old/step/1"), "old\n");
        Path recent = bundle(runs.resolve("wf/run-new/step/1"), "tail of the log\n");
        Path outside = bundle(dir.resolve("elsewhere/1"), "not ours\n");
        long now = System.currentTimeMillis();
        try (ApplicationContext ctx = TestContexts.start(
                dir, Files.createDirectories(dir.resolve("defs")), Map.of("commands.bundles", runs.toString()))) {
            TurnAttemptRepository repository = ctx.getBean(TurnAttemptRepository.class);
            repository.save(row("old", now - 40 * DAY, old));
            repository.save(row("outside", now - 40 * DAY, outside));
            repository.save(row("recent", now - DAY, recent));

            List<String> shown = ctx.getBean(BundleFiles.class).describe(recent.toString());
            assertEquals("bundle:  " + recent.toRealPath(), shown.get(0));
            assertTrue(shown.get(1).startsWith("  exited, 2026-01-01T00:00:00Z"), shown.toString());
            assertTrue(shown.get(2).contains("cmd-000 exited exit 0: /bin/echo hi"), shown.toString());
            assertTrue(shown.contains("tail of the log\n"), shown.toString());
            assertTrue(ctx.getBean(BundleFiles.class)
                    .describe(outside.toString())
                    .get(0)
                    .endsWith("(not readable here)"));

            assertEquals(2, ctx.getBean(LedgerUpkeep.class).prune(Duration.ofDays(30)));
            assertEquals(1, repository.count());
        }
        assertFalse(Files.exists(old), "the old bundle is gone");
        assertFalse(Files.exists(runs.resolve("wf/run-old")), "and the folders it leaves empty");
        assertTrue(Files.exists(recent.resolve("manifest.json")), "a recent bundle stays");
        assertTrue(
                Files.exists(outside.resolve("manifest.json")),
                "a row pointing outside COMMANDS_BUNDLES_DIR removes nothing");
    }
}

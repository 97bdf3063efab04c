package ai.clawfactory.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A schedule the server would refuse is refused by {@code validate}, with its place, and stops
 * {@code sync} before it connects: before, validate said "valid" and sync created the other
 * schedules, then failed on this one ("Invalid schedule spec: interval is too small").
 */
class ValidateChecksWhatSyncNeedsTest {

    @TempDir
    Path dir;

    @Test
    void anIntervalTheServerRefusesFailsValidateWithItsPlaceAndSyncBeforeAnythingIsApplied() throws Exception {
        Files.writeString(dir.resolve("a-fine.yaml"), """
                name: Fine
                steps:
                  - id: a
                    wait: 1m
                schedule: { interval: 1h, timezone: UTC }
                """);
        Files.writeString(dir.resolve("b-fast.yaml"), """
                name: Fast
                steps:
                  - id: a
                    wait: 1m
                schedule:
                  interval: 500ms
                  timezone: UTC
                """);
        String where = dir.resolve("b-fast.yaml") + ":6:13: schedule.interval: at least 1s";

        Cli.Result validate = Cli.offline().run("validate", dir.toString());
        assertEquals(ExitCode.INVALID.code(), validate.exitCode(), validate.toString());
        assertTrue(validate.err().contains(where), validate.toString());

        // Port 1 answers nobody: had sync got as far as connecting, it would exit 3, not 2.
        Cli.Result sync = Cli.offline().run("sync", dir.toString(), "--address=127.0.0.1:1", "--connect-timeout=1");
        assertEquals(ExitCode.INVALID.code(), sync.exitCode(), sync.toString());
        assertTrue(sync.err().contains(where), sync.toString());
        assertTrue(sync.err().contains("nothing was applied"), sync.toString());
        assertFalse(sync.out().contains("Syncing"), sync.toString());
    }
}

package ai.clawfactory.worker.step.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.worker.secret.Redactor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bundles: sanitized paths, private files, redaction before hashing, never overwritten. */
class BundleTest {

    @TempDir
    Path root;

    @Test
    void untrustedIdsNeverLeaveTheRootOrShareAFolder() throws Exception {
        for (String id : List.of("..", ".", "", "a/../../b", "/etc/passwd", "x\u0000y", "é")) {
            String s = Bundle.safe(id);
            assertTrue(s.matches("[A-Za-z0-9._-]+") && !s.equals(".") && !s.equals(".."), id + " → " + s);
        }
        assertNotEquals(Bundle.safe("a/b"), Bundle.safe("a_b"));
        assertEquals("plain-id_1.x", Bundle.safe("plain-id_1.x"));
        assertTrue(Bundle.safe("x".repeat(500)).length() < 100);
        Bundle b = Bundle.create(root, "../../escape", "run/1", "..", 1);
        assertTrue(b.folder().normalize().startsWith(root), b.folder().toString());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(b.folder())));
        assertEquals(
                "rwx------",
                PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(b.folder().getParent())));
    }

    @Test
    void aSecondBundleOfTheSameAttemptIsANewFolder() throws Exception {
        Bundle first = Bundle.create(root, "wf", "run", "step", 2);
        Bundle second = Bundle.create(root, "wf", "run", "step", 2);
        assertEquals("2", first.folder().getFileName().toString());
        assertEquals("2.2", second.folder().getFileName().toString());
    }

    @Test
    void logsAreRedactedBeforeTheyAreHashedAndWritten() throws Exception {
        Bundle b = Bundle.create(root, "wf", "run", "step", 1);
        byte[] raw = "token=hunter2-secret done\n".getBytes(StandardCharsets.UTF_8);
        Bundle.Log log = b.writeLog(0, "stdout", raw, raw.length, false, Redactor.of("hunter2-secret"));
        byte[] written = Files.readAllBytes(b.folder().resolve("cmd-000.stdout.log"));
        assertEquals("token=[redacted] done\n", new String(written, StandardCharsets.UTF_8));
        assertEquals(Bundle.sha256(written), log.sha256());
        assertEquals(raw.length, log.bytes());
        assertEquals(written.length, log.written());
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(b.folder().resolve(log.file()))));
        // A log cut in the middle of a secret keeps none of its start.
        byte[] cut = "abc hunter2-se".getBytes(StandardCharsets.UTF_8);
        Bundle.Log c = b.writeLog(1, "stdout", cut, 1000, true, Redactor.of("hunter2-secret"));
        String text = Files.readString(b.folder().resolve(c.file()));
        assertTrue(!text.contains("hunter") && c.truncated(), text);
    }
}

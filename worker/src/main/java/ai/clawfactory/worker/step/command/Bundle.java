package ai.clawfactory.worker.step.command;

import ai.clawfactory.worker.secret.Redactor;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The execution bundle of one attempt: {@code <root>/<workflow id>/<run id>/<step>/<attempt>/} with
 * {@code manifest.json} and {@code cmd-000.stdout.log}, {@code cmd-000.stderr.log}, … Every path
 * element is sanitized (ids are untrusted), folders are 0700 and files 0600, written once (a second
 * bundle of the same attempt, after a worker died in it, gets {@code <attempt>.2}); logs are
 * redacted before they are hashed and written.
 */
final class Bundle {

    static final String MANIFEST = "manifest.json";

    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");
    private static final int MAX_ELEMENT = 80;
    private static final FileAttribute<Set<PosixFilePermission>> FOLDER =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path folder;

    private Bundle(Path folder) {
        this.folder = folder;
    }

    /** A new, empty bundle folder for this attempt. */
    static Bundle create(Path root, String workflowId, String runId, String stepId, int attempt) throws IOException {
        Path parent = root.resolve(safe(workflowId)).resolve(safe(runId)).resolve(safe(stepId));
        Files.createDirectories(parent, FOLDER);
        for (int n = 1; ; n++) {
            Path f = parent.resolve(attempt + (n == 1 ? "" : "." + n));
            try {
                Files.createDirectory(f, FOLDER);
                return new Bundle(f);
            } catch (FileAlreadyExistsException taken) {
                // an earlier run of this attempt: its bundle stays as it is
            }
        }
    }

    Path folder() {
        return folder;
    }

    /**
     * A path element from an untrusted id: letters, digits, '.', '_', '-' kept, anything else '_';
     * never '.', '..' or empty; an altered or long one gets a hash of the original, so two ids never share a folder.
     */
    static String safe(String id) {
        String s = id == null ? "" : id;
        String clean = UNSAFE.matcher(s).replaceAll("_");
        boolean altered = !clean.equals(s) || clean.isEmpty() || clean.equals(".") || clean.equals("..");
        if (!altered && clean.length() <= MAX_ELEMENT) {
            return clean;
        }
        String cut = clean.length() > MAX_ELEMENT ? clean.substring(0, MAX_ELEMENT) : clean;
        if (cut.isEmpty() || cut.chars().allMatch(c -> c == '.')) {
            cut = "_";
        }
        return cut + "-" + sha256(s.getBytes(StandardCharsets.UTF_8)).substring(0, 12);
    }

    /** How one log was written. */
    record Log(String file, long bytes, long written, boolean truncated, String sha256) {}

    /**
     * Writes one command's stream: the kept bytes, read as UTF-8 and redacted (a cut never leaves the
     * start of a secret behind), hashed and written 0600.
     */
    Log writeLog(int index, String stream, byte[] kept, long total, boolean truncated, Redactor redactor)
            throws IOException {
        String name = String.format("cmd-%03d.%s.log", index, stream);
        String text = new String(kept, StandardCharsets.UTF_8);
        String redacted = truncated ? redactor.shorten(text, text.length()) : redactor.apply(text);
        byte[] out = redacted.getBytes(StandardCharsets.UTF_8);
        write(folder.resolve(name), out);
        return new Log(name, total, out.length, truncated, sha256(out));
    }

    /** Writes the manifest (once). */
    void writeManifest(Manifest m) throws IOException {
        write(folder.resolve(MANIFEST), JSON.writeValueAsBytes(m));
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createFile(file, FILE);
        try (OutputStream o =
                Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            o.write(bytes);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What {@code manifest.json} says about an attempt.
     *
     * @param how exited (every command ran to its end), failed (one exited with a code not accepted),
     *            timeout, cancelled, refused (a gate), error (could not start)
     */
    record Manifest(
            int version,
            String workflowId,
            String runId,
            String workflowType,
            String stepId,
            int attempt,
            String host,
            String started,
            String ended,
            String how,
            String error,
            List<Command> commands) {}

    /**
     * One command of the attempt.
     *
     * @param argv     as run, redacted
     * @param env      the names of the variables it got (never their values)
     * @param exitCode its exit code (128 + n after signal n), or null when it did not run or was not waited for
     * @param signal   TERM or KILL when its group was ended, else null
     */
    record Command(
            int index,
            List<String> argv,
            String program,
            String cwd,
            List<String> env,
            String started,
            String ended,
            Integer exitCode,
            String signal,
            String how,
            Log stdout,
            Log stderr) {}
}

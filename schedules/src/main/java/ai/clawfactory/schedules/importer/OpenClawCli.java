package ai.clawfactory.schedules.importer;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The {@code openclaw} CLI ({@code $OPENCLAW_BIN}, else {@code openclaw} on PATH): it finds the
 * gateway and its token from its own configuration, so nothing secret passes through here. The
 * child gets only the environment it needs ({@link #passedToChild}), never this process's other
 * settings and secrets ({@code TEMPORAL_API_KEY}, {@code GATEWAY_TOKEN}, ...).
 */
final class OpenClawCli {

    /** Environment variable naming the CLI binary. */
    static final String BIN_ENV = "OPENCLAW_BIN";

    private static final long TIMEOUT_SECONDS = 90;

    /** What the CLI may need from this process's environment: where it runs, locale, CA files. */
    private static final Set<String> PASSED = Set.of(
            "PATH",
            "HOME",
            "USER",
            "LOGNAME",
            "TMPDIR",
            "LANG",
            "LANGUAGE",
            "TZ",
            "NODE_EXTRA_CA_CERTS",
            "SSL_CERT_FILE",
            "SSL_CERT_DIR");
    /** ... and whole families: its own settings ({@code OPENCLAW_STATE_DIR}, ...), locale, XDG folders. */
    private static final List<String> PASSED_PREFIXES = List.of("OPENCLAW_", "LC_", "XDG_");

    private final String bin;
    private final Map<String, String> environment;

    /**
     * @param bin         the CLI: a path, or a name looked up on the environment's PATH; null or blank for openclaw
     * @param environment this process's environment, of which the child gets only {@link #passedToChild} names
     */
    OpenClawCli(String bin, Map<String, String> environment) {
        this.bin = bin == null || bin.isBlank() ? "openclaw" : bin;
        this.environment = Map.copyOf(environment);
    }

    /** True for an environment variable the openclaw child gets. */
    static boolean passedToChild(String name) {
        return PASSED.contains(name) || PASSED_PREFIXES.stream().anyMatch(name::startsWith);
    }

    String describe() {
        return bin.equals("openclaw") ? "openclaw" : bin;
    }

    /** {@code openclaw cron list --all --json}: the JSON it prints. */
    String listJobs() {
        Result r = run(List.of("cron", "list", "--all", "--json"));
        if (r.exitCode != 0) {
            throw new JobSource.SourceException("`" + describe() + " cron list --all --json` failed (exit " + r.exitCode
                    + "): " + lastLine(r.err.isBlank() ? r.out : r.err)
                    + " (is the gateway running? with it down, use --state-dir)");
        }
        return r.out;
    }

    /** {@code openclaw cron disable -- ID} (the id can never be read as an option); returns null when done, else why not. */
    String disable(String jobId) {
        try {
            Result r = run(List.of("cron", "disable", "--", jobId));
            return r.exitCode == 0 ? null : "exit " + r.exitCode + ": " + lastLine(r.err.isBlank() ? r.out : r.err);
        } catch (JobSource.SourceException e) {
            return e.getMessage();
        }
    }

    private record Result(int exitCode, String out, String err) {}

    private Result run(List<String> args) {
        String exe = resolve();
        List<String> cmd = new ArrayList<>();
        cmd.add(exe);
        cmd.addAll(args);
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("openclaw-out", ".txt");
            err = Files.createTempFile("openclaw-err", ".txt");
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().clear();
            environment.forEach((k, v) -> {
                if (passedToChild(k)) {
                    pb.environment().put(k, v);
                }
            });
            Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new JobSource.SourceException("`" + describe() + " " + String.join(" ", args)
                        + "` did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Result(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new JobSource.SourceException("Cannot run " + describe() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobSource.SourceException("Interrupted while running " + describe());
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** The executable: a path as given, or the first match on PATH; a missing CLI is one clear line. */
    private String resolve() {
        if (bin.contains("/")) {
            if (!Files.isExecutable(Path.of(bin))) {
                throw new JobSource.SourceException(BIN_ENV + "=" + bin + " is not an executable file");
            }
            return bin;
        }
        String path = environment.get("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, bin);
                if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                    return candidate.toString();
                }
            }
        }
        throw new JobSource.SourceException("The openclaw CLI is not on PATH: install it, set " + BIN_ENV
                + " to its path, or read the jobs with --jobs-file FILE or --state-dir DIR");
    }

    private static String lastLine(String s) {
        String t = s.strip();
        int nl = t.lastIndexOf('\n');
        String line = nl < 0 ? t : t.substring(nl + 1);
        return line.length() > 300 ? line.substring(0, 297) + "..." : line;
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }
}

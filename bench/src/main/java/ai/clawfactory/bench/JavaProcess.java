package ai.clawfactory.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One JVM the harness launched: its pid, resident memory and log; stopped with SIGTERM. */
final class JavaProcess implements AutoCloseable {

    private static final Pattern VM_RSS = Pattern.compile("^VmRSS:\\s+(\\d+) kB", Pattern.MULTILINE);

    private final Process process;
    private final Path log;
    final long startedNanos;

    private JavaProcess(Process process, Path log, long startedNanos) {
        this.process = process;
        this.log = log;
        this.startedNanos = startedNanos;
    }

    /** {@code java <jvmFlags> <args>} with {@code env} added to this JVM's environment, output to {@code log}. */
    static JavaProcess start(List<String> jvmFlags, List<String> args, Map<String, String> env, Path log) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags);
        cmd.addAll(args);
        return exec(cmd, env, log);
    }

    /** {@code cmd} (a launcher that execs the JVM, so its pid is the JVM's). */
    static JavaProcess exec(List<String> cmd, Map<String, String> env, Path log) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        try {
            long t0 = System.nanoTime();
            Process p = pb.start();
            p.getOutputStream().close();
            return new JavaProcess(p, log, t0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Milliseconds since launch. */
    long elapsedMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** Resident set size in MiB, from {@code /proc/<pid>/status}. */
    double rssMiB() {
        try {
            Matcher m = VM_RSS.matcher(Files.readString(Path.of("/proc", String.valueOf(pid()), "status")));
            if (!m.find()) {
                throw new IllegalStateException("no VmRSS for pid " + pid());
            }
            return Long.parseLong(m.group(1)) / 1024.0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the memory of pid " + pid() + " (is this Linux?)", e);
        }
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Fails with the log's tail when the process has died. */
    void requireAlive(String what) {
        if (!process.isAlive()) {
            String out = log();
            throw new IllegalStateException(what + " exited with " + process.exitValue() + "; its log (" + log + ") ends:\n"
                    + out.substring(Math.max(0, out.length() - 3000)));
        }
    }

    /** Waits for the process to exit by itself; returns its exit code. */
    int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("process did not exit within " + seconds + " s; see " + log);
        }
        return process.exitValue();
    }

    /** SIGTERM, then SIGKILL after 30 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

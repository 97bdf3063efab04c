package ai.clawfactory.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** One process the harness launched (a JVM or the Python worker): its pid, resident memory and log; stopped with SIGTERM. */
final class BenchProcess implements AutoCloseable {

    private static final Pattern VM_RSS = Pattern.compile("^VmRSS:\\s+(\\d+) kB", Pattern.MULTILINE);

    private final Process process;
    private final Path log;
    final long startedNanos;

    private BenchProcess(Process process, Path log, long startedNanos) {
        this.process = process;
        this.log = log;
        this.startedNanos = startedNanos;
    }

    /** {@code <java> <jvmFlags> <args>} with {@code env} added to this JVM's environment, output to {@code log}. */
    static BenchProcess start(Path java, List<String> jvmFlags, List<String> args, Map<String, String> env, Path log) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(jvmFlags);
        cmd.addAll(args);
        return exec(cmd, env, log);
    }

    /** {@code cmd}: a launcher that execs the JVM (so its pid is the JVM's), or the Python worker. */
    static BenchProcess exec(List<String> cmd, Map<String, String> env, Path log) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        try {
            long t0 = System.nanoTime();
            Process p = pb.start();
            p.getOutputStream().close();
            return new BenchProcess(p, log, t0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
    }

    long pid() {
        return process.pid();
    }

    /** CPU time (user and system) this process and its descendants have used so far. */
    Duration cpuTime() {
        return cpuTime(process.toHandle());
    }

    /** CPU time (user and system, from {@code /proc/<pid>/stat}) of {@code root} and of its descendants. */
    static Duration cpuTime(ProcessHandle root) {
        return Stream.concat(Stream.of(root), root.descendants())
                .map(h -> h.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Milliseconds since launch. */
    long elapsedMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /**
     * Resident set size in MiB: {@code VmRSS} from {@code /proc/<pid>/status} of the process and of
     * every descendant, so that a worker whose parts ran as child processes would be counted whole
     * (the JVMs and the Python worker, whose SDK core is a library in the same process, have none).
     */
    double rssMiB() {
        return rssMiB(process.toHandle());
    }

    /** The same for any process (e.g. the Temporal dev server): it and its descendants, in MiB. */
    static double rssMiB(ProcessHandle root) {
        long kiB = rssKiB(root.pid(), true);
        for (ProcessHandle child : root.descendants().toList()) {
            kiB += rssKiB(child.pid(), false);
        }
        return kiB / 1024.0;
    }

    private static long rssKiB(long pid, boolean required) {
        try {
            return parseVmRssKiB(Files.readString(Path.of("/proc", String.valueOf(pid), "status")), pid);
        } catch (IOException | IllegalStateException e) {
            if (!required) {
                return 0; // a child that has just exited
            }
            throw e instanceof IOException io
                    ? new UncheckedIOException("cannot read the memory of pid " + pid + " (is this Linux?)", io)
                    : (IllegalStateException) e;
        }
    }

    /** The {@code VmRSS} line of a {@code /proc/<pid>/status} text, in KiB. */
    static long parseVmRssKiB(String status, long pid) {
        Matcher m = VM_RSS.matcher(status);
        if (!m.find()) {
            throw new IllegalStateException("no VmRSS for pid " + pid + " (a zombie has none)");
        }
        return Long.parseLong(m.group(1));
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
            throw new IllegalStateException(what + " exited with " + process.exitValue() + "; its log (" + log
                    + ") ends:\n" + out.substring(Math.max(0, out.length() - 3000)));
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

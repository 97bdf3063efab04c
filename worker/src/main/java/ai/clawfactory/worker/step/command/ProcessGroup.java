package ai.clawfactory.worker.step.command;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One command running as the leader of its own session and process group: started through
 * util-linux's {@code setsid}, so its process id is its group's id and everything it forks stays in
 * that group (unless it makes a session of its own). Its environment is exactly what it is given
 * (the worker's is cleared), stdin is {@code /dev/null}, stdout and stderr are drained by threads
 * into buffers capped at {@link #LOG_CAP} bytes (what is beyond is counted, not kept). Ending it ends
 * the whole group: SIGTERM, then SIGKILL after a grace period, through {@code kill -- -PGID}.
 */
final class ProcessGroup {

    /** The most a log keeps of one stream: 4 MiB. */
    static final int LOG_CAP = 4 * 1024 * 1024;

    static final String SETSID = "/usr/bin/setsid";
    static final String KILL = "/usr/bin/kill";
    private static final Path PROC = Path.of("/proc");

    private static final Logger LOG = LoggerFactory.getLogger(ProcessGroup.class);

    private final Process process;
    private final Drain stdout;
    private final Drain stderr;
    private volatile String signal;

    private ProcessGroup(Process process) {
        this.process = process;
        this.stdout = new Drain(process.getInputStream(), "stdout of " + process.pid());
        this.stderr = new Drain(process.getErrorStream(), "stderr of " + process.pid());
    }

    /** Starts {@code program} with {@code args} in {@code cwd} with exactly {@code env}. */
    static ProcessGroup start(String program, List<String> args, Path cwd, Map<String, String> env) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(SETSID);
        cmd.add("--wait");
        cmd.add(program);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(cwd.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(env);
        return new ProcessGroup(pb.start());
    }

    long pid() {
        return process.pid();
    }

    /** Waits up to {@code timeout} (null: without limit) for the command to exit; true when it did. */
    boolean await(Duration timeout) throws InterruptedException {
        if (timeout == null) {
            process.waitFor();
            return true;
        }
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The exit code (128 + n when a signal n ended it); only after it exited. */
    int exitCode() {
        return process.exitValue();
    }

    /** The signal this class sent last (TERM or KILL), or null. */
    String signal() {
        return signal;
    }

    /**
     * Ends what is left of the group, the leader and anything it forked: SIGTERM, then SIGKILL after
     * {@code grace} while any member remains. Safe to call after the leader exited (its children may
     * not have); waits for the drains. Interrupts are kept for the caller.
     */
    void end(Duration grace) {
        boolean interrupted = Thread.interrupted();
        try {
            if (groupAlive()) {
                signal("TERM");
                long until = System.nanoTime() + grace.toNanos();
                while (groupAlive() && System.nanoTime() < until) {
                    pause(50);
                }
                if (groupAlive()) {
                    signal("KILL");
                    long hard = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                    while (groupAlive() && System.nanoTime() < hard) {
                        pause(20);
                    }
                }
            }
            // The leader itself, should it not have made its group yet (killed before setsid ran).
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            stdout.join();
            stderr.join();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Whether any live process of the group (id = the leader's pid) is left: one in {@code /proc}
     * with that group that is not a zombie (an ended child its new parent has not reaped yet would
     * answer {@code kill -0} for a while, and end nothing).
     */
    boolean groupAlive() {
        String group = Long.toString(process.pid());
        try (Stream<Path> all = Files.list(PROC)) {
            return all.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .anyMatch(p -> liveMember(p.resolve("stat"), group));
        } catch (IOException | UncheckedIOException e) {
            return kill("0") == 0;
        }
    }

    /** {@code /proc/PID/stat}: "pid (comm) state ppid pgrp ...", comm may hold anything but ends at the last ')'. */
    private static boolean liveMember(Path stat, String group) {
        String[] f = stat(stat);
        return f != null && f[2].equals(group) && !f[0].equals("Z") && !f[0].equals("X");
    }

    /** Whether process {@code pid} exists and is not a zombie (ended, not yet reaped by its parent). */
    static boolean running(long pid) {
        String[] f = stat(PROC.resolve(Long.toString(pid)).resolve("stat"));
        return f != null && !f[0].equals("Z") && !f[0].equals("X");
    }

    /** The fields of a {@code /proc/PID/stat} after the command name (state first), or null when it is gone. */
    private static String[] stat(Path stat) {
        try {
            String s = Files.readString(stat);
            return s.substring(s.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }

    private void signal(String name) {
        signal = name;
        kill(name);
    }

    /** {@code kill -s SIG -- -PGID}; its exit status (0: some member got it). */
    private int kill(String sig) {
        try {
            Process k = new ProcessBuilder(KILL, "-s", sig, "--", "-" + process.pid())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!k.waitFor(10, TimeUnit.SECONDS)) {
                k.destroyForcibly();
                return 1;
            }
            return k.exitValue();
        } catch (IOException e) {
            LOG.warn("Could not run {} for process group {}: {}", KILL, process.pid(), e.toString());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Drain stdout() {
        return stdout;
    }

    Drain stderr() {
        return stderr;
    }

    /** A thread reading one stream to its end: the first {@link #LOG_CAP} bytes kept, all counted. */
    static final class Drain {
        private static final Duration JOIN = Duration.ofSeconds(5);
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final Thread thread;
        private long total;

        Drain(InputStream in, String name) {
            thread = new Thread(() -> read(in), "command-" + name);
            thread.setDaemon(true);
            thread.start();
        }

        private void read(InputStream in) {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (this) {
                        int room = (int) Math.max(0, Math.min(n, LOG_CAP - kept.size()));
                        kept.write(buf, 0, room);
                        total += n;
                    }
                }
            } catch (IOException e) {
                // The stream closed under us (the process ended): what was read is kept.
            }
        }

        /**
         * Waits for the stream's end (every writer of the pipe gone), at most a few seconds: a
         * process that left the group (a session of its own) may hold the pipe open for ever.
         */
        void join() {
            boolean interrupted = false;
            long until = System.nanoTime() + JOIN.toNanos();
            while (thread.isAlive() && System.nanoTime() < until) {
                try {
                    thread.join(Math.max(1, (until - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        synchronized byte[] bytes() {
            return kept.toByteArray();
        }

        /** Every byte the stream carried, kept or not. */
        synchronized long total() {
            return total;
        }

        synchronized boolean truncated() {
            return total > kept.size();
        }
    }
}

package ai.clawfactory.testing;

import ai.clawfactory.core.Names;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The packaged worker jar (or any command of it, such as {@code turns}) as a separate JVM, the
 * way an operator runs it: environment and arguments from a {@link Builder}, stdout and stderr in
 * one log file, a bounded wait for its readiness line ({@code Worker polling task queue '<queue>'}
 * by default) or for its exit, and a bounded stop (SIGTERM, then SIGKILL).
 *
 * <p>The process starts from this JVM's environment without any {@code TEMPORAL_*} variable (a
 * developer's {@code TEMPORAL_ADDRESS}, key or profile must not leak in); the test sets what it means.
 * {@link WorkerProcesses} owns the processes of one test: it stops them and prints their logs when the test fails.
 */
public final class WorkerProcess implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(50);

    private final String name;
    private final Process process;
    private final Path log;
    private final String readyLine;
    private final Duration readyTimeout;
    private final Duration stopTimeout;

    private WorkerProcess(
            String name, Process process, Path log, String readyLine, Duration readyTimeout, Duration stopTimeout) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.readyLine = readyLine;
        this.readyTimeout = readyTimeout;
        this.stopTimeout = stopTimeout;
    }

    /** A builder for {@code java -jar <jar>} with a log file at {@code log}. */
    public static Builder builder(Path jar, Path log) {
        return new Builder(jar, log);
    }

    public String name() {
        return name;
    }

    public Path logFile() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the process printed so far (stdout and stderr), or "" before it printed anything. */
    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** Waits, at most the builder's ready timeout, for the readiness line; fails with the log if the process dies first. */
    public WorkerProcess awaitReady() {
        return awaitOutput(readyLine, readyTimeout);
    }

    /** Waits, at most {@code timeout}, until the output contains {@code text} while the process lives. */
    public WorkerProcess awaitOutput(String text, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            if (output().contains(text)) {
                return this;
            }
            if (!process.isAlive()) {
                throw new AssertionError(
                        name + " exited with " + process.exitValue() + " before printing '" + text + "':\n" + output());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(
                        name + " did not print '" + text + "' within " + timeout.toSeconds() + " s:\n" + output());
            }
            waitQuietly(POLL); // returns at once when the process exits
        }
    }

    /** Waits, at most {@code timeout}, for the process to exit by itself; returns its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(
                        name + " did not exit by itself within " + timeout.toSeconds() + " s:\n" + output());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    /** Asks the process to stop (SIGTERM, so it drains) without waiting; see {@link #awaitExit}. */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL (no drain) and a bounded wait for the process to be gone. */
    public void kill() {
        process.destroyForcibly();
        waitQuietly(Duration.ofSeconds(30));
    }

    /** SIGTERM, a wait of at most the builder's stop timeout for the drain, then SIGKILL. Does nothing when it has exited. */
    public void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!waitQuietly(stopTimeout)) {
            kill();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private boolean waitQuietly(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** What to run. Every setter returns the builder; {@link #start()} launches. */
    public static final class Builder {

        private final Path jar;
        private final Path log;
        private final List<String> jvmArgs = new ArrayList<>(List.of("-Xmx256m", "-XX:+UseSerialGC"));
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private final Set<String> removed = new LinkedHashSet<>();
        private String name;
        private String readyLine;
        private Duration readyTimeout = Duration.ofSeconds(90);
        private Duration stopTimeout = Duration.ofSeconds(60);
        private Consumer<WorkerProcess> onStart = p -> {};

        private Builder(Path jar, Path log) {
            this.jar = jar.toAbsolutePath();
            this.log = log;
            this.name = log.getFileName().toString().replaceFirst("\\.log$", "");
        }

        /** The name in failure messages and log dumps (default: the log file's name). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder env(String key, String value) {
            env.put(key, value);
            removed.remove(key);
            return this;
        }

        public Builder env(Map<String, String> values) {
            values.forEach(this::env);
            return this;
        }

        /** Leaves {@code key} out of the process's environment, even when this JVM has it. */
        public Builder withoutEnv(String key) {
            env.remove(key);
            removed.add(key);
            return this;
        }

        /** JVM arguments after the defaults ({@code -Xmx256m -XX:+UseSerialGC}), e.g. {@code -Xlog:gc}. */
        public Builder jvmArgs(String... values) {
            jvmArgs.addAll(List.of(values));
            return this;
        }

        /** Arguments after {@code -jar <jar>}, e.g. {@code turns prune}. */
        public Builder args(String... values) {
            args.addAll(List.of(values));
            return this;
        }

        /** TEMPORAL_ADDRESS: the gRPC target. */
        public Builder temporal(String target) {
            return env("TEMPORAL_ADDRESS", target);
        }

        /** TEMPORAL_TASK_QUEUE, and the default readiness line names it. */
        public Builder taskQueue(String queue) {
            return env("TEMPORAL_TASK_QUEUE", queue);
        }

        /** DEFINITIONS_DIR. */
        public Builder definitions(Path dir) {
            return env("DEFINITIONS_DIR", dir.toString());
        }

        /** LEDGER_DB: a SQLite ledger file. */
        public Builder sqliteLedger(Path file) {
            return env("LEDGER_DB", file.toString());
        }

        /** GATEWAY_URL and GATEWAY_TOKEN_FILE. */
        public Builder gateway(String baseUrl, Path tokenFile) {
            return env("GATEWAY_URL", baseUrl).env("GATEWAY_TOKEN_FILE", tokenFile.toString());
        }

        /** The line whose appearance in the output means ready (default: the worker's polling line for its task queue). */
        public Builder readyWhenOutputContains(String line) {
            this.readyLine = line;
            return this;
        }

        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = timeout;
            return this;
        }

        /** How long {@link WorkerProcess#stop()} waits for the drain after SIGTERM before SIGKILL (default 60 s). */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = timeout;
            return this;
        }

        /** Called with every process this builder starts (how {@link WorkerProcesses} keeps track of them). */
        Builder onStart(Consumer<WorkerProcess> hook) {
            this.onStart = hook;
            return this;
        }

        /** Launches the process without waiting for anything. */
        public WorkerProcess start() {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("The worker jar " + jar + " is missing: run ./clawfactory build "
                        + "(or mvn -pl worker -am package) first");
            }
            List<String> cmd = JavaCommand.java();
            cmd.addAll(jvmArgs);
            cmd.add("-jar");
            cmd.add(jar.toString());
            cmd.addAll(args);
            ProcessBuilder pb =
                    new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> environment = pb.environment();
            environment.keySet().removeIf(k -> k.startsWith("TEMPORAL_"));
            environment.keySet().removeAll(removed);
            environment.putAll(env);
            String ready = readyLine != null
                    ? readyLine
                    : "Worker polling task queue '" + env.getOrDefault("TEMPORAL_TASK_QUEUE", Names.TASK_QUEUE) + "'";
            try {
                Process p = pb.start();
                p.getOutputStream().close();
                WorkerProcess w = new WorkerProcess(name, p, log, ready, readyTimeout, stopTimeout);
                onStart.accept(w);
                return w;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + String.join(" ", cmd), e);
            }
        }

        /** {@link #start()}, then {@link WorkerProcess#awaitReady()}. */
        public WorkerProcess startReady() {
            return start().awaitReady();
        }
    }
}

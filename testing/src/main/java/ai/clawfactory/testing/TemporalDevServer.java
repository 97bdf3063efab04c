package ai.clawfactory.testing;

import ai.clawfactory.core.Names;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real {@code temporal server start-dev} (the pinned CLI) with the unit's arguments
 * ({@link DevServerArgs}), its ports moved to a free loopback port (the HTTP API and the UI beside
 * it, as in the unit) and a SQLite file in a temporary folder. A watchdog shell stops the server
 * when this JVM disappears, even by SIGKILL, so no server outlives its test run.
 */
public final class TemporalDevServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TemporalDevServer.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final DevServerArgs ARGS = DevServerArgs.ofUnit();

    private final Path cli;
    private final Path dir;
    private final Path dbFile;
    private final Path logFile;
    private final int grpcPort;
    private final int httpPort;
    private final int uiPort;
    private Process process;

    private TemporalDevServer(Path cli, Path dir) {
        this.cli = cli;
        this.dir = dir;
        this.dbFile = dir.resolve("temporal.db");
        this.logFile = dir.resolve("temporal.log");
        this.grpcPort = freeGrpcPort(ARGS.offset("--http-port"), ARGS.offset("--ui-port"));
        this.httpPort = grpcPort + ARGS.offset("--http-port");
        this.uiPort = grpcPort + ARGS.offset("--ui-port");
    }

    /** Starts a server and waits until its frontend answers. */
    public static TemporalDevServer start() {
        Path cli = locateCli();
        try {
            TemporalDevServer server = new TemporalDevServer(cli, Files.createTempDirectory("clawfactory-temporal-"));
            server.launch();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** gRPC target for clients and workers, e.g. {@code 127.0.0.1:41234}. */
    public String target() {
        return ARGS.value("--ip") + ":" + grpcPort;
    }

    public int grpcPort() {
        return grpcPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public int uiPort() {
        return uiPort;
    }

    public Path cli() {
        return cli;
    }

    public Path dbFile() {
        return dbFile;
    }

    public Path logFile() {
        return logFile;
    }

    /** Runs the pinned {@code temporal} CLI against this server; returns exit code and output. */
    public CliResult temporal(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(cli.toString());
        cmd.addAll(List.of(args));
        cmd.add("--address");
        cmd.add(target());
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("temporal " + String.join(" ", args) + " did not finish in 60 s");
            }
            return new CliResult(p.exitValue(), new String(out, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the server (SIGTERM) and starts it again on the same ports and SQLite file. */
    public void restart() {
        stop();
        launch();
    }

    /**
     * The server's process (the CLI that runs it; its descendants, if any, through
     * {@link ProcessHandle#descendants()}): for what it costs the machine, such as its CPU time.
     */
    public ProcessHandle handle() {
        Process p = process;
        if (p == null) {
            throw new IllegalStateException("the Temporal dev server is not running");
        }
        return p.toHandle();
    }

    /** Stops the server; the folder and its SQLite file stay until {@link #close()}. */
    public void stop() {
        if (process == null) {
            return;
        }
        Process p = process;
        process = null;
        List<ProcessHandle> children = p.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            for (ProcessHandle child : children) {
                child.onExit().get(20, TimeUnit.SECONDS);
            }
            p.waitFor(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Temporal dev server did not stop in time; killing it");
        } finally {
            children.forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> s = Files.walk(dir)) {
            if (!Boolean.getBoolean("temporal.keepData")) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", dir, e.getMessage());
        }
    }

    private void launch() {
        List<String> cmd = new ArrayList<>(List.of(
                "/bin/sh",
                "-c",
                // Watchdog: run the server, stop it when the JVM (WATCH_PID) is gone or we are told to stop.
                "\"$@\" & child=$!; "
                        + "trap 'kill $child 2>/dev/null; wait $child; exit 0' TERM INT; "
                        + "while kill -0 \"$WATCH_PID\" 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done; "
                        + "kill $child 2>/dev/null; wait $child",
                "temporal-watchdog",
                cli.toString(),
                "server",
                "start-dev"));
        cmd.addAll(ARGS.forGrpcPort(grpcPort));
        cmd.addAll(List.of("--db-filename", dbFile.toString(), "--log-level", "warn"));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        pb.environment().put("WATCH_PID", String.valueOf(ProcessHandle.current().pid()));
        try {
            process = pb.start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cli, e);
        }
        awaitReady();
        LOG.info(
                "Temporal dev server ready at {} (UI http://{}:{}, data {})",
                target(),
                ARGS.value("--ip"),
                uiPort,
                dbFile);
    }

    private void awaitReady() {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI probe =
                URI.create("http://" + ARGS.value("--ip") + ":" + httpPort + "/api/v1/namespaces/" + Names.NAMESPACE);
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("temporal server start-dev exited with " + process.exitValue()
                        + "; see " + logFile + ":\n" + tail());
            }
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(probe)
                                .timeout(Duration.ofSeconds(2))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        stop();
        throw new IllegalStateException("temporal server start-dev did not answer within " + READY_TIMEOUT.toSeconds()
                + " s; see " + logFile + ":\n" + tail());
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** The pinned CLI: system property {@code temporal.cli}, env {@code TEMPORAL_CLI}, or {@code .tools/bin/temporal} above the working folder. */
    public static Path locateCli() {
        String configured = System.getProperty("temporal.cli", System.getenv("TEMPORAL_CLI"));
        if (configured != null && !configured.isBlank() && Files.isExecutable(Path.of(configured))) {
            return Path.of(configured);
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve(".tools/bin/temporal");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("The pinned Temporal CLI is not installed (looked at " + configured
                + " and .tools/bin/temporal). Run ./clawfactory test, which installs it, or set TEMPORAL_CLI.");
    }

    /**
     * A free loopback port whose neighbours at {@code offsets} are free too (each bound and closed
     * right away; the server binds them next).
     */
    static int freeGrpcPort(int... offsets) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = freePorts(1)[0];
            boolean free = true;
            for (int offset : offsets) {
                free &= port + offset <= 65535 && isFree(port + offset);
            }
            if (free) {
                return port;
            }
        }
        throw new IllegalStateException(
                "no free loopback port with free ports at +" + java.util.Arrays.toString(offsets));
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A free loopback port each (closed right away; the server binds them next). */
    static int[] freePorts(int n) {
        int[] ports = new int[n];
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                sockets.add(s);
                ports[i] = s.getLocalPort();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
        return ports;
    }

    /** What a CLI call printed. */
    public record CliResult(int exitCode, String output) {}
}

package ai.clawfactory.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
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
 * A real PostgreSQL (Debian's package) for tests: {@code initdb} into a temporary folder, the
 * server on a free port on 127.0.0.1 only (no Unix socket outside that folder), one database
 * {@code ledger} owned by user {@code clawfactory} with trust authentication on loopback (no
 * password to leak). Run as the {@code postgres} OS user when we are root (PostgreSQL refuses
 * root). A watchdog shell stops it when this JVM disappears, even by SIGKILL.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    public static final String DATABASE = "ledger";
    public static final String USER = "clawfactory";

    private final Path bin;
    private final Path dir;
    private final int port;
    private Process process;

    private PostgresServer(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    /** The server binaries: $PG_BIN, else the newest /usr/lib/postgresql/N/bin (./clawfactory test installs it). */
    public static Path binaries() {
        String env = System.getenv("PG_BIN");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        try (Stream<Path> s = Files.list(Path.of("/usr/lib/postgresql"))) {
            return s.map(p -> p.resolve("bin"))
                    .filter(p -> Files.isExecutable(p.resolve("initdb")))
                    .max(Comparator.comparingInt(p -> Integer.parseInt(
                            p.getParent().getFileName().toString().replaceAll("\\D", "0"))))
                    .orElseThrow();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): "
                    + "apt-get install postgresql (./clawfactory test does), or set PG_BIN");
        }
    }

    public static PostgresServer start() {
        Path bin = binaries();
        try {
            Path dir = Files.createTempDirectory("clawfactory-pg-");
            PostgresServer pg = new PostgresServer(bin, dir, TemporalDevServer.freePorts(1)[0]);
            if (isRoot()) {
                run(List.of("chown", "postgres:postgres", dir.toString()), dir);
            }
            pg.runAsOwner(List.of(
                    bin.resolve("initdb").toString(),
                    "-D",
                    dir.resolve("data").toString(),
                    "-U",
                    USER,
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--no-sync",
                    "--no-instructions"));
            pg.launch();
            pg.runAsOwner(List.of(
                    bin.resolve("createdb").toString(),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    String.valueOf(pg.port),
                    "-U",
                    USER,
                    DATABASE));
            LOG.info("PostgreSQL ready at {} (data {})", pg.jdbcUrl(), dir);
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** For DATASOURCES_DEFAULT_URL (user in the URL; no password: trust on loopback). */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE + "?user=" + USER;
    }

    public int port() {
        return port;
    }

    /**
     * From now on {@code user} must log in with a password over TCP (scram-sha-256), everyone else
     * still by trust: for tests of how a password reaches the driver. Reloads the server.
     */
    public void requirePasswordFor(String user) {
        try {
            Path hba = dir.resolve("data/pg_hba.conf");
            Files.writeString(hba, "host all " + user + " 127.0.0.1/32 scram-sha-256\n" + Files.readString(hba));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        runAsOwner(List.of(
                bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "reload", "-s"));
    }

    private void launch() throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                "/bin/sh",
                "-c",
                "\"$@\" & child=$!; "
                        // SIGINT: PostgreSQL's fast shutdown (SIGTERM would wait for every client to leave).
                        + "trap 'kill -INT $child 2>/dev/null; wait $child; exit 0' TERM INT; "
                        + "while kill -0 \"$WATCH_PID\" 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done; "
                        + "kill -INT $child 2>/dev/null; wait $child",
                "postgres-watchdog"));
        cmd.addAll(asOwner(List.of(
                bin.resolve("postgres").toString(),
                "-D",
                dir.resolve("data").toString(),
                "-p",
                String.valueOf(port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "unix_socket_directories=" + dir,
                "-c",
                "fsync=off",
                "-c",
                "max_connections=50")));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("postgres.log").toFile()));
        pb.environment().put("WATCH_PID", String.valueOf(ProcessHandle.current().pid()));
        process = pb.start();
        process.getOutputStream().close();
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("postgres exited with " + process.exitValue() + ":\n" + log());
            }
            if (Files.exists(dir.resolve("data/postmaster.pid")) && listening()) {
                try {
                    // Accepting TCP is not accepting sessions yet: pg_isready says.
                    if (runAsOwner(
                                    List.of(
                                            bin.resolve("pg_isready").toString(),
                                            "-q",
                                            "-h",
                                            "127.0.0.1",
                                            "-p",
                                            String.valueOf(port)),
                                    false)
                            == 0) {
                        return;
                    }
                } catch (IllegalStateException notYet) {
                    // retry
                }
            }
            sleep(100);
        }
        close();
        throw new IllegalStateException(
                "PostgreSQL did not start within " + READY_TIMEOUT.toSeconds() + " s:\n" + log());
    }

    private boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private List<String> asOwner(List<String> cmd) {
        if (!isRoot()) {
            return cmd;
        }
        List<String> all =
                new ArrayList<>(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"));
        all.addAll(cmd);
        return all;
    }

    private void runAsOwner(List<String> cmd) {
        runAsOwner(cmd, true);
    }

    private int runAsOwner(List<String> cmd, boolean check) {
        try {
            return check ? run(asOwner(cmd), dir) : runQuiet(asOwner(cmd), dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int run(List<String> cmd, Path dir) throws IOException {
        int code = runQuiet(cmd, dir);
        if (code != 0) {
            throw new IllegalStateException(
                    String.join(" ", cmd) + " failed (" + code + "):\n" + Files.readString(dir.resolve("setup.log")));
        }
        return code;
    }

    private static int runQuiet(List<String> cmd, Path dir) throws IOException {
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("setup.log").toFile()))
                .start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish in 120 s");
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("postgres.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the server (fast shutdown, then SIGKILL after 20 s) and deletes its folder. */
    @Override
    public void close() {
        if (process != null) {
            Process p = process;
            process = null;
            List<ProcessHandle> children = p.descendants().toList();
            p.destroy(); // the watchdog asks the server for a fast shutdown
            try {
                p.waitFor(20, TimeUnit.SECONDS);
                for (ProcessHandle child : children) {
                    child.onExit().get(5, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                LOG.warn("PostgreSQL did not stop in time; killing it");
            } finally {
                children.forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", dir, e.getMessage());
        }
    }
}

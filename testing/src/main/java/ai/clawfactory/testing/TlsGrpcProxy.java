package ai.clawfactory.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for Temporal Cloud or a TLS-terminating ingress in front of a cluster: Debian's nginx
 * as a child process (its own prefix and config in a temporary folder, bound to 127.0.0.1 on a
 * free port) that terminates TLS with a throwaway CA's certificate, refuses any request whose
 * {@code Authorization} is not {@code Bearer <key>} with HTTP 401 (gRPC: UNAUTHENTICATED), and
 * passes the rest to a plain-text gRPC backend (the dev server).
 */
public final class TlsGrpcProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TlsGrpcProxy.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

    private final Path dir;
    private final int port;
    private final Process process;

    private TlsGrpcProxy(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** The nginx binary: $NGINX, else /usr/sbin/nginx (./clawfactory test installs it). */
    public static Path nginx() {
        String env = System.getenv("NGINX");
        Path p = Path.of(env == null || env.isBlank() ? "/usr/sbin/nginx" : env);
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException(
                    "nginx not found at " + p + ": apt-get install nginx-light (./clawfactory test does)");
        }
        return p;
    }

    /**
     * Starts the proxy in front of {@code backend} (host:port). {@code certs} holds ca.pem,
     * server.pem and server.key from {@link #makeCertificates(Path, String)}.
     */
    public static TlsGrpcProxy start(String backend, String apiKey, Path certs) {
        return start(backend, apiKey, certs, false);
    }

    /** As {@link #start(String, String, Path)}; with {@code clientCerts}, also mutual TLS: a client certificate signed by the same CA. */
    public static TlsGrpcProxy start(String backend, String apiKey, Path certs, boolean clientCerts) {
        try {
            Path dir = Files.createTempDirectory("clawfactory-nginx-");
            Files.createDirectories(dir.resolve("logs"));
            Files.createDirectories(dir.resolve("tmp"));
            int port = TemporalDevServer.freePorts(1)[0];
            String tmp = dir.resolve("tmp").toString();
            Files.writeString(dir.resolve("nginx.conf"), """
                    worker_processes 1;
                    pid %1$s/nginx.pid;
                    error_log %1$s/logs/error.log warn;
                    events { worker_connections 256; }
                    http {
                      access_log off;
                      client_body_temp_path %2$s/body;
                      proxy_temp_path %2$s/proxy;
                      fastcgi_temp_path %2$s/fastcgi;
                      uwsgi_temp_path %2$s/uwsgi;
                      scgi_temp_path %2$s/scgi;
                      server {
                        listen 127.0.0.1:%3$d ssl http2;
                        ssl_certificate %4$s/server.pem;
                        ssl_certificate_key %4$s/server.key;
                        %7$s
                        # Workers long-poll for about a minute: keep those streams open.
                        grpc_read_timeout 300s;
                        grpc_send_timeout 300s;
                        client_body_timeout 300s;
                        location / {
                          if ($http_authorization != "Bearer %5$s") { return 401; }
                          grpc_pass grpc://%6$s;
                        }
                      }
                    }
                    """.formatted(
                            dir,
                            tmp,
                            port,
                            certs,
                            apiKey,
                            backend,
                            clientCerts
                                    ? "ssl_client_certificate " + certs.resolve("ca.pem") + "; ssl_verify_client on;"
                                    : ""));
            Process p = new ProcessBuilder(
                            nginx().toString(),
                            "-p",
                            dir.toString(),
                            "-c",
                            dir.resolve("nginx.conf").toString(),
                            "-g",
                            "daemon off;")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("logs/stdout.log").toFile())
                    .start();
            TlsGrpcProxy proxy = new TlsGrpcProxy(dir, port, p);
            proxy.awaitListening();
            LOG.info("TLS gRPC proxy on 127.0.0.1:{} -> {}", port, backend);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A throwaway CA, a server certificate it signed for 127.0.0.1 and {@code serverName} and a
     * client certificate, written as ca.pem, server.pem, server.key, client.pem and client.key
     * into {@code dir} (by openssl).
     */
    public static Path makeCertificates(Path dir, String serverName) {
        try {
            Files.createDirectories(dir);
            Files.writeString(
                    dir.resolve("san.ext"),
                    "subjectAltName=IP:127.0.0.1,DNS:" + serverName + "\n"
                            + "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
            openssl(
                    dir,
                    "req",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-days",
                    "2",
                    "-subj",
                    "/CN=clawfactory test CA",
                    "-keyout",
                    "ca.key",
                    "-out",
                    "ca.pem");
            openssl(
                    dir,
                    "req",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-subj",
                    "/CN=" + serverName,
                    "-keyout",
                    "server.key",
                    "-out",
                    "server.csr");
            openssl(
                    dir,
                    "x509",
                    "-req",
                    "-in",
                    "server.csr",
                    "-CA",
                    "ca.pem",
                    "-CAkey",
                    "ca.key",
                    "-CAcreateserial",
                    "-days",
                    "2",
                    "-extfile",
                    "san.ext",
                    "-out",
                    "server.pem");
            Files.writeString(
                    dir.resolve("client.ext"),
                    "basicConstraints=CA:FALSE\n"
                            + "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n");
            openssl(
                    dir,
                    "req",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-subj",
                    "/CN=clawfactory-worker",
                    "-keyout",
                    "client.key",
                    "-out",
                    "client.csr");
            openssl(
                    dir,
                    "x509",
                    "-req",
                    "-in",
                    "client.csr",
                    "-CA",
                    "ca.pem",
                    "-CAkey",
                    "ca.key",
                    "-CAcreateserial",
                    "-days",
                    "2",
                    "-extfile",
                    "client.ext",
                    "-out",
                    "client.pem");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void openssl(Path dir, String... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile())
                .start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("openssl " + String.join(" ", args) + " failed:\n"
                        + Files.readString(dir.resolve("openssl.log")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void awaitListening() throws IOException {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited with " + process.exitValue() + ":\n" + logs());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
        close();
        throw new IllegalStateException("nginx did not listen on 127.0.0.1:" + port + " within "
                + READY_TIMEOUT.toSeconds() + " s:\n" + logs());
    }

    public String target() {
        return "127.0.0.1:" + port;
    }

    public String logs() throws IOException {
        StringBuilder b = new StringBuilder();
        for (String f : List.of("logs/stdout.log", "logs/error.log")) {
            Path p = dir.resolve(f);
            if (Files.exists(p)) {
                b.append(Files.readString(p));
            }
        }
        return b.toString();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

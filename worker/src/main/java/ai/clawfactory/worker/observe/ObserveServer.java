package ai.clawfactory.worker.observe;

import ai.clawfactory.worker.metrics.Metrics;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} and {@code GET /health} on {@code WORKER_HTTP_HOST:WORKER_HTTP_PORT}
 * (127.0.0.1:9464): a few lines of HTTP/1.1 on a plain socket, so the endpoint costs a few
 * classes and no framework (docs/BENCHMARKS.md measures it). One request per connection.
 * <p>
 * Bounded, so that a client that misbehaves cannot stall the unit's readiness check or
 * Prometheus: {@value #THREADS} requests are served at once and {@value #QUEUE} more wait (beyond
 * that a connection is closed at once); a request's head (request line and headers, at most
 * {@value #MAX_HEAD} bytes) must arrive within {@link #READ_TIME} and the answer be taken within
 * {@link #WRITE_TIME}, else the connection is closed. (The JDK's HttpServer, used before, read
 * requests on its one thread with no time limit: one half-sent request stalled both endpoints.)
 */
@Singleton
@Requires(property = "clawfactory.worker.enabled", notEquals = "false")
public class ObserveServer {

    private static final Logger LOG = LoggerFactory.getLogger(ObserveServer.class);

    /** Requests served at once. */
    static final int THREADS = 4;
    /** Connections waiting for a thread; more are closed at once. */
    static final int QUEUE = 16;
    /** Longest request head: a request line and a few headers. */
    static final int MAX_HEAD = 8 * 1024;
    /** Time for a connection to send its request's head. */
    static final Duration READ_TIME = Duration.ofSeconds(5);
    /** Time for a client to take the answer. */
    static final Duration WRITE_TIME = Duration.ofSeconds(10);

    private final ObserveConfig config;
    private final Metrics metrics;
    private final Health health;
    private ServerSocket socket;
    private ThreadPoolExecutor workers;
    private ScheduledExecutorService deadlines;
    /** Connections accepted and not yet closed: stop() closes them. */
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();

    ObserveServer(ObserveConfig config, Metrics metrics, Health health) {
        this.config = config;
        this.metrics = metrics;
        this.health = health;
    }

    @PostConstruct
    void start() {
        if (config.port() < 0) {
            LOG.info("Metrics and health endpoint off (WORKER_HTTP_PORT=-1)");
            return;
        }
        try {
            socket = new ServerSocket();
            socket.bind(new InetSocketAddress(config.host(), config.port()), QUEUE);
        } catch (BindException e) {
            throw new ConfigurationException("Cannot serve /metrics and /health on " + config.host() + ":"
                    + config.port()
                    + " (" + e.getMessage() + "): another worker may be running; set WORKER_HTTP_PORT to a free port, "
                    + "0 for any, or -1 to turn the endpoint off");
        } catch (IOException e) {
            throw new ConfigurationException("Cannot serve /metrics and /health on " + config.host() + ":"
                    + config.port() + ": " + e.getMessage());
        }
        workers = new ThreadPoolExecutor(
                THREADS, THREADS, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), daemon("observe-http"));
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemon("observe-deadline"));
        timer.setRemoveOnCancelPolicy(true); // a request done in time leaves nothing behind
        deadlines = timer;
        daemon("observe-accept").newThread(this::accept).start();
        LOG.info("Metrics on http://{}:{}/metrics, health on /health", config.host(), port());
    }

    /** The bound port (useful with WORKER_HTTP_PORT=0), or -1 when off. */
    public int port() {
        return socket == null ? -1 : socket.getLocalPort();
    }

    private void accept() {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    // Out of file descriptors, say: pause rather than spin on the failure.
                    LOG.warn("/metrics and /health: cannot accept a connection ({}); trying again", e.getMessage());
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
                }
                continue;
            }
            clients.add(client);
            try {
                workers.execute(() -> serve(client));
            } catch (RejectedExecutionException e) {
                close(client); // every thread busy and the queue full: turned away, not queued forever
            }
        }
    }

    /** One request: its head within READ_TIME, the answer taken within WRITE_TIME. */
    private void serve(Socket client) {
        try {
            String requestLine = within(client, READ_TIME, () -> readHead(client.getInputStream()));
            Answer a = answer(requestLine);
            boolean withBody = requestLine == null || !requestLine.startsWith("HEAD ");
            within(client, WRITE_TIME, () -> write(client.getOutputStream(), a, withBody));
        } catch (IOException | RuntimeException e) {
            // The client went away or was too slow (its connection was closed): nobody to answer.
        } finally {
            close(client);
        }
    }

    /** Socket I/O with a result. */
    private interface Io<T> {
        T call() throws IOException;
    }

    /** Runs {@code io}, closing {@code client} if it takes longer than {@code limit} (which ends a blocked read or write). */
    private <T> T within(Socket client, Duration limit, Io<T> io) throws IOException {
        ScheduledFuture<?> deadline = deadlines.schedule(() -> close(client), limit.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return io.call();
        } finally {
            deadline.cancel(false);
        }
    }

    /** The request line, after reading the whole head; null when the head is longer than {@value #MAX_HEAD} bytes. */
    private static String readHead(InputStream raw) throws IOException {
        InputStream in = new BufferedInputStream(raw);
        StringBuilder head = new StringBuilder();
        while (head.length() <= MAX_HEAD) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the client closed before the end of its request");
            }
            head.append((char) b);
            int n = head.length();
            if (n >= 2
                    && head.charAt(n - 1) == '\n'
                    && (head.charAt(n - 2) == '\n'
                            || n >= 3 && head.charAt(n - 2) == '\r' && head.charAt(n - 3) == '\n')) {
                int eol = head.indexOf("\n");
                return head.substring(0, eol).strip();
            }
        }
        return null;
    }

    /** An answer: its status, content type and body. */
    private record Answer(int status, String type, String body) {

        static Answer text(int status, String body) {
            return new Answer(status, "text/plain; charset=utf-8", body);
        }

        String reason() {
            return switch (status) {
                case 200 -> "OK";
                case 400 -> "Bad Request";
                case 404 -> "Not Found";
                case 405 -> "Method Not Allowed";
                case 431 -> "Request Header Fields Too Large";
                default -> "Service Unavailable";
            };
        }
    }

    /** The answer to a request line (null: its head was too long). */
    private Answer answer(String requestLine) {
        if (requestLine == null) {
            return Answer.text(431, "request too large\n");
        }
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            return Answer.text(400, "bad request\n");
        }
        if (!"GET".equals(parts[0]) && !"HEAD".equals(parts[0])) {
            return Answer.text(405, "");
        }
        int query = parts[1].indexOf('?');
        return switch (query < 0 ? parts[1] : parts[1].substring(0, query)) {
            case "/metrics" -> new Answer(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
            case "/health" -> {
                Health.Report r = health.check();
                yield new Answer(r.up() ? 200 : 503, "application/json", json(r));
            }
            default -> Answer.text(404, "try /metrics or /health\n");
        };
    }

    /** Writes {@code a}; its body only when {@code withBody} (not for HEAD). */
    private static Void write(OutputStream out, Answer a, boolean withBody) throws IOException {
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        String headers = "HTTP/1.1 " + a.status() + " " + a.reason() + "\r\n"
                + "Content-Type: " + a.type() + "\r\n"
                + "Cache-Control: no-store\r\n"
                + (a.status() == 405 ? "Allow: GET, HEAD\r\n" : "")
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n\r\n";
        out.write(headers.getBytes(StandardCharsets.US_ASCII));
        if (withBody) {
            out.write(body);
        }
        out.flush();
        return null;
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private void close(Socket client) {
        clients.remove(client);
        try {
            client.close();
        } catch (IOException e) {
            // already closed
        }
    }

    static String json(Health.Report r) {
        String components = r.components().entrySet().stream()
                .map(e -> quote(e.getKey()) + ":" + quote(e.getValue()))
                .collect(Collectors.joining(","));
        String reasons = r.reasons().stream().map(ObserveServer::quote).collect(Collectors.joining(","));
        return "{\"status\":" + quote(r.up() ? "UP" : "DOWN") + ",\"components\":{" + components + "},\"reasons\":["
                + reasons + "]}\n";
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    @PreDestroy
    void stop() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // already closed
            }
            clients.forEach(this::close);
            workers.shutdownNow();
            deadlines.shutdownNow();
        }
    }
}

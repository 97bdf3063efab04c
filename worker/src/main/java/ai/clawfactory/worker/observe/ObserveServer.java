package ai.clawfactory.worker.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} and {@code GET /health} on {@code WORKER_HTTP_HOST:WORKER_HTTP_PORT}
 * (127.0.0.1:9464): the JDK's own HTTP server on one thread, so the endpoint costs a few classes
 * and no framework (docs/BENCHMARKS.md measures it).
 */
@Context
@Requires(property = "clawfactory.worker.enabled", notEquals = "false")
public class ObserveServer {

    private static final Logger LOG = LoggerFactory.getLogger(ObserveServer.class);

    private final ObserveConfig config;
    private final Metrics metrics;
    private final Health health;
    private HttpServer server;

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
            server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 16);
        } catch (BindException e) {
            throw new ConfigurationException("Cannot serve /metrics and /health on " + config.host() + ":"
                    + config.port()
                    + " (" + e.getMessage() + "): another worker may be running; set WORKER_HTTP_PORT to a free port, "
                    + "0 for any, or -1 to turn the endpoint off");
        } catch (IOException e) {
            throw new ConfigurationException("Cannot serve /metrics and /health on " + config.host() + ":"
                    + config.port() + ": " + e.getMessage());
        }
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "observe-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext(
                "/metrics", ex -> answer(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
        server.createContext("/health", ex -> {
            Health.Report r = health.check();
            answer(ex, r.up() ? 200 : 503, "application/json", json(r));
        });
        server.createContext("/", ex -> answer(ex, 404, "text/plain; charset=utf-8", "try /metrics or /health\n"));
        server.start();
        LOG.info("Metrics on http://{}:{}/metrics, health on /health", config.host(), port());
    }

    /** The bound port (useful with WORKER_HTTP_PORT=0), or -1 when off. */
    public int port() {
        return server == null ? -1 : server.getAddress().getPort();
    }

    private static void answer(HttpExchange ex, int status, String type, String body) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type);
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.sendResponseHeaders(status, "HEAD".equals(ex.getRequestMethod()) ? -1 : bytes.length);
            if (!"HEAD".equals(ex.getRequestMethod())) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
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
        if (server != null) {
            server.stop(0);
        }
    }
}

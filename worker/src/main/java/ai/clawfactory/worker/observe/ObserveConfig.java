package ai.clawfactory.worker.observe;

import ai.clawfactory.worker.config.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The worker's own small HTTP endpoint: {@code /metrics} (Prometheus text) and {@code /health}.
 *
 * @param host address to bind (WORKER_HTTP_HOST); loopback by default, never all interfaces
 *             unless asked
 * @param port port (WORKER_HTTP_PORT); 0 picks a free one (logged), -1 turns the endpoint off
 */
@ConfigurationProperties("observe")
public record ObserveConfig(
        @Bindable(defaultValue = "127.0.0.1") String host,
        @Bindable(defaultValue = "9464") int port) {

    public ObserveConfig {
        Settings.notBlank(host, "observe.host", "WORKER_HTTP_HOST");
        Settings.between(port, -1, 65535, "observe.port", "WORKER_HTTP_PORT");
    }
}

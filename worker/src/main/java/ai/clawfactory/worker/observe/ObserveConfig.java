package ai.clawfactory.worker.observe;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/**
 * The worker's own small HTTP endpoint: {@code /metrics} (Prometheus text) and {@code /health}.
 *
 * @param host address to bind (WORKER_HTTP_HOST); loopback by default, never all interfaces
 *             unless asked
 * @param port port (WORKER_HTTP_PORT); 0 picks a free one (logged), -1 turns the endpoint off
 */
@ConfigurationProperties("observe")
public record ObserveConfig(
        @NotBlank @Bindable(defaultValue = "127.0.0.1") String host,

        @Min(-1) @Max(65535) @Bindable(defaultValue = "9464")
        int port) {}

package ai.clawfactory.worker.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How agent turns reach the gateway. With no {@code url} the kind defaults to {@code dry-run}, so
 * the worker runs out of the box without sending anything anywhere.
 *
 * @param kind           openclaw-hooks, openai-chat, cron-fire or dry-run (GATEWAY_KIND)
 * @param url            base URL, e.g. http://127.0.0.1:18789 (GATEWAY_URL)
 * @param tokenFile      file holding the token (GATEWAY_TOKEN_FILE); else $CREDENTIALS_DIRECTORY/gateway-token; else GATEWAY_TOKEN
 * @param connectTimeout TCP connect timeout
 * @param heartbeat      how often an in-flight turn heartbeats to Temporal
 * @param allowInsecure  send the token over plain http:// to a host that is not loopback (GATEWAY_ALLOW_INSECURE);
 *                       refused at start-up unless true
 */
@ConfigurationProperties("gateway")
public record GatewayConfig(
        @Nullable String kind,
        @Nullable String url,
        @Nullable String tokenFile,
        @Bindable(defaultValue = "10s") Duration connectTimeout,
        @Bindable(defaultValue = "10s") Duration heartbeat,
        @Bindable(defaultValue = "false") boolean allowInsecure) {

    public GatewayConfig {
        Settings.required(connectTimeout, "gateway.connect-timeout", "GATEWAY_CONNECT_TIMEOUT");
        Settings.required(heartbeat, "gateway.heartbeat", "GATEWAY_HEARTBEAT");
    }

    public GatewayConfig(String kind, String url, String tokenFile, Duration connectTimeout, Duration heartbeat) {
        this(kind, url, tokenFile, connectTimeout, heartbeat, false);
    }
}

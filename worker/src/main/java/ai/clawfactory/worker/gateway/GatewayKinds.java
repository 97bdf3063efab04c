package ai.clawfactory.worker.gateway;

import ai.clawfactory.worker.config.GatewayConfig;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.List;

/** Chooses the gateway client from configuration; an unknown kind or URL stops start-up with a clear message. */
@Factory
public class GatewayKinds {

    public static final String OPENCLAW_HOOKS = "openclaw-hooks";
    public static final String OPENAI_CHAT = "openai-chat";
    public static final String CRON_FIRE = "cron-fire";
    public static final String DRY_RUN = "dry-run";
    public static final List<String> ALL = List.of(OPENCLAW_HOOKS, OPENAI_CHAT, CRON_FIRE, DRY_RUN);

    private static final Logger LOG = LoggerFactory.getLogger(GatewayKinds.class);

    @Singleton
    GatewayClient gatewayClient(GatewayConfig config, GatewayHttp http, GatewayJson json, TokenSource tokens) {
        String url = config.url() == null ? "" : config.url().trim();
        String kind = config.kind() == null || config.kind().isBlank()
                ? (url.isEmpty() ? DRY_RUN : OPENCLAW_HOOKS) : config.kind().trim();
        if (!ALL.contains(kind)) {
            throw new IllegalArgumentException("GATEWAY_KIND '" + kind + "' is not one of " + String.join(", ", ALL));
        }
        if (kind.equals(DRY_RUN)) {
            LOG.info("Gateway: dry-run (no GATEWAY_URL): turns are recorded in the ledger, nothing is sent");
            return new DryRunClient(json);
        }
        if (url.isEmpty()) {
            throw new IllegalArgumentException("GATEWAY_KIND " + kind + " needs GATEWAY_URL (e.g. http://127.0.0.1:18789)");
        }
        URI base;
        try {
            base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("GATEWAY_URL '" + url + "' is not a URL: " + e.getMessage());
        }
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme()) || base.getHost() == null) {
            throw new IllegalArgumentException("GATEWAY_URL '" + url + "' must be http:// or https:// with a host");
        }
        LOG.info("Gateway: {} at {} (token from {})", kind, base, tokens.describe());
        return switch (kind) {
            case OPENAI_CHAT -> new OpenAiChatClient(base, http, json, tokens);
            case CRON_FIRE -> new CronFireClient(base, http, json, tokens);
            default -> new OpenClawHooksClient(base, http, json, tokens);
        };
    }

    static String requireToken(TokenSource tokens, String kind) {
        String token = tokens.token();
        if (token == null) {
            throw new GatewayException(GatewayException.Category.CONFIGURATION, "No gateway token for " + kind
                    + ": set GATEWAY_TOKEN_FILE, the systemd credential gateway-token, or GATEWAY_TOKEN", null, null, null);
        }
        return token;
    }
}

package ai.clawfactory.worker.gateway;

import ai.clawfactory.core.Hosts;
import ai.clawfactory.worker.config.GatewayConfig;
import ai.clawfactory.worker.http.HttpSender;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    GatewayClient gatewayClient(GatewayConfig config, HttpSender http, GatewayJson json, TokenSource tokens) {
        String url = config.url() == null ? "" : config.url().trim();
        String kind = config.kind() == null || config.kind().isBlank()
                ? (url.isEmpty() ? DRY_RUN : OPENCLAW_HOOKS)
                : config.kind().trim();
        if (!ALL.contains(kind)) {
            throw new IllegalArgumentException("GATEWAY_KIND '" + kind + "' is not one of " + String.join(", ", ALL));
        }
        if (kind.equals(DRY_RUN)) {
            LOG.info("Gateway: dry-run (no GATEWAY_URL): turns are recorded in the ledger, nothing is sent");
            return new DryRunClient(json);
        }
        if (url.isEmpty()) {
            throw new IllegalArgumentException(
                    "GATEWAY_KIND " + kind + " needs GATEWAY_URL (e.g. http://127.0.0.1:18789)");
        }
        URI base;
        String shown = withoutUserInfo(url);
        try {
            base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("GATEWAY_URL '" + shown + "' is not a URL");
        }
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme) || base.getHost() == null) {
            throw new IllegalArgumentException("GATEWAY_URL '" + shown + "' must be http:// or https:// with a host");
        }
        if (base.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                    "GATEWAY_URL '" + shown + "' carries user info (user:password@): "
                            + "remove it; the token comes from GATEWAY_TOKEN_FILE, the gateway-token credential or GATEWAY_TOKEN");
        }
        if ("http".equals(scheme) && !Hosts.isLoopback(base.getHost()) && !config.allowInsecure()) {
            throw new IllegalArgumentException("GATEWAY_URL '" + shown + "' is plain http:// to a host that is not "
                    + "loopback: the gateway token would cross the network in cleartext. Use https://, a loopback "
                    + "address (an SSH or Tailscale tunnel), or set GATEWAY_ALLOW_INSECURE=true to accept the risk");
        }
        if ("http".equals(scheme) && !Hosts.isLoopback(base.getHost())) {
            LOG.warn("GATEWAY_ALLOW_INSECURE=true: the gateway token goes to {} in cleartext", base.getHost());
        }
        LOG.info("Gateway: {} at {} (token from {})", kind, base, tokens.describe());
        GatewayEndpoint endpoint = new GatewayEndpoint(base, http, json, tokens);
        return switch (kind) {
            case OPENAI_CHAT -> new OpenAiChatClient(endpoint);
            case CRON_FIRE -> new CronFireClient(endpoint);
            default -> new OpenClawHooksClient(endpoint);
        };
    }

    private static final Pattern USER_INFO = Pattern.compile("(?<=//)[^/?#]*@");

    /** A URL as it may be shown: any user:password@ replaced, even when the URL does not parse. */
    static String withoutUserInfo(String url) {
        return USER_INFO.matcher(url).replaceFirst("[redacted]@");
    }
}

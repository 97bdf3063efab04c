package ai.clawfactory.worker.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Limits on {@code http} steps. Two gates apply: the host as written in the URL must be on the
 * allow-list when there is one, and every address it resolves to must be public, unless an entry
 * names the host with its port (see {@code http.AddressGate}); Temporal's own ports are never reached.
 *
 * @param allowHosts       comma-separated hosts an http step may call (HTTP_ALLOW_HOSTS): {@code example.org},
 *                         {@code *.example.org} (its subdomains), optionally with {@code :port}; empty allows
 *                         every host with a public address. {@code host:port} (no wildcard) also lets that
 *                         host reach a loopback, private, link-local or multicast address on that port.
 * @param temporalHttpPort Temporal's HTTP API port on its host (TEMPORAL_HTTP_PORT; default: its gRPC port + 10,
 *                         as {@code ./clawfactory dev} starts it)
 * @param temporalUiPort   Temporal's Web UI port on its host (TEMPORAL_UI_PORT; default: its gRPC port + 1000,
 *                         {@code temporal server start-dev}'s default)
 */
@ConfigurationProperties("http-steps")
public record HttpStepsConfig(
        @Nullable String allowHosts,
        @Nullable String temporalHttpPort,
        @Nullable String temporalUiPort) {

    /** What an entry's host part may be: a name or address, {@code *.domain}, or {@code [IPv6]}. */
    private static final Pattern HOST = Pattern.compile("(\\*\\.)?[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?|\\[[0-9a-f:.]+]");

    public HttpStepsConfig {
        port(temporalHttpPort, "http-steps.temporal-http-port", "TEMPORAL_HTTP_PORT");
        port(temporalUiPort, "http-steps.temporal-ui-port", "TEMPORAL_UI_PORT");
        for (String entry : split(allowHosts)) {
            if (!HOST.matcher(Entry.parse(entry).pattern()).matches()) {
                throw new IllegalArgumentException("http-steps.allow-hosts (HTTP_ALLOW_HOSTS) lists '" + entry
                        + "', which is not a host, *.domain or [IPv6 address], with an optional :port");
            }
        }
    }

    /** Only the allow-list, as tests and most callers need it. */
    public HttpStepsConfig(String allowHosts) {
        this(allowHosts, null, null);
    }

    /** The allow-list, lower-cased; empty when every host with a public address is allowed. */
    public List<String> hosts() {
        return split(allowHosts);
    }

    /** Whether a step may call {@code host} on {@code port} (the URL's explicit or default port). */
    public boolean allows(String host, int port) {
        List<String> list = hosts();
        if (list.isEmpty()) {
            return true;
        }
        String h = normal(host);
        for (String entry : list) {
            Entry e = Entry.parse(entry);
            if ((e.port() < 0 || e.port() == port)
                    && (e.pattern().startsWith("*.") ? h.endsWith(e.pattern().substring(1)) : h.equals(e.pattern()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether an entry names exactly this host with this port, no wildcard: the operator's explicit
     * allowance for a host whose address is loopback, private, link-local or multicast.
     */
    public boolean namesExactly(String host, int port) {
        String h = normal(host);
        return hosts().stream()
                .map(Entry::parse)
                .anyMatch(e -> e.port() == port
                        && !e.pattern().startsWith("*.")
                        && e.pattern().equals(h));
    }

    /** Temporal's HTTP API port given its gRPC port. */
    public int temporalHttpPort(int grpcPort) {
        Integer p = port(temporalHttpPort, "http-steps.temporal-http-port", "TEMPORAL_HTTP_PORT");
        return p == null ? grpcPort + 10 : p;
    }

    /** Temporal's Web UI port given its gRPC port. */
    public int temporalUiPort(int grpcPort) {
        Integer p = port(temporalUiPort, "http-steps.temporal-ui-port", "TEMPORAL_UI_PORT");
        return p == null ? grpcPort + 1000 : p;
    }

    private static String normal(String host) {
        String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static Integer port(String value, String property, String variable) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Settings.between(Integer.parseInt(value.trim()), 1, 65535, property, variable);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    property + " (" + variable + ") must be a port number, got '" + value + "'");
        }
    }

    private static List<String> split(String list) {
        return list == null
                ? List.of()
                : Arrays.stream(list.split(","))
                        .map(h -> h.trim().toLowerCase(Locale.ROOT))
                        .filter(h -> !h.isEmpty())
                        .toList();
    }

    /** An allow-list entry: a host, {@code [v6]} or {@code *.domain}, and its port or -1 for any. */
    private record Entry(String pattern, int port) {

        static Entry parse(String entry) {
            int colon = entry.lastIndexOf(':');
            if (colon > 0
                    && !entry.endsWith("]")
                    && colon < entry.length() - 1
                    && entry.substring(colon + 1).chars().allMatch(Character::isDigit)
                    && entry.length() - colon <= 6) {
                return new Entry(normal(entry.substring(0, colon)), Integer.parseInt(entry.substring(colon + 1)));
            }
            return new Entry(normal(entry), -1);
        }
    }
}

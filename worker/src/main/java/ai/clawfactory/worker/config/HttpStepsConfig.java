package ai.clawfactory.worker.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Limits on {@code http} steps.
 *
 * @param allowHosts comma-separated hosts an http step may call (HTTP_ALLOW_HOSTS): {@code example.org},
 *                   {@code *.example.org} (its subdomains), optionally with {@code :port}; empty allows every host
 */
@ConfigurationProperties("http-steps")
public record HttpStepsConfig(@Nullable String allowHosts) {

    /** The allow-list, lower-cased; empty when every host is allowed. */
    public List<String> hosts() {
        return allowHosts == null
                ? List.of()
                : Arrays.stream(allowHosts.split(","))
                        .map(h -> h.trim().toLowerCase(Locale.ROOT))
                        .filter(h -> !h.isEmpty())
                        .toList();
    }

    /** Whether a step may call {@code host} on {@code port} (the URL's explicit or default port). */
    public boolean allows(String host, int port) {
        List<String> list = hosts();
        if (list.isEmpty()) {
            return true;
        }
        String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        for (String entry : list) {
            String pattern = entry;
            int colon = entry.lastIndexOf(':');
            if (colon > 0
                    && !entry.endsWith("]")
                    && entry.substring(colon + 1).chars().allMatch(Character::isDigit)) {
                if (Integer.parseInt(entry.substring(colon + 1)) != port) {
                    continue;
                }
                pattern = entry.substring(0, colon);
            }
            if (pattern.startsWith("*.") ? h.endsWith(pattern.substring(1)) : h.equals(pattern)) {
                return true;
            }
        }
        return false;
    }
}

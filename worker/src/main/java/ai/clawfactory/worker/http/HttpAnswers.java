package ai.clawfactory.worker.http;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reading an HTTP answer, the same for the gateway kinds and {@code http} steps: what a status
 * means for retrying, the Retry-After delay, and body excerpts for messages with the token removed.
 */
public final class HttpAnswers {

    private HttpAnswers() {}

    /** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
    public static Duration parseRetryAfter(String value, ZonedDateTime now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? null : Duration.ofSeconds(Math.min(seconds, 3600));
        } catch (NumberFormatException e) {
            try {
                Duration d = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative()
                        ? Duration.ZERO
                        : (d.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : d);
            } catch (DateTimeParseException ex) {
                return null;
            }
        }
    }

    /** A short, single-line body excerpt for messages, with the token (if echoed) removed. */
    public static String excerpt(String body, String token) {
        if (body == null || body.isBlank()) {
            return "(empty body)";
        }
        String b = body.replaceAll("\\s+", " ").trim();
        if (token != null && !token.isEmpty()) {
            b = b.replace(token, "[redacted]");
        }
        return b.length() > 200 ? b.substring(0, 200) + "…" : b;
    }

    /**
     * The contract's classification of a non-success status: 408, 429 and 5xx are transient
     * (honouring Retry-After); every other 4xx is permanent. 3xx is permanent too (we never follow
     * redirects: they would carry the token elsewhere).
     */
    public static GatewayException classify(String what, HttpExchange x, String token) {
        String msg = what + " answered HTTP " + x.status() + ": " + excerpt(x.body(), token);
        int s = x.status();
        if (s == 408 || s == 429 || s >= 500) {
            return GatewayException.transientFailure(msg, s, parseRetryAfter(x.retryAfter(), ZonedDateTime.now()));
        }
        String hint = switch (s) {
            case 401, 403 -> " Check the gateway token (GATEWAY_TOKEN_FILE or the gateway-token credential).";
            case 404 -> " Check GATEWAY_URL and that hooks are enabled on the gateway.";
            case 413 -> " The request is too large for the gateway (256 KiB).";
            default -> " Fix the step's fields in the definition.";
        };
        return GatewayException.permanent(msg + "." + hint, s);
    }
}

package ai.clawfactory.worker.http;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Reading an HTTP answer, the same for the gateway kinds and {@code http} steps: what a status
 * means for retrying, the Retry-After delay and the body's charset. Body excerpts in messages come
 * from the caller, with every secret in scope removed before the body is cut
 * ({@code secret.Redactor#excerpt}).
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

    /**
     * The contract's classification of a non-success status: 408, 429 and 5xx are transient
     * (honouring Retry-After); every other 4xx is permanent. 3xx is permanent too (we never follow
     * redirects: they would carry the token elsewhere). {@code bodyExcerpt} is the body as it may
     * appear in the message, secrets removed.
     */
    public static GatewayException classify(String what, HttpExchange x, String bodyExcerpt) {
        String msg = what + " answered HTTP " + x.status() + ": " + bodyExcerpt;
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

    /** The charset a Content-Type header declares; UTF-8 when none or an unknown one. */
    static Charset charset(String contentType) {
        for (String param : (contentType == null ? "" : contentType).split(";")) {
            String p = param.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                String name = p.substring("charset=".length()).replace("\"", "").trim();
                try {
                    return Charset.forName(name);
                } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    /** An exchange that did not finish within its read timeout: transient. */
    static GatewayException timedOut(String where, Duration readTimeout) {
        return GatewayException.transientFailure(
                where + " timed out: no answer within " + readTimeout.toSeconds() + " s", null, null);
    }

    /** An answer over {@link HttpExchanges#MAX_RESPONSE_BYTES}, given up while it was read: transient. */
    static GatewayException tooLarge(String where) {
        return GatewayException.transientFailure(
                where + " answered with more than " + HttpExchanges.MAX_RESPONSE_BYTES + " bytes", null, null);
    }

    /** A header the client owns, or an invalid one: refused before sending; its value is never shown. */
    static GatewayException headerRefused(String where, String name) {
        return GatewayException.permanent(
                where + ": the header " + name + " cannot be sent (the HTTP client sets it, or its"
                        + " value is not a valid header value); remove it from the request",
                null);
    }
}

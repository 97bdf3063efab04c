package ai.clawfactory.worker.gateway;

import ai.clawfactory.worker.config.GatewayConfig;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.DefaultHttpClientConfiguration;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.ContentLengthExceededException;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.client.exceptions.ReadTimeoutException;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP exchange every gateway kind and {@code http} step shares: one POST (or other method),
 * any status returned as an {@link Exchange}, network faults turned into transient
 * {@link GatewayException}s. Micronaut clients are kept per origin and read timeout.
 */
@Singleton
public class GatewayHttp {

    /** Largest answer read; more is treated as a malformed answer. */
    static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

    private final GatewayConfig config;
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

    public GatewayHttp(GatewayConfig config) {
        this.config = config;
    }

    /** A status, the Retry-After header if any, and the body ("" when none). */
    public record Exchange(int status, String retryAfter, String body) {
    }

    public Exchange send(String method, URI uri, String body, Map<String, String> headers, Duration readTimeout) {
        HttpClient client = client(uri, readTimeout);
        MutableHttpRequest<String> request = HttpRequest.create(io.micronaut.http.HttpMethod.parse(method), uri.toString());
        if (body != null) {
            request.body(body).contentType(MediaType.APPLICATION_JSON_TYPE);
        }
        request.accept(MediaType.APPLICATION_JSON_TYPE, MediaType.TEXT_PLAIN_TYPE);
        headers.forEach(request::header);
        String where = method + " " + uri.getPath();
        try {
            HttpResponse<String> response = client.toBlocking().exchange(request, String.class);
            return new Exchange(response.getStatus().getCode(), response.getHeaders().get("Retry-After"),
                    response.getBody(String.class).orElse(""));
        } catch (HttpClientResponseException e) {
            // The blocking client raises error statuses; they are answers, classified by the caller.
            HttpResponse<?> response = e.getResponse();
            return new Exchange(response.getStatus().getCode(), response.getHeaders().get("Retry-After"),
                    response.getBody(String.class).orElse(""));
        } catch (ReadTimeoutException e) {
            throw GatewayException.transientFailure(where + " timed out: no answer within " + readTimeout.toSeconds()
                    + " s", null, null);
        } catch (ContentLengthExceededException e) {
            throw GatewayException.transientFailure(where + " answered with more than " + MAX_RESPONSE_BYTES
                    + " bytes", null, null);
        } catch (HttpClientException e) {
            throw GatewayException.transientFailure(where + " failed: " + describe(e), null, null);
        }
    }

    private HttpClient client(URI uri, Duration readTimeout) {
        String origin = uri.getScheme() + "://" + uri.getAuthority();
        return clients.computeIfAbsent(origin + "|" + readTimeout.toMillis(), k -> {
            DefaultHttpClientConfiguration c = new DefaultHttpClientConfiguration();
            c.setReadTimeout(readTimeout);
            c.setConnectTimeout(config.connectTimeout());
            c.setFollowRedirects(false);
            c.setExceptionOnErrorStatus(false);
            c.setMaxContentLength(MAX_RESPONSE_BYTES);
            try {
                return HttpClient.create(new URL(origin), c);
            } catch (MalformedURLException e) {
                throw GatewayException.permanent("Invalid URL " + origin + ": " + e.getMessage(), null);
            }
        });
    }

    @PreDestroy
    void close() {
        clients.values().forEach(HttpClient::close);
        clients.clear();
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        String name = t.getClass().getSimpleName();
        return m == null ? name : name + ": " + m;
    }

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
                return d.isNegative() ? Duration.ZERO : (d.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : d);
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
    public static GatewayException classify(String what, Exchange x, String token) {
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

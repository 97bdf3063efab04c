package ai.clawfactory.worker.http;

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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plain HTTP, shared by every gateway kind and by {@code http} steps: one POST (or other method),
 * any status returned as an {@link HttpExchange} (read it with {@link HttpAnswers}), network
 * faults turned into transient {@link GatewayException}s. Micronaut clients are kept per origin
 * and read timeout; redirects are never followed.
 */
@Singleton
public class HttpSender {

    /** Largest answer read; more is treated as a malformed answer. */
    static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

    private final GatewayConfig config;
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

    public HttpSender(GatewayConfig config) {
        this.config = config;
    }

    public HttpExchange send(String method, URI uri, String body, Map<String, String> headers, Duration readTimeout) {
        HttpClient client = client(uri, readTimeout);
        MutableHttpRequest<String> request =
                HttpRequest.create(io.micronaut.http.HttpMethod.parse(method), uri.toString());
        if (body != null) {
            request.body(body).contentType(MediaType.APPLICATION_JSON_TYPE);
        }
        request.accept(MediaType.APPLICATION_JSON_TYPE, MediaType.TEXT_PLAIN_TYPE);
        headers.forEach(request::header);
        String where = method + " " + uri.getPath();
        try {
            HttpResponse<String> response = client.toBlocking().exchange(request, String.class);
            return new HttpExchange(
                    response.getStatus().getCode(),
                    response.getHeaders().get("Retry-After"),
                    response.getBody(String.class).orElse(""));
        } catch (HttpClientResponseException e) {
            // The blocking client raises error statuses; they are answers, classified by the caller.
            HttpResponse<?> response = e.getResponse();
            return new HttpExchange(
                    response.getStatus().getCode(),
                    response.getHeaders().get("Retry-After"),
                    response.getBody(String.class).orElse(""));
        } catch (ReadTimeoutException e) {
            throw GatewayException.transientFailure(
                    where + " timed out: no answer within " + readTimeout.toSeconds() + " s", null, null);
        } catch (ContentLengthExceededException e) {
            throw GatewayException.transientFailure(
                    where + " answered with more than " + MAX_RESPONSE_BYTES + " bytes", null, null);
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
    public void close() {
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
}

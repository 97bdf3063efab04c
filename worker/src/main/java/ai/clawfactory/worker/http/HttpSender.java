package ai.clawfactory.worker.http;

import ai.clawfactory.worker.config.GatewayConfig;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plain HTTP to the gateway, shared by every gateway kind ({@code http} steps go through
 * {@link GatedHttpSender}, which checks the addresses it connects to): one POST (or other method),
 * any status returned as an {@link HttpExchange} (read it with {@link HttpAnswers}), network
 * faults turned into transient {@link GatewayException}s. One JDK {@link HttpClient} (HTTP/1.1,
 * redirects never followed, {@code gateway.connect-timeout}) serves every origin; the read timeout
 * bounds each whole exchange, and an answer is read only up to {@link #MAX_RESPONSE_BYTES}.
 * Interrupting the calling thread (a cancelled attempt) aborts the exchange.
 */
@Singleton
public class HttpSender {

    /** Largest answer read; more is treated as a malformed answer. */
    static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

    private final ThreadPoolExecutor executor;
    private final Duration connectTimeout;
    /**
     * Built on the first call: the JDK's client and its TLS defaults are ~900 classes and a few
     * MiB that a worker which has sent nothing yet does not need (docs/JVM-LEVERS.md).
     */
    private volatile HttpClient client;

    public HttpSender(GatewayConfig config) {
        AtomicInteger n = new AtomicInteger();
        // The client's own work (delivering bytes, completing futures) is short; callers wait on
        // their own threads. Two threads suit the 2-core VM and go away when idle.
        this.executor = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "http-client-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.allowCoreThreadTimeOut(true);
        this.connectTimeout = config.connectTimeout();
    }

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = HttpClient.newBuilder()
                            // Without it the JDK asks plain http:// servers to upgrade to h2c.
                            .version(HttpClient.Version.HTTP_1_1)
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .connectTimeout(connectTimeout)
                            .executor(executor)
                            .build();
                    client = c;
                }
            }
        }
        return c;
    }

    public HttpExchange send(String method, URI uri, String body, Map<String, String> headers, Duration readTimeout) {
        String where = method + " " + uri.getPath();
        HttpRequest request = request(method, uri, body, headers, readTimeout, where);
        CompletableFuture<HttpResponse<String>> answer = client().sendAsync(request, CappedBody::new);
        try {
            HttpResponse<String> response = answer.get(readTimeout.toNanos(), TimeUnit.NANOSECONDS);
            return new HttpExchange(
                    response.statusCode(),
                    response.headers().firstValue("Retry-After").orElse(null),
                    response.body());
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw HttpAnswers.timedOut(where, readTimeout);
        } catch (InterruptedException e) {
            // A cancelled attempt (InFlightCalls): abort the exchange and keep the thread's status.
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw GatewayException.transientFailure(where + " interrupted", null, null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException)) {
                throw HttpAnswers.timedOut(where, readTimeout);
            }
            for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof TooLarge) {
                    throw HttpAnswers.tooLarge(where);
                }
            }
            throw GatewayException.transientFailure(where + " failed: " + describe(cause, uri), null, null);
        }
    }

    private static HttpRequest request(
            String method, URI uri, String body, Map<String, String> headers, Duration readTimeout, String where) {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(uri);
        } catch (IllegalArgumentException e) {
            throw GatewayException.permanent(where + ": not an http:// or https:// URL", null);
        }
        b.timeout(readTimeout)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            b.setHeader("Content-Type", "application/json");
        }
        b.setHeader("Accept", "application/json, text/plain");
        for (Map.Entry<String, String> h : headers.entrySet()) {
            try {
                b.setHeader(h.getKey(), h.getValue());
            } catch (IllegalArgumentException e) {
                // Host, Connection, Content-Length, Expect, Upgrade are the client's.
                throw HttpAnswers.headerRefused(where, h.getKey());
            }
        }
        return b.build();
    }

    /** Stops the client's threads; connections close with them. */
    @PreDestroy
    public void close() {
        executor.shutdownNow();
    }

    /**
     * The root cause, {@code SimpleName: message}. A failed connection says what could not be
     * reached (the JDK client's connect failures carry no message at all: a bare ConnectException
     * over a ClosedChannelException or UnresolvedAddressException; Netty's name only the address).
     */
    static String describe(Throwable e, URI uri) {
        Throwable t = e;
        boolean connect = false;
        while (true) {
            connect |= t instanceof ConnectException;
            if (t.getCause() == null || t.getCause() == t) {
                break;
            }
            t = t.getCause();
        }
        String m = t.getMessage();
        String name = t.getClass().getSimpleName();
        if (t instanceof UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
            return name + ": cannot resolve " + uri.getHost();
        }
        if (connect) {
            int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            return "ConnectException: cannot connect to " + uri.getHost() + ":" + port + " (" + name
                    + (m == null ? "" : ": " + m) + ")";
        }
        return m == null ? name : name + ": " + m;
    }

    /** An answer longer than {@link #MAX_RESPONSE_BYTES}. */
    private static final class TooLarge extends IOException {
        TooLarge() {
            super("answer larger than " + MAX_RESPONSE_BYTES + " bytes", null);
        }
    }

    /**
     * The body as a string in its declared charset (UTF-8 when none), read a buffer at a time and
     * given up, connection and all, as soon as it is declared or grows past {@link #MAX_RESPONSE_BYTES}.
     */
    private static final class CappedBody implements HttpResponse.BodySubscriber<String> {

        private final CompletableFuture<String> body = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final long declared;
        private final Charset charset;
        private Flow.Subscription subscription;

        CappedBody(HttpResponse.ResponseInfo info) {
            this.declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            this.charset = HttpAnswers.charset(
                    info.headers().firstValue("Content-Type").orElse(null));
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (declared > MAX_RESPONSE_BYTES) {
                tooLarge();
            } else {
                s.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer b : buffers) {
                if (bytes.size() + (long) b.remaining() > MAX_RESPONSE_BYTES) {
                    tooLarge();
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
            subscription.request(1);
        }

        private void tooLarge() {
            subscription.cancel();
            body.completeExceptionally(new TooLarge());
        }

        @Override
        public void onError(Throwable t) {
            body.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toString(charset));
        }

        @Override
        public CompletionStage<String> getBody() {
            return body;
        }
    }
}

package ai.clawfactory.worker.http;

import ai.clawfactory.worker.config.GatewayConfig;
import io.micronaut.buffer.netty.NettyByteBufferFactory;
import io.micronaut.core.annotation.AnnotationMetadataResolver;
import io.micronaut.core.convert.ConversionService;
import io.micronaut.core.io.ResourceResolver;
import io.micronaut.http.ByteBodyHttpResponse;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpVersion;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.bind.DefaultRequestBinderRegistry;
import io.micronaut.http.bind.RequestBinderRegistry;
import io.micronaut.http.body.CloseableByteBody;
import io.micronaut.http.body.MessageBodyHandlerRegistry;
import io.micronaut.http.body.stream.AvailableByteArrayBody;
import io.micronaut.http.client.DefaultHttpClientConfiguration;
import io.micronaut.http.client.HttpVersionSelection;
import io.micronaut.http.client.RawHttpClient;
import io.micronaut.http.client.filter.ClientFilterResolutionContext;
import io.micronaut.http.client.filter.DefaultHttpClientFilterResolver;
import io.micronaut.http.client.netty.DefaultHttpClient;
import io.micronaut.http.client.netty.NettyClientCustomizer;
import io.micronaut.http.client.netty.ssl.ClientSslBuilder;
import io.micronaut.http.client.netty.ssl.NettyClientSslBuilder;
import io.micronaut.http.codec.MediaTypeCodecRegistry;
import io.micronaut.http.exceptions.BufferLengthExceededException;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.filter.HttpClientFilterResolver;
import io.micronaut.websocket.context.WebSocketBeanRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.DefaultNameResolver;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * One HTTP exchange through Micronaut's low-level (raw) Netty client: what the gateway kinds
 * ({@link HttpSender}) and {@code http} steps ({@link GatedHttpSender}) share.
 * <p>
 * Each exchange gets a client of its own (one connection, HTTP/1.1) on one shared two-thread event
 * loop, and closing that client is how the exchange ends, whatever state it is in: an answer read,
 * the read timeout passed, the calling thread interrupted (a cancelled attempt), an answer over
 * {@link #MAX_RESPONSE_BYTES}. Cancelling a Micronaut client's publisher would not do: its
 * connection stays busy until the server answers, which for a waited agent turn can be many
 * minutes. So no connection outlives its exchange, and the connections open at once are the
 * exchanges in flight (at most the worker's activity slots), however many hosts they reach.
 * Redirects are returned, never followed; the connect timeout is {@code gateway.connect-timeout},
 * the read timeout (the caller's, per call) bounds the whole exchange. Any status comes back as an
 * {@link HttpExchange}; network faults are transient {@link GatewayException}s, an address the
 * resolver refused ({@link AddressGate.Refused}) a configuration one.
 */
@Singleton
public class HttpExchanges {

    /** Largest answer read; more is treated as a malformed answer. */
    public static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

    /** Headers the client sets itself: a caller setting them would change how the request is framed or routed. */
    private static final Set<String> CLIENT_HEADERS = Set.of(
            "host", "content-length", "transfer-encoding", "connection", "expect", "upgrade", "te", "keep-alive");

    private final Duration connectTimeout;
    private volatile Shared shared;

    @Inject
    public HttpExchanges(GatewayConfig gateway) {
        this(gateway.connectTimeout());
    }

    public HttpExchanges(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /**
     * Sends one request and reads its answer.
     *
     * @param resolver how the host becomes addresses, for this exchange alone (its client closes it)
     */
    HttpExchange send(
            String method,
            URI uri,
            String body,
            Map<String, String> headers,
            Duration readTimeout,
            AddressResolverGroup<InetSocketAddress> resolver) {
        String where = method + " " + uri.getPath();
        MutableHttpRequest<?> request = request(method, uri, body, headers, where);
        DefaultHttpClient client = client(readTimeout, resolver);
        CompletableFuture<HttpExchange> answer = exchange(client, request, body);
        try {
            return answer.get(readTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw HttpAnswers.timedOut(where, readTimeout);
        } catch (InterruptedException e) {
            // A cancelled attempt (InFlightCalls): the client closes below; keep the thread's status.
            Thread.currentThread().interrupt();
            throw GatewayException.transientFailure(where + " interrupted", null, null);
        } catch (ExecutionException e) {
            throw failure(where, uri, readTimeout, e.getCause());
        } finally {
            // Its one connection goes with it, whatever state the exchange is in.
            client.close();
        }
    }

    /**
     * The system's resolver (what Netty's shared default does), as a group of its own: a client
     * closes its resolver group when it closes, which must not end another exchange's.
     */
    static AddressResolverGroup<InetSocketAddress> systemResolver() {
        return new AddressResolverGroup<>() {
            @Override
            protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
                return new DefaultNameResolver(executor).asAddressResolver();
            }
        };
    }

    private static GatewayException failure(String where, URI uri, Duration readTimeout, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AddressGate.Refused) {
                return new GatewayException(
                        GatewayException.Category.CONFIGURATION,
                        where + " refused: " + t.getMessage(),
                        null,
                        null,
                        null);
            }
            if (t instanceof BufferLengthExceededException || t instanceof ContentLengthExceededException) {
                return HttpAnswers.tooLarge(where);
            }
            // Micronaut's own when no answer starts in time; Netty's when the body stops coming
            // (the client's read-timeout handler fires mid-body and its exception is not wrapped).
            if (t instanceof io.micronaut.http.client.exceptions.ReadTimeoutException
                    || t instanceof io.netty.handler.timeout.ReadTimeoutException) {
                return HttpAnswers.timedOut(where, readTimeout);
            }
        }
        return GatewayException.transientFailure(where + " failed: " + describe(cause, uri), null, null);
    }

    private static MutableHttpRequest<?> request(
            String method, URI uri, String body, Map<String, String> headers, String where) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw GatewayException.permanent(where + ": not an http:// or https:// URL", null);
        }
        HttpMethod m = HttpMethod.parse(method);
        MutableHttpRequest<?> r = m == HttpMethod.CUSTOM
                ? HttpRequest.create(m, uri.toString(), method)
                : HttpRequest.create(m, uri.toString());
        if (body != null) {
            r.header("Content-Type", "application/json");
        }
        r.header("Accept", "application/json, text/plain");
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (CLIENT_HEADERS.contains(h.getKey().toLowerCase(Locale.ROOT))
                    || !h.getKey().chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ':')
                    || h.getValue().chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
                throw HttpAnswers.headerRefused(where, h.getKey());
            }
            r.header(h.getKey(), h.getValue());
        }
        return r;
    }

    /** The answer: its head, then its body read up to the cap, in its declared charset. */
    private static CompletableFuture<HttpExchange> exchange(
            RawHttpClient client, MutableHttpRequest<?> request, String body) {
        CloseableByteBody bytes = body == null
                ? null
                : AvailableByteArrayBody.create(NettyByteBufferFactory.DEFAULT, body.getBytes(StandardCharsets.UTF_8));
        CompletableFuture<HttpResponse<?>> head = new CompletableFuture<>();
        Publisher<? extends HttpResponse<?>> answer = client.exchange(request, bytes, Thread.currentThread());
        answer.subscribe(new Subscriber<HttpResponse<?>>() {
            @Override
            public void onSubscribe(Subscription s) {
                s.request(1);
            }

            @Override
            public void onNext(HttpResponse<?> r) {
                if (!head.complete(r) && r instanceof ByteBodyHttpResponse<?> late) {
                    late.close();
                }
            }

            @Override
            public void onError(Throwable t) {
                head.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                head.completeExceptionally(new IOException("no answer"));
            }
        });
        return head.thenCompose(HttpExchanges::read);
    }

    private static CompletableFuture<HttpExchange> read(HttpResponse<?> r) {
        ByteBodyHttpResponse<?> response = (ByteBodyHttpResponse<?>) r;
        String retryAfter = r.getHeaders().get("Retry-After");
        java.nio.charset.Charset charset = HttpAnswers.charset(r.getHeaders().get("Content-Type"));
        if (response.byteBody().expectedLength().orElse(0) > MAX_RESPONSE_BYTES) {
            response.close();
            return CompletableFuture.failedFuture(new ContentLengthExceededException(
                    MAX_RESPONSE_BYTES, response.byteBody().expectedLength().getAsLong()));
        }
        // Buffered as it arrives, within the client's size limit (maxContentLength): past it the
        // read fails at once (BufferLengthExceededException), it does not wait for the rest.
        return response.byteBody()
                .buffer()
                .thenApply(all -> {
                    try (all) {
                        return new HttpExchange(r.code(), retryAfter, new String(all.toByteArray(), charset));
                    }
                })
                .whenComplete((x, e) -> response.close());
    }

    /** A client for one exchange, on the shared event loop, resolving through {@code resolver}. */
    @SuppressWarnings("deprecation") // the constructor that takes a resolver; the builder keeps that setter internal
    private DefaultHttpClient client(Duration readTimeout, AddressResolverGroup<InetSocketAddress> resolver) {
        Shared shared = shared();
        // No proxy (none is configured here): a proxy resolves names itself, past a gate.
        DefaultHttpClientConfiguration c = new DefaultHttpClientConfiguration();
        c.setFollowRedirects(false);
        c.setConnectTimeout(connectTimeout);
        c.setReadTimeout(readTimeout);
        c.setMaxContentLength(MAX_RESPONSE_BYTES);
        c.setExceptionOnErrorStatus(false);
        // One exchange, one connection: the pool never holds a second one.
        c.getConnectionPoolConfiguration().setMaxConcurrentHttp1Connections(1);
        return new DefaultHttpClient(
                null,
                HttpVersionSelection.forLegacyVersion(HttpVersion.HTTP_1_1),
                c,
                null,
                shared.filters(),
                null,
                null,
                shared.tls(),
                MediaTypeCodecRegistry.of(),
                MessageBodyHandlerRegistry.EMPTY,
                WebSocketBeanRegistry.EMPTY,
                shared.binders(),
                shared.group(),
                NioSocketChannel::new,
                NioDatagramChannel::new,
                new NettyClientCustomizer() {},
                null,
                ConversionService.SHARED,
                resolver);
    }

    /**
     * What every exchange's client shares, built on the first exchange: a worker that has sent
     * nothing yet does not load Netty's client. Two event-loop threads suit the 2-core VM (they
     * only move bytes; callers wait on their own threads); one TLS context (the JDK's trust store;
     * host names are verified against the URL's host, not the address connected to).
     */
    private record Shared(
            EventLoopGroup group,
            HttpClientFilterResolver<ClientFilterResolutionContext> filters,
            RequestBinderRegistry binders,
            ClientSslBuilder tls) {

        static Shared create() {
            NettyClientSslBuilder ssl = new NettyClientSslBuilder(new ResourceResolver());
            SslContext[] context = new SslContext[1];
            return new Shared(
                    new MultiThreadIoEventLoopGroup(
                            2, new DefaultThreadFactory("http-client", true), NioIoHandler.newFactory()),
                    new DefaultHttpClientFilterResolver(null, AnnotationMetadataResolver.DEFAULT, List.of()),
                    new DefaultRequestBinderRegistry(ConversionService.SHARED),
                    (config, versions) -> {
                        synchronized (context) {
                            if (context[0] == null) {
                                context[0] = ssl.build(config, versions);
                            }
                            return context[0];
                        }
                    });
        }
    }

    private Shared shared() {
        Shared s = shared;
        if (s == null) {
            synchronized (this) {
                s = shared;
                if (s == null) {
                    s = Shared.create();
                    shared = s;
                }
            }
        }
        return s;
    }

    /** Stops the event loop; the exchanges' clients are closed as each ends. */
    @PreDestroy
    public void close() {
        Shared s = shared;
        if (s != null) {
            s.group().shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
    }

    /**
     * The root cause, {@code SimpleName: message}. A failed connection says what could not be
     * reached (Netty's connect failures name only the address; a bare ConnectException over a
     * ClosedChannelException or UnresolvedAddressException says nothing at all).
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
        if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
            return name + ": cannot resolve " + uri.getHost();
        }
        if (connect) {
            int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            return "ConnectException: cannot connect to " + uri.getHost() + ":" + port + " (" + name
                    + (m == null ? "" : ": " + m) + ")";
        }
        return m == null ? name : name + ": " + m;
    }
}

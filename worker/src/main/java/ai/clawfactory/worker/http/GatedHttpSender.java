package ai.clawfactory.worker.http;

import ai.clawfactory.core.temporal.TemporalClientSettings;
import ai.clawfactory.worker.config.GatewayConfig;
import ai.clawfactory.worker.config.HttpStepsConfig;
import ai.clawfactory.worker.config.TemporalConfig;
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
import io.netty.resolver.AbstractAddressResolver;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.InetAddress;
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
 * Plain HTTP for {@code http} steps, through Micronaut's low-level (raw) Netty client, to addresses
 * the {@link AddressGate} let through: the client's resolver resolves each host once, checks every
 * address and hands Netty only checked ones, so the check and the connection are one step.
 * <p>
 * Each exchange gets a client of its own on a shared two-thread event loop: closing it closes its
 * connection, which is how a timeout, an interrupt (a cancelled attempt) or an answer over
 * {@link HttpSender#MAX_RESPONSE_BYTES} ends the exchange. Redirects are returned, never followed;
 * the connect timeout is {@code gateway.connect-timeout}, the read timeout bounds the whole exchange.
 * Any status comes back as an {@link HttpExchange}; network faults are transient
 * {@link GatewayException}s, a refused address a configuration one.
 */
@Singleton
public class GatedHttpSender {

    /** Headers the client sets itself: a step setting them would change how the request is framed or routed. */
    private static final Set<String> CLIENT_HEADERS = Set.of(
            "host", "content-length", "transfer-encoding", "connection", "expect", "upgrade", "te", "keep-alive");

    private final AddressGate gate;
    private final Duration connectTimeout;
    private volatile Shared shared;

    @Inject
    public GatedHttpSender(HttpStepsConfig steps, TemporalConfig temporal, GatewayConfig gateway) {
        this(new AddressGate(steps, temporalAddress(temporal), AddressGate.SYSTEM), gateway.connectTimeout());
    }

    public GatedHttpSender(AddressGate gate, Duration connectTimeout) {
        this.gate = gate;
        this.connectTimeout = connectTimeout;
    }

    /** Where the worker connects to Temporal (after a profile and TEMPORAL_ADDRESS), as the gate must know it. */
    private static String temporalAddress(TemporalConfig temporal) {
        try {
            return TemporalClientSettings.fromEnvironment(temporal.address(), temporal.namespace())
                    .address();
        } catch (IllegalArgumentException e) {
            // The connection to Temporal fails with this reason on its own; the configured address still counts.
            return temporal.address();
        }
    }

    public HttpExchange send(String method, URI uri, String body, Map<String, String> headers, Duration readTimeout) {
        String where = method + " " + uri.getPath();
        MutableHttpRequest<?> request = request(method, uri, body, headers, where);
        DefaultHttpClient client = client(readTimeout);
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
            if (t instanceof io.micronaut.http.client.exceptions.ReadTimeoutException) {
                return HttpAnswers.timedOut(where, readTimeout);
            }
        }
        return GatewayException.transientFailure(where + " failed: " + HttpSender.describe(cause, uri), null, null);
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
        return head.thenCompose(GatedHttpSender::read);
    }

    private static CompletableFuture<HttpExchange> read(HttpResponse<?> r) {
        ByteBodyHttpResponse<?> response = (ByteBodyHttpResponse<?>) r;
        String retryAfter = r.getHeaders().get("Retry-After");
        java.nio.charset.Charset charset = HttpAnswers.charset(r.getHeaders().get("Content-Type"));
        if (response.byteBody().expectedLength().orElse(0) > HttpSender.MAX_RESPONSE_BYTES) {
            response.close();
            return CompletableFuture.failedFuture(new ContentLengthExceededException(
                    HttpSender.MAX_RESPONSE_BYTES,
                    response.byteBody().expectedLength().getAsLong()));
        }
        return response.byteBody()
                .buffer()
                .thenApply(all -> {
                    try (all) {
                        return new HttpExchange(r.code(), retryAfter, new String(all.toByteArray(), charset));
                    }
                })
                .whenComplete((x, e) -> response.close());
    }

    /** A client for one exchange, on the shared event loop, resolving through the gate. */
    @SuppressWarnings("deprecation") // the constructor that takes a resolver; the builder keeps that setter internal
    private DefaultHttpClient client(Duration readTimeout) {
        Shared shared = shared();
        // No proxy (none is configured here): a proxy resolves names itself, past the gate.
        DefaultHttpClientConfiguration c = new DefaultHttpClientConfiguration();
        c.setFollowRedirects(false);
        c.setConnectTimeout(connectTimeout);
        c.setReadTimeout(readTimeout);
        c.setMaxContentLength(HttpSender.MAX_RESPONSE_BYTES);
        c.setExceptionOnErrorStatus(false);
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
                new GateResolverGroup(gate));
    }

    /**
     * What every exchange's client shares, built on the first exchange: a worker without http steps
     * never loads Netty's client. Two event-loop threads suit the 2-core VM (they only move bytes;
     * callers wait on their own threads); one TLS context (the JDK's trust store; host names are
     * verified against the URL's host, not the address connected to).
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
                            2, new DefaultThreadFactory("http-step", true), NioIoHandler.newFactory()),
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

    /** Netty's resolver for one client: every address passes the gate, the unresolved and the resolved alike. */
    private static final class GateResolverGroup extends AddressResolverGroup<InetSocketAddress> {

        private final AddressGate gate;

        GateResolverGroup(AddressGate gate) {
            this.gate = gate;
        }

        @Override
        protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
            return new AbstractAddressResolver<>(executor, InetSocketAddress.class) {
                @Override
                protected boolean doIsResolved(InetSocketAddress address) {
                    return false;
                }

                @Override
                protected void doResolve(InetSocketAddress address, Promise<InetSocketAddress> promise) {
                    try {
                        promise.setSuccess(
                                new InetSocketAddress(checked(address).get(0), address.getPort()));
                    } catch (IOException | RuntimeException e) {
                        promise.setFailure(e);
                    }
                }

                @Override
                protected void doResolveAll(InetSocketAddress address, Promise<List<InetSocketAddress>> promise) {
                    try {
                        promise.setSuccess(checked(address).stream()
                                .map(a -> new InetSocketAddress(a, address.getPort()))
                                .toList());
                    } catch (IOException | RuntimeException e) {
                        promise.setFailure(e);
                    }
                }

                private List<InetAddress> checked(InetSocketAddress address) throws IOException {
                    return address.isUnresolved()
                            ? gate.check(address.getHostString(), address.getPort())
                            : gate.check(address.getHostString(), address.getPort(), List.of(address.getAddress()));
                }
            };
        }
    }
}

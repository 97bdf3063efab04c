package ai.clawfactory.worker.http;

import ai.clawfactory.core.temporal.TemporalClientSettings;
import ai.clawfactory.worker.config.HttpStepsConfig;
import ai.clawfactory.worker.config.TemporalConfig;
import io.netty.resolver.AbstractAddressResolver;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Plain HTTP for {@code http} steps, through Micronaut's low-level (raw) Netty client
 * ({@link HttpExchanges}), to addresses the {@link AddressGate} let through: the client's resolver
 * resolves each host once, checks every address and hands Netty only checked ones, so the check
 * and the connection are one step. A refused address is a configuration {@link GatewayException}.
 */
@Singleton
public class GatedHttpSender {

    private final AddressGate gate;
    private final HttpExchanges exchanges;
    /** Whether {@link #close()} stops the exchanges' event loop (not when the context shares it). */
    private final boolean ownsExchanges;

    @Inject
    public GatedHttpSender(HttpStepsConfig steps, TemporalConfig temporal, HttpExchanges exchanges) {
        this(new AddressGate(steps, temporalAddress(temporal), AddressGate.SYSTEM), exchanges, false);
    }

    /** A sender with an event loop of its own, which {@link #close()} stops. */
    public GatedHttpSender(AddressGate gate, Duration connectTimeout) {
        this(gate, new HttpExchanges(connectTimeout), true);
    }

    private GatedHttpSender(AddressGate gate, HttpExchanges exchanges, boolean ownsExchanges) {
        this.gate = gate;
        this.exchanges = exchanges;
        this.ownsExchanges = ownsExchanges;
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
        return exchanges.send(method, uri, body, headers, readTimeout, new GateResolverGroup(gate));
    }

    /** Stops the event loop when it is this sender's own. */
    @PreDestroy
    public void close() {
        if (ownsExchanges) {
            exchanges.close();
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

package ai.clawfactory.schedules;

import ai.clawfactory.core.ExitCode;
import ai.clawfactory.core.Names;
import ai.clawfactory.core.temporal.TemporalClientSettings;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where Temporal is: shared by every command that talks to the server. Temporal's standard client
 * configuration applies (a TOML profile from TEMPORAL_CONFIG_FILE / TEMPORAL_PROFILE, then
 * TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY or TEMPORAL_API_KEY_FILE, TEMPORAL_TLS*);
 * {@code --address} and {@code --namespace} override both.
 */
final class TemporalOptions {

    @Option(
            names = "--address",
            paramLabel = "HOST:PORT",
            description =
                    "Temporal frontend (default: the profile, $TEMPORAL_ADDRESS or " + Names.DEFAULT_ADDRESS + ").")
    String address;

    @Option(
            names = "--namespace",
            paramLabel = "NAME",
            description = "Temporal namespace (default: the profile, $TEMPORAL_NAMESPACE or " + Names.NAMESPACE + ").")
    String namespace;

    @Option(
            names = "--connect-timeout",
            paramLabel = "SECONDS",
            defaultValue = "10",
            description = "How long to wait for the server before giving up (default: ${DEFAULT-VALUE}).")
    int connectTimeoutSeconds;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** The client settings: environment and profile, with the flags on top. */
    TemporalClientSettings settings() {
        Map<String, String> env = new HashMap<>(System.getenv());
        if (address != null && !address.isBlank()) {
            env.put("TEMPORAL_ADDRESS", address);
        }
        if (namespace != null && !namespace.isBlank()) {
            env.put("TEMPORAL_NAMESPACE", namespace);
        }
        try {
            return TemporalClientSettings.load(env, Names.DEFAULT_ADDRESS, Names.NAMESPACE);
        } catch (IllegalArgumentException e) {
            throw new UserException(ExitCode.INVALID.code(), e.getMessage() + " Nothing was changed.");
        }
    }

    /** The name of a connection's event loop thread (with a number after it). */
    static final String LOOP_THREAD = "clawfactory-grpc";

    /** An open connection; close it when done. */
    Connection connect() {
        TemporalClientSettings settings = settings();
        CallCounter calls = new CallCounter();
        if (settings.insecure() != null) {
            // Opened by TEMPORAL_TLS_ALLOW_INSECURE=true: said before anything else, every time.
            command.commandLine().getErr().println("warning: Temporal at " + settings.describe());
        }
        WorkflowServiceStubsOptions options;
        // The connection's own event loop (one thread), stopped by close(): gRPC's shared one outlives the
        // channel by a second, and a thread still waiting in epoll when the JVM exits holds the exit
        // back 300 ms (the VM waits for threads in native code), in every command.
        EventLoopGroup loop = new NioEventLoopGroup(1, new DefaultThreadFactory(LOOP_THREAD, true));
        try {
            options = settings.stubsOptions()
                    .setChannelInitializer(builder -> {
                        if (builder instanceof NettyChannelBuilder netty) {
                            netty.eventLoopGroup(loop).channelType(NioSocketChannel.class);
                        }
                    })
                    .setRpcTimeout(Duration.ofSeconds(15))
                    .setGrpcClientInterceptors(List.of(calls))
                    .build();
        } catch (IllegalArgumentException e) {
            stop(loop);
            throw new UserException(ExitCode.INVALID.code(), e.getMessage() + " Nothing was changed.");
        }
        WorkflowServiceStubs stubs = null;
        try {
            stubs = WorkflowServiceStubs.newServiceStubs(options);
            stubs.connect(Duration.ofSeconds(connectTimeoutSeconds));
        } catch (RuntimeException e) {
            // The channel first (it would go on reconnecting on a stopped loop), then its loop.
            if (stubs != null) {
                stubs.shutdownNow();
                stubs.awaitTermination(5, TimeUnit.SECONDS);
            }
            stop(loop);
            String line =
                    settings.connectFailure(e, Duration.ofSeconds(connectTimeoutSeconds)) + ". Nothing was changed.";
            throw new TemporalUnreachableException(
                    TemporalClientSettings.isCredentialOrTlsFailure(e)
                            ? line
                            : line
                                    + " Start the server (./clawfactory dev, or systemctl start clawfactory-temporal) or point "
                                    + "--address / TEMPORAL_ADDRESS at it.",
                    e);
        }
        String ns = settings.namespace();
        ScheduleClient schedules = ScheduleClient.newInstance(
                stubs,
                ScheduleClientOptions.newBuilder()
                        .setNamespace(ns)
                        .setIdentity(Names.IDENTITY_SCHEDULES)
                        .build());
        WorkflowClient workflows = WorkflowClient.newInstance(
                stubs,
                WorkflowClientOptions.newBuilder()
                        .setNamespace(ns)
                        .setIdentity(Names.IDENTITY_SCHEDULES)
                        .build());
        return new Connection(stubs, schedules, workflows, ns, settings.address(), calls, loop);
    }

    /** Stops an event loop at once (nothing is in flight when a connection closes) and waits for its thread. */
    private static void stop(EventLoopGroup loop) {
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    /**
     * Whether the connection's namespace has a Keyword search attribute of that name (a schedule or run
     * that sets an unknown one is refused). False too when the server will not say.
     */
    boolean keywordRegistered(Connection conn, String name) {
        try {
            OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(settings()
                    .withCredentials(OperatorServiceStubsOptions.newBuilder())
                    .setChannel(conn.stubs().getRawChannel())
                    .validateAndBuildWithDefaults());
            conn.calls().count();
            return operator.blockingStub()
                            .withDeadlineAfter(5, TimeUnit.SECONDS)
                            .listSearchAttributes(ListSearchAttributesRequest.newBuilder()
                                    .setNamespace(conn.namespace())
                                    .build())
                            .getCustomAttributesMap()
                            .get(name)
                    == IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Counts the calls made to Temporal through a connection (what a sync costs the server). */
    static final class CallCounter implements ClientInterceptor {
        private final AtomicInteger calls = new AtomicInteger();

        @Override
        public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
            calls.incrementAndGet();
            return next.newCall(method, options);
        }

        /** One call made on another channel (the operator service's stubs). */
        void count() {
            calls.incrementAndGet();
        }

        int total() {
            return calls.get();
        }
    }

    /** An open connection to one namespace. */
    record Connection(
            WorkflowServiceStubs stubs,
            ScheduleClient schedules,
            WorkflowClient workflows,
            String namespace,
            String address,
            CallCounter calls,
            EventLoopGroup loop)
            implements AutoCloseable {
        @Override
        public void close() {
            stubs.shutdown();
            stubs.awaitTermination(5, TimeUnit.SECONDS);
            stop(loop);
        }
    }
}

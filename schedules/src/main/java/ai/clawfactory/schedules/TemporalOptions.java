package ai.clawfactory.schedules;

import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import picocli.CommandLine.Option;

import java.time.Duration;

/** Where Temporal is: shared by every command that talks to the server. */
final class TemporalOptions {

    static final String IDENTITY = "clawfactory-schedules";

    @Option(names = "--address", paramLabel = "HOST:PORT", defaultValue = "${env:TEMPORAL_ADDRESS:-127.0.0.1:7233}",
            description = "Temporal frontend (default: $TEMPORAL_ADDRESS or ${DEFAULT-VALUE}).")
    String address;

    @Option(names = "--namespace", paramLabel = "NAME", defaultValue = "${env:TEMPORAL_NAMESPACE:-default}",
            description = "Temporal namespace (default: $TEMPORAL_NAMESPACE or ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long to wait for the server before giving up (default: ${DEFAULT-VALUE}).")
    int connectTimeoutSeconds;

    /** An open connection; close it when done. */
    Connection connect() {
        WorkflowServiceStubsOptions options = WorkflowServiceStubsOptions.newBuilder()
                .setTarget(address)
                .setRpcTimeout(Duration.ofSeconds(15))
                .build();
        WorkflowServiceStubs stubs;
        try {
            stubs = WorkflowServiceStubs.newConnectedServiceStubs(options, Duration.ofSeconds(connectTimeoutSeconds));
        } catch (RuntimeException e) {
            throw new TemporalUnreachableException("Cannot reach Temporal at " + address + " within "
                    + connectTimeoutSeconds + " s (" + Failures.rootMessage(e) + "). Nothing was changed. Start the "
                    + "server (./clawfactory dev, or systemctl start clawfactory-temporal) or point --address / "
                    + "TEMPORAL_ADDRESS at it.", e);
        }
        ScheduleClient schedules = ScheduleClient.newInstance(stubs, ScheduleClientOptions.newBuilder()
                .setNamespace(namespace).setIdentity(IDENTITY).build());
        WorkflowClient workflows = WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder()
                .setNamespace(namespace).setIdentity(IDENTITY).build());
        return new Connection(stubs, schedules, workflows, namespace, address);
    }

    /** An open connection to one namespace. */
    record Connection(WorkflowServiceStubs stubs, ScheduleClient schedules, WorkflowClient workflows,
                      String namespace, String address) implements AutoCloseable {
        @Override
        public void close() {
            stubs.shutdown();
            stubs.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}

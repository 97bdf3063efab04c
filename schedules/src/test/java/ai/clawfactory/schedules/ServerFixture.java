package ai.clawfactory.schedules;

import ai.clawfactory.testing.TaskQueues;
import ai.clawfactory.testing.TemporalDevServer;
import ai.clawfactory.testing.TemporalDevServerExtension;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleListDescription;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Our own view of the server, through the SDK rather than the CLI under test, plus definition
 * files in a temporary folder, as a JUnit 5 extension on an instance field
 * ({@code @RegisterExtension final ServerFixture t = new ServerFixture();}). Tests share one dev
 * server, so each starts from no schedules, and each has a task queue of its own
 * ({@link #taskQueue()}) that {@link #cli}'s {@code sync} puts the schedules on.
 */
final class ServerFixture implements BeforeEachCallback, AfterEachCallback {

    private final Supplier<String> queue;
    private String ownQueue;
    TemporalDevServer server;
    WorkflowServiceStubs stubs;
    ScheduleClient schedules;
    WorkflowClient workflows;
    Path defs;
    Cli cli;
    private Path dir;

    /** With a task queue of the test's own. */
    ServerFixture() {
        this.queue = () -> ownQueue;
    }

    /** With the task queue of someone else, e.g. the worker process the test runs ({@code WorkerProcesses::taskQueue}). */
    ServerFixture(Supplier<String> taskQueue) {
        this.queue = taskQueue;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        ownQueue = TaskQueues.forTest(context);
        server = TemporalDevServerExtension.server(context);
        stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(server.target())
                .build());
        schedules = ScheduleClient.newInstance(stubs);
        workflows = WorkflowClient.newInstance(stubs);
        dir = Files.createTempDirectory("clawfactory-schedules-it-");
        defs = Files.createDirectories(dir.resolve("definitions"));
        cli = new Cli(server.target(), queue);
        indexHashes(server);
        for (ScheduleListDescription s : schedules.listSchedules().collect(Collectors.toList())) {
            try {
                schedules.getHandle(s.getScheduleId()).delete();
            } catch (RuntimeException e) {
                if (!Failures.isNotFound(e)) {
                    throw e;
                }
            }
        }
    }

    private static final java.util.Set<String> INDEXED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Registers the schedules' hash search attribute in the default namespace, as a deployment does
     * (once per server; an existing one is left as it is).
     */
    private static void indexHashes(TemporalDevServer server) {
        if (INDEXED.add(server.target())) {
            server.temporal(
                    "operator",
                    "search-attribute",
                    "create",
                    "--name",
                    ai.clawfactory.core.Names.SEARCH_ATTRIBUTE_SPEC_HASH,
                    "--type",
                    "Keyword");
        }
    }

    /** The task queue the test's schedules start their runs on. */
    String taskQueue() {
        return queue.get();
    }

    /** Writes {@code definitions/<file>} with one wait step and the given schedule block (YAML, 2-space indented). */
    Path define(String file, String workflowName, String scheduleBlock) throws IOException {
        return write(
                file,
                "name: " + workflowName + "\ninput:\n  topic: poems\nsteps:\n  - id: settle\n    wait: 1s\n"
                        + (scheduleBlock == null ? "" : "schedule:\n" + scheduleBlock.indent(2)));
    }

    Path write(String file, String text) throws IOException {
        return Files.writeString(defs.resolve(file), text);
    }

    Optional<ScheduleDescription> describe(String id) {
        try {
            return Optional.of(schedules.getHandle(id).describe());
        } catch (RuntimeException e) {
            if (Failures.isNotFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** A schedule made by hand (no memo), as someone would in the Web UI. */
    void createByHand(String id) {
        schedules.createSchedule(
                id,
                Schedule.newBuilder()
                        .setAction(ScheduleActionStartWorkflow.newBuilder()
                                .setWorkflowType("HandMadeWorkflow")
                                .setOptions(WorkflowOptions.newBuilder()
                                        .setWorkflowId(id)
                                        .setTaskQueue("elsewhere")
                                        .build())
                                .build())
                        .setSpec(ScheduleSpec.newBuilder()
                                .setIntervals(List.of(new ScheduleIntervalSpec(Duration.ofHours(1))))
                                .build())
                        .setPolicy(SchedulePolicy.newBuilder()
                                .setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP)
                                .build())
                        .build(),
                ScheduleOptions.newBuilder().build());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (stubs != null) {
            stubs.shutdownNow();
        }
        if (dir != null) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(java.io.File::delete);
            } catch (IOException e) {
                // best effort: a temporary folder
            }
        }
    }
}

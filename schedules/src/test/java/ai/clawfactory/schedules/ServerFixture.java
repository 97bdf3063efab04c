package ai.clawfactory.schedules;

import ai.clawfactory.testing.TemporalDevServer;
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
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Our own view of the server, through the SDK rather than the CLI under test, plus definition
 * files in a temporary folder. Tests share one dev server, so each starts from no schedules.
 */
final class ServerFixture implements AutoCloseable {

    final TemporalDevServer server;
    final WorkflowServiceStubs stubs;
    final ScheduleClient schedules;
    final WorkflowClient workflows;
    final Path defs;
    final Cli cli;

    ServerFixture(TemporalDevServer server, Path dir) throws IOException {
        this.server = server;
        this.stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(server.target()).build());
        this.schedules = ScheduleClient.newInstance(stubs);
        this.workflows = WorkflowClient.newInstance(stubs);
        this.defs = Files.createDirectories(dir.resolve("definitions"));
        this.cli = new Cli(server.target());
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

    /** Writes {@code definitions/<file>} with one wait step and the given schedule block (YAML, 2-space indented). */
    Path define(String file, String workflowName, String scheduleBlock) throws IOException {
        return write(file, "name: " + workflowName + "\ninput:\n  topic: poems\nsteps:\n  - id: settle\n    wait: 1s\n"
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
        schedules.createSchedule(id, Schedule.newBuilder()
                .setAction(ScheduleActionStartWorkflow.newBuilder().setWorkflowType("HandMadeWorkflow")
                        .setOptions(WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue("elsewhere").build()).build())
                .setSpec(ScheduleSpec.newBuilder().setIntervals(List.of(new ScheduleIntervalSpec(Duration.ofHours(1)))).build())
                .setPolicy(SchedulePolicy.newBuilder().setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP).build())
                .build(), ScheduleOptions.newBuilder().build());
    }

    @Override
    public void close() {
        stubs.shutdownNow();
    }
}

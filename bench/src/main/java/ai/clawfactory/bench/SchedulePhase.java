package ai.clawfactory.bench;

import static ai.clawfactory.bench.Harness.WORKER;

import com.google.protobuf.Timestamp;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An interval schedule made by {@code schedules sync}: from each run's scheduled time to the gateway receiving its turn. */
final class SchedulePhase {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulePhase.class);

    private final Harness h;

    SchedulePhase(Harness h) {
        this.h = h;
    }

    Results.ScheduleLatency run() throws Exception {
        int firings = h.plan.firings();
        h.gateway.reset();
        // Schedules start runs on the task queue clawfactory; no other phase uses it.
        try (BenchProcess w = h.launch(WORKER, h.unitFlags(), true, "clawfactory")) {
            h.awaitFirstPoll(w, "clawfactory");
            runSchedules("sync");
            // One firing more than measured: the first turn after start-up pays for first uses (HTTP
            // connection, serializers, JIT), which a schedule's later runs do not.
            Harness.await(
                    firings + 1 + " scheduled runs to reach the gateway",
                    Duration.ofSeconds(firings * 3L + 60),
                    w,
                    () -> h.gateway.count("bench-tick-") > firings);
            runSchedules("delete", "bench-tick");
        }
        // Split each latency at the run's start: before it the server's scheduler, after it the worker.
        List<Long> total = new ArrayList<>();
        List<Long> server = new ArrayList<>();
        List<Long> worker = new ArrayList<>();
        List<StubGateway.Turn> turns = h.gateway.turns("bench-tick-");
        for (StubGateway.Turn t : turns.subList(1, firings + 1)) {
            // A scheduled run's id is the schedule's workflowId plus the scheduled time (RFC 3339).
            String when = t.message().substring("bench-tick-".length());
            Instant scheduled;
            try {
                scheduled = OffsetDateTime.parse(when).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalStateException("unexpected scheduled workflow id " + t.message(), e);
            }
            Timestamp started = h.stubs
                    .blockingStub()
                    .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                            .setNamespace(Harness.NAMESPACE)
                            .setExecution(WorkflowExecution.newBuilder()
                                    .setWorkflowId(t.message())
                                    .build())
                            .build())
                    .getWorkflowExecutionInfo()
                    .getStartTime();
            Instant start = Instant.ofEpochSecond(started.getSeconds(), started.getNanos());
            total.add(Duration.between(scheduled, t.receivedAt()).toMillis());
            server.add(Duration.between(scheduled, start).toMillis());
            worker.add(Duration.between(start, t.receivedAt()).toMillis());
        }
        LOG.info(
                "Schedule latency over {} firings: p50 {} ms, p99 {} ms (server's scheduler p50 {} / p99 {} ms; worker p50 {} / p99 {} ms)",
                total.size(),
                Stats.percentile(total, 50),
                Stats.percentile(total, 99),
                Stats.percentile(server, 50),
                Stats.percentile(server, 99),
                Stats.percentile(worker, 50),
                Stats.percentile(worker, 99));
        return new Results.ScheduleLatency(
                total.size(),
                "1s",
                total,
                Stats.percentile(total, 50),
                Stats.percentile(total, 99),
                Stats.percentile(total, 100),
                server,
                Stats.percentile(server, 50),
                Stats.percentile(server, 99),
                worker,
                Stats.percentile(worker, 50),
                Stats.percentile(worker, 99));
    }

    private void runSchedules(String... args) throws InterruptedException {
        List<String> cmd =
                new ArrayList<>(List.of("-jar", h.programs.schedulesJar().toString()));
        cmd.addAll(Arrays.asList(args));
        Map<String, String> env = Map.of(
                "TEMPORAL_ADDRESS",
                h.server.target(),
                "DEFINITIONS_DIR",
                h.work.resolve("definitions").toString());
        BenchProcess p = h.java(cmd, env, "schedules-" + args[0]);
        int code = p.awaitExit(120);
        if (code != 0) {
            throw new IllegalStateException(
                    "schedules " + String.join(" ", args) + " exited with " + code + ":\n" + p.log());
        }
    }
}

package ai.clawfactory.api.events;

import ai.clawfactory.api.problem.ApiProblem;
import ai.clawfactory.api.problem.Problem;
import ai.clawfactory.api.runs.RunIds;
import ai.clawfactory.api.runs.Runs;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.MetricsTag;
import io.temporal.serviceclient.WorkflowServiceStubs;
import jakarta.annotation.PreDestroy;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * {@code GET /api/v1/runs/{id}/events}: the run's step events as Server-Sent Events, read from
 * its history and then long-polled (GetWorkflowExecutionHistory with waitNewEvent), each with the
 * history event id as its SSE {@code id:}. {@code Last-Event-ID} (or {@code ?after=}) resumes
 * after that event: every event once, none skipped. The stream ends after {@code run.ended}.
 * At most {@code api.max-streams} streams at once (each holds one thread of its own); more get 429.
 * A {@code keepalive} event without an id follows every quiet long poll, so proxies keep the
 * connection open and a gone client is noticed.
 */
@Controller("/api/v1/runs")
@Tag(name = "runs")
@ExecuteOn(TaskExecutors.BLOCKING)
final class EventsController {

    private static final Logger LOG = LoggerFactory.getLogger(EventsController.class);

    /** Longer than the server's long poll (about 20 s), so a quiet poll returns empty rather than failing. */
    private static final long LONG_POLL_SECONDS = 70;

    /** What a quiet poll sends: no id, so Last-Event-ID stays on the last real event. */
    record Keepalive(String at) {}

    private final WorkflowServiceStubs stubs;
    private final WorkflowClient client;
    private final Runs runs;
    private final Semaphore streams;
    private final ExecutorService pollers;

    EventsController(
            WorkflowServiceStubs stubs,
            WorkflowClient client,
            Runs runs,
            @Value("${api.max-streams:8}") int maxStreams) {
        this.stubs = stubs;
        this.runs = runs;
        this.client = client;
        this.streams = new Semaphore(maxStreams);
        AtomicInteger n = new AtomicInteger();
        this.pollers = Executors.newFixedThreadPool(maxStreams, r -> {
            Thread t = new Thread(r, "events-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void close() {
        pollers.shutdownNow();
    }

    @Get(uri = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM)
    @Operation(
            summary = "Follow a run's events",
            description = "Server-Sent Events: run.started, step.scheduled, step.started, step.attemptFailed,"
                    + " step.waiting (with until; retry: true for the backoff before the next attempt), step.waited,"
                    + " step.waitSkipped, step.completed, step.canceled, run.signaled, approval.requested (with until),"
                    + " approval.decided (status approved or rejected), approval.timedOut, run.ended. Each event's id is its"
                    + " history event id; reconnect with Last-Event-ID to resume without a gap or a repeat.")
    @ApiResponse(
            responseCode = "200",
            description = "The stream",
            content =
                    @Content(
                            mediaType = MediaType.TEXT_EVENT_STREAM,
                            schema = @Schema(implementation = StepEvent.class)))
    @ApiResponse(
            responseCode = "400",
            description = "Last-Event-ID is not an event id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "404",
            description = "No such run",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(
            responseCode = "429",
            description = "Too many streams open",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    Publisher<Event<Object>> events(
            @PathVariable String id,
            @Parameter(description = "The id of the last event received; the stream resumes after it")
                    @Header("Last-Event-ID")
                    @Nullable
                    String lastEventId) {
        long after = after(lastEventId);
        WorkflowExecution execution = execution(id);
        if (!streams.tryAcquire()) {
            throw ApiProblem.of(
                    HttpStatus.TOO_MANY_REQUESTS,
                    "too-many-streams",
                    "Too many event streams",
                    "Every event stream this API holds is in use (API_MAX_STREAMS). Close one, or retry in a while.",
                    null);
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                streams.release();
            }
        };
        return Flux.create(
                sink -> {
                    AtomicBoolean gone = new AtomicBoolean();
                    sink.onDispose(() -> {
                        gone.set(true);
                        release.run();
                    });
                    try {
                        pollers.execute(() -> follow(execution, after, sink, gone));
                    } catch (RuntimeException e) {
                        sink.error(e);
                    }
                },
                FluxSink.OverflowStrategy.BUFFER);
    }

    /** Reads the history from its start and follows it until the run ends or the client goes. */
    private void follow(WorkflowExecution execution, long after, FluxSink<Event<Object>> sink, AtomicBoolean gone) {
        HistoryReader reader = new HistoryReader(client.getOptions().getDataConverter());
        ByteString token = ByteString.EMPTY;
        long seen = after;
        try {
            while (!gone.get()) {
                GetWorkflowExecutionHistoryResponse r;
                try {
                    r = stubs.blockingStub()
                            // A long poll to the SDK's deadline interceptor too (else it cuts the call at
                            // the 10 s RPC timeout while the server still waits for an event).
                            .withOption(MetricsTag.HISTORY_LONG_POLL_CALL_OPTIONS_KEY, true)
                            .withDeadlineAfter(LONG_POLL_SECONDS, TimeUnit.SECONDS)
                            .getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
                                    .setNamespace(client.getOptions().getNamespace())
                                    .setExecution(execution)
                                    .setNextPageToken(token)
                                    .setWaitNewEvent(true)
                                    .build());
                } catch (StatusRuntimeException e) {
                    if (e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED) {
                        throw e;
                    }
                    // A quiet poll that outlived its deadline: nothing new; poll again from the same place.
                    sink.next(Event.<Object>of(new Keepalive(Instant.now().toString()))
                            .name("keepalive"));
                    continue;
                }
                for (HistoryEvent e : r.getHistory().getEventsList()) {
                    StepEvent event = reader.read(e);
                    if (event != null && e.getEventId() > seen) {
                        sink.next(Event.<Object>of(event)
                                .id(Long.toString(e.getEventId()))
                                .name(event.event()));
                    }
                    seen = Math.max(seen, e.getEventId());
                    if (HistoryReader.closes(e)) {
                        sink.complete();
                        return;
                    }
                }
                if (r.getHistory().getEventsCount() == 0) {
                    sink.next(Event.<Object>of(new Keepalive(Instant.now().toString()))
                            .name("keepalive"));
                }
                token = r.getNextPageToken();
                if (token.isEmpty()) {
                    // The history has no more pages although the run has not ended: read it again.
                    // Events up to 'seen' are read again (to know their steps) but not sent again.
                    reader = new HistoryReader(client.getOptions().getDataConverter());
                }
            }
        } catch (StatusRuntimeException e) {
            if (!gone.get()) {
                LOG.warn(
                        "Event stream of {} ended: Temporal answered {}",
                        execution.getWorkflowId(),
                        e.getStatus().getCode());
                sink.error(e);
            }
        } catch (RuntimeException e) {
            if (!gone.get()) {
                LOG.error("Event stream of {} failed", execution.getWorkflowId(), e);
                sink.error(e);
            }
        }
    }

    private static long after(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return 0;
        }
        try {
            long n = Long.parseLong(lastEventId.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the problem below
        }
        throw ApiProblem.badRequest(
                "Last-Event-ID", "Last-Event-ID is the id of an event this stream sent: a whole number.");
    }

    /** The run's latest execution, pinned so a resumed stream reads the same history. */
    private WorkflowExecution execution(String id) {
        return runs.describe(RunIds.checkRunId(id)).getExecution();
    }
}

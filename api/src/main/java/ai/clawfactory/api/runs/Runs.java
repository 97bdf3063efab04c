package ai.clawfactory.api.runs;

import ai.clawfactory.api.ledger.LedgerTurns;
import ai.clawfactory.api.problem.ApiProblem;
import ai.clawfactory.api.temporal.TemporalErrors;
import ai.clawfactory.api.temporal.TemporalFactory;
import ai.clawfactory.core.Names;
import ai.clawfactory.core.definition.DefinitionFolder;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpStatus;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.HistoryEventFilterType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.query.v1.WorkflowQuery;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.api.workflowservice.v1.RequestCancelWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import jakarta.inject.Singleton;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The Temporal calls behind the runs routes, on the raw service stubs so every option is in
 * sight: a start says whether it started a run or found the key's run; a list pages through
 * visibility; a get reads the description, the {@code status} query and the close event.
 */
@Singleton
public final class Runs {

    /** How long a status query may wait for a worker before the run is shown without its progress. */
    private static final long QUERY_SECONDS = 5;

    private final WorkflowServiceStubs stubs;
    private final String namespace;
    private final DataConverter converter;
    private final String taskQueue;
    private final LedgerTurns ledger;

    Runs(
            WorkflowServiceStubs stubs,
            WorkflowClient client,
            LedgerTurns ledger,
            @Value("${api.task-queue:clawfactory}") String taskQueue) {
        this.stubs = stubs;
        this.ledger = ledger;
        this.namespace = client.getOptions().getNamespace();
        this.converter = client.getOptions().getDataConverter();
        this.taskQueue = taskQueue;
    }

    /** A started (or found) run: its ids and whether this call started it. */
    record Started(String id, String runId, boolean created) {}

    /** What a checked start answers: the run's id, its run id, its type, whether this call started it. */
    public record StartedRun(String id, String runId, String type, boolean created) {}

    /**
     * A start as the API and the MCP server take it: {@code body} is {@code {"type", "input"}},
     * checked strictly against the definition ({@link StartRequest}); {@code idempotencyKey}
     * (optional) names the run, so the same key for the same type returns the same run. Throws an
     * {@link ApiProblem} naming the member at fault.
     */
    public StartedRun startChecked(String body, String idempotencyKey, DefinitionFolder definitions) {
        RunIds.checkKey(idempotencyKey);
        StartRequest request = StartRequest.read(body, definitions);
        String id = RunIds.forStart(request.type(), idempotencyKey);
        Started s = start(id, request.type(), request.input());
        if (!s.created() && !typeOf(id).equals(request.type())) {
            throw ApiProblem.of(
                    HttpStatus.CONFLICT,
                    "key-conflict",
                    "Key in use",
                    "This Idempotency-Key names a run of another type; use a new key.",
                    "Idempotency-Key");
        }
        return new StartedRun(s.id(), s.runId(), request.type(), s.created());
    }

    /**
     * Starts {@code type} as {@code workflowId}; when the id already names a run (the same
     * idempotency key), returns that run: running ones through the conflict policy USE_EXISTING,
     * closed ones through the reuse policy REJECT_DUPLICATE.
     */
    Started start(String workflowId, String type, Map<String, Object> input) {
        StartWorkflowExecutionRequest.Builder request = StartWorkflowExecutionRequest.newBuilder()
                .setNamespace(namespace)
                .setWorkflowId(workflowId)
                .setWorkflowType(WorkflowType.newBuilder().setName(type))
                .setTaskQueue(TaskQueue.newBuilder().setName(taskQueue))
                .setIdentity(TemporalFactory.IDENTITY)
                // A fresh request id: the server answers a repeated one with its first answer (started: true).
                .setRequestId(UUID.randomUUID().toString())
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING);
        if (input != null) {
            Optional<Payloads> payloads = converter.toPayloads(input);
            payloads.ifPresent(request::setInput);
        }
        try {
            StartWorkflowExecutionResponse r = stubs.blockingStub().startWorkflowExecution(request.build());
            return new Started(workflowId, r.getRunId(), r.getStarted());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.ALREADY_EXISTS) {
                WorkflowExecutionInfo info = describe(workflowId);
                return new Started(workflowId, info.getExecution().getRunId(), false);
            }
            throw TemporalErrors.unavailable("starting the run", e);
        }
    }

    /** The type of the run {@code workflowId} names now. */
    String typeOf(String workflowId) {
        return describe(workflowId).getType().getName();
    }

    /** A page of runs, newest first, and the token of the next page ("" when none). */
    public record Page(List<RunView> runs, String nextPageToken) {}

    public Page list(RunFilter filter, int pageSize, String pageToken) {
        ByteString token;
        try {
            token = pageToken == null || pageToken.isEmpty()
                    ? ByteString.EMPTY
                    : ByteString.copyFrom(Base64.getUrlDecoder().decode(pageToken));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(
                    "pageToken", "'pageToken' is not one this API gave out: pass nextPageToken as it came.");
        }
        ListWorkflowExecutionsResponse r;
        try {
            r = stubs.blockingStub()
                    .listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder()
                            .setNamespace(namespace)
                            .setPageSize(pageSize)
                            .setNextPageToken(token)
                            .setQuery(filter.query())
                            .build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
                throw ApiProblem.badRequest(
                        "pageToken", "Temporal refused the page token or the filter: start again without pageToken.");
            }
            throw TemporalErrors.unavailable("listing runs", e);
        }
        List<RunView> runs = r.getExecutionsList().stream()
                .map(i -> RunView.summary(i, converter))
                .toList();
        String next = r.getNextPageToken().isEmpty()
                ? null
                : Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(r.getNextPageToken().toByteArray());
        return new Page(runs, next);
    }

    /**
     * The run's details, as {@code GET /api/v1/runs/{id}} and the MCP tool get_run show them: its
     * progress (running) or its result or failure (closed), and its turns from the ledger.
     */
    public RunView details(String workflowId) {
        RunView view = get(workflowId);
        return view.withTurns(ledger.of(view.id(), view.runId()));
    }

    /** The run with its progress (running) or its result or failure (closed). */
    RunView get(String workflowId) {
        WorkflowExecutionInfo info = describe(workflowId);
        RunView view = RunView.summary(info, converter);
        WorkflowExecution execution = info.getExecution();
        if (info.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
            try {
                var answer = stubs.blockingStub()
                        .withDeadlineAfter(QUERY_SECONDS, TimeUnit.SECONDS)
                        .queryWorkflow(QueryWorkflowRequest.newBuilder()
                                .setNamespace(namespace)
                                .setExecution(execution)
                                .setQuery(WorkflowQuery.newBuilder().setQueryType(Names.QUERY_STATUS))
                                .build());
                Object progress = answer.hasQueryResult()
                        ? converter.fromPayloads(0, Optional.of(answer.getQueryResult()), Object.class, Object.class)
                        : null;
                return view.with(progress, null, null, null);
            } catch (StatusRuntimeException e) {
                return view.with(
                        null,
                        "No worker answered the status query within " + QUERY_SECONDS + " s ("
                                + e.getStatus().getCode() + "); the run's events are at /api/v1/runs/{id}/events.",
                        null,
                        null);
            }
        }
        HistoryEvent close = closeEvent(execution);
        if (close == null) {
            return view;
        }
        switch (close.getEventType()) {
            case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> {
                var a = close.getWorkflowExecutionCompletedEventAttributes();
                Object result = a.hasResult()
                        ? converter.fromPayloads(0, Optional.of(a.getResult()), Object.class, Object.class)
                        : null;
                return view.with(null, null, result, null);
            }
            case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> {
                return view.with(
                        null,
                        null,
                        null,
                        failure(close.getWorkflowExecutionFailedEventAttributes()
                                .getFailure()));
            }
            case EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED -> {
                return view.with(
                        null,
                        null,
                        null,
                        new RunView.FailureView(
                                close.getWorkflowExecutionTerminatedEventAttributes()
                                        .getReason(),
                                "Terminated"));
            }
            case EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED -> {
                return view.with(null, null, null, new RunView.FailureView("The run was canceled.", "Canceled"));
            }
            case EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT -> {
                return view.with(null, null, null, new RunView.FailureView("The run timed out.", "TimedOut"));
            }
            default -> {
                return view;
            }
        }
    }

    /** Asks the run to cancel; 409 when it is closed already. */
    public RunView cancel(String workflowId) {
        WorkflowExecutionInfo info = describe(workflowId);
        if (info.getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
            throw ApiProblem.of(
                    HttpStatus.CONFLICT,
                    "run-closed",
                    "Run already closed",
                    "Run " + workflowId + " is " + RunView.status(info.getStatus())
                            + "; only a running run can be canceled.",
                    "id");
        }
        try {
            stubs.blockingStub()
                    .requestCancelWorkflowExecution(RequestCancelWorkflowExecutionRequest.newBuilder()
                            .setNamespace(namespace)
                            .setWorkflowExecution(info.getExecution())
                            .setIdentity(TemporalFactory.IDENTITY)
                            .setRequestId(UUID.randomUUID().toString())
                            .setReason("canceled through the API")
                            .build());
        } catch (StatusRuntimeException e) {
            throw TemporalErrors.unavailable("canceling the run", e);
        }
        return RunView.summary(info, converter);
    }

    /** The latest run of {@code workflowId}; 404 when there is none. */
    public WorkflowExecutionInfo describe(String workflowId) {
        try {
            return stubs.blockingStub()
                    .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                            .setNamespace(namespace)
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                            .build())
                    .getWorkflowExecutionInfo();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                throw ApiProblem.notFound("id", "No run has the id '" + workflowId + "'. GET /api/v1/runs lists them.");
            }
            throw TemporalErrors.unavailable("reading the run", e);
        }
    }

    private HistoryEvent closeEvent(WorkflowExecution execution) {
        try {
            var events = stubs.blockingStub()
                    .getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
                            .setNamespace(namespace)
                            .setExecution(execution)
                            .setHistoryEventFilterType(HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT)
                            .build())
                    .getHistory()
                    .getEventsList();
            return events.isEmpty() ? null : events.get(events.size() - 1);
        } catch (StatusRuntimeException e) {
            throw TemporalErrors.unavailable("reading the run's result", e);
        }
    }

    /** The failure's own message and type, without its stack trace or causes' traces. */
    static RunView.FailureView failure(Failure f) {
        String type =
                f.hasApplicationFailureInfo() ? f.getApplicationFailureInfo().getType() : null;
        return new RunView.FailureView(f.getMessage(), type == null || type.isEmpty() ? null : type);
    }
}

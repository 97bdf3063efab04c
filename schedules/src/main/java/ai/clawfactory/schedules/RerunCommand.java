package ai.clawfactory.schedules;

import ai.clawfactory.core.ExitCode;
import ai.clawfactory.core.Names;
import ai.clawfactory.core.WebUi;
import ai.clawfactory.core.WorkflowIds;
import ai.clawfactory.core.definition.RerunPlan;
import ai.clawfactory.core.definition.WorkflowDefinition;
import ai.clawfactory.core.logging.LogText;
import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rerun RUN_ID --from STEP}: a new run of the old run's type and definition version, with
 * the old run's input and its results of the steps before STEP carried over (not sent again).
 * Everything is checked before anything starts; the worker checks it again (the memo this writes
 * could be written by anyone who starts runs).
 */
@Command(
        name = "rerun",
        mixinStandardHelpOptions = true,
        description = {
            "Start a new run of a run that has ended, from step STEP: the steps before STEP (in file order) are "
                    + "taken over from the old run as they ended (not sent again), STEP and the steps after it run. "
                    + "Same type, same definition version, same input; linked to the old run (memo "
                    + Names.MEMO_RERUN_OF + ", search attribute " + Names.SEARCH_ATTRIBUTE_RERUN_OF + ").",
            "Exit codes: 0 started, 1 failed, 2 refused (nothing started), 3 Temporal unreachable, 4 no such run."
        })
final class RerunCommand implements Callable<Integer> {

    /** What a run id looks like (a UUID); anything else never reaches a visibility query. */
    static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    @Parameters(index = "0", paramLabel = "RUN_ID", description = "Run id of the run to re-run (the UI shows it).")
    String runId;

    @Option(
            names = "--from",
            required = true,
            paramLabel = "STEP",
            description = "The step to run from; the steps before it are carried over.")
    String from;

    @Option(
            names = "--workflow-id",
            paramLabel = "ID",
            description = "The run's workflow id, where the run id alone is not found (a namespace without "
                    + "visibility for it).")
    String workflowId;

    @Option(
            names = "--definitions",
            paramLabel = "DIR",
            defaultValue = "${env:DEFINITIONS_DIR:-definitions}",
            description = "Folder of *.yaml definitions (default: $DEFINITIONS_DIR or definitions).")
    Path dir;

    @Option(
            names = "--ui-url",
            paramLabel = "URL",
            defaultValue = "${env:ALERTS_UI_URL:-http://localhost:8233}",
            description = "Base of the Web UI link printed for the new run (default: $ALERTS_UI_URL or "
                    + "http://localhost:8233).")
    String uiUrl;

    @Mixin
    TemporalOptions temporal;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!RUN_ID.matcher(runId).matches()) {
            throw refused("'" + LogText.oneLine(runId) + "' is not a run id (letters, digits and '-', as the UI "
                    + "shows it).");
        }
        var definitions = Definitions.load(dir, err).workflows();
        try (var conn = temporal.connect()) {
            WorkflowExecutionMetadata old = find(conn, runId, workflowId);
            WorkflowExecution execution = old.getExecution();
            String oldRun = LogText.oneLine(execution.getWorkflowId()) + " run " + execution.getRunId();
            if (old.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
                throw refused(oldRun + " is still running: re-run it once it has ended (or cancel it first).");
            }
            WorkflowDefinition definition = definitions.get(old.getWorkflowType());
            if (definition == null) {
                throw refused(oldRun + " is a " + LogText.oneLine(old.getWorkflowType()) + ", which no file in " + dir
                        + " declares; nothing to re-run it with.");
            }
            WorkflowStub stub = conn.workflows()
                    .newUntypedWorkflowStub(
                            execution.getWorkflowId(), Optional.of(execution.getRunId()), Optional.empty());
            JsonNode status = status(stub, oldRun);
            String version = status.path("definitionVersion").asText(null);
            if (!definition.version().equals(version)) {
                throw refused(oldRun + " ran version " + LogText.oneLine(version) + " of " + definition.name()
                        + ", which is gone: " + definition.source() + " is now version " + definition.version()
                        + ". Start a new run instead.");
            }
            Map<String, String> statuses = new LinkedHashMap<>();
            status.path("steps")
                    .fields()
                    .forEachRemaining(e ->
                            statuses.put(e.getKey(), e.getValue().path("status").asText(null)));
            RerunPlan plan;
            try {
                plan = RerunPlan.of(definition, from, statuses);
            } catch (IllegalArgumentException e) {
                throw refused("Cannot re-run " + oldRun + ": " + e.getMessage() + ".");
            }

            WorkflowOptions.Builder options = WorkflowOptions.newBuilder()
                    .setWorkflowId(WorkflowIds.rerunWorkflowId(execution.getWorkflowId(), System.currentTimeMillis()))
                    .setTaskQueue(old.getTaskQueue())
                    .setMemo(Map.of(
                            Names.MEMO_RERUN_OF, execution.getWorkflowId(),
                            Names.MEMO_RERUN_OF_RUN, execution.getRunId(),
                            Names.MEMO_RERUN_FROM, plan.from()))
                    .setStaticSummary("re-run of " + execution.getWorkflowId() + " from step " + plan.from());
            boolean linked = temporal.keywordRegistered(conn, Names.SEARCH_ATTRIBUTE_RERUN_OF);
            if (linked) {
                options.setTypedSearchAttributes(SearchAttributes.newBuilder()
                        .set(SearchAttributeKey.forKeyword(Names.SEARCH_ATTRIBUTE_RERUN_OF), execution.getRunId())
                        .build());
            }
            Object input = input(conn, execution);
            WorkflowStub started = conn.workflows().newUntypedWorkflowStub(old.getWorkflowType(), options.build());
            WorkflowExecution now = input == null ? started.start() : started.start(input);

            out.printf(
                    "Re-running %s (%s, version %s) from step %s%n",
                    oldRun, definition.name(), definition.version(), plan.from());
            if (plan.carried().isEmpty()) {
                out.println("Carried over: nothing (STEP is the first step)");
            } else {
                out.println("Carried over from the old run (not sent again):");
                for (String id : plan.carried()) {
                    out.printf("  %-24s %s%n", id, statuses.get(id));
                }
            }
            List<String> again = new ArrayList<>(definition.steps().stream()
                    .map(s -> s.id())
                    .toList()
                    .subList(plan.carried().size(), definition.steps().size()));
            out.println("Runs again: " + String.join(", ", again));
            out.printf("Started %s run %s%n", LogText.oneLine(now.getWorkflowId()), now.getRunId());
            out.println("  " + WebUi.runUrl(uiUrl, conn.namespace(), now.getWorkflowId(), now.getRunId()));
            if (!linked) {
                err.printf(
                        "note: namespace %s lacks the search attribute %s (Keyword), so the new run is linked by its "
                                + "memo only. Register it: temporal operator search-attribute create --namespace %s "
                                + "--name %s --type Keyword%n",
                        conn.namespace(),
                        Names.SEARCH_ATTRIBUTE_RERUN_OF,
                        conn.namespace(),
                        Names.SEARCH_ATTRIBUTE_RERUN_OF);
            }
            return 0;
        }
    }

    /** A run: by workflow id and run id, or by run id alone through visibility (also {@code approve}'s). */
    static WorkflowExecutionMetadata find(TemporalOptions.Connection conn, String runId, String workflowId) {
        if (workflowId != null) {
            try {
                return conn.workflows()
                        .newUntypedWorkflowStub(workflowId, Optional.of(runId), Optional.empty())
                        .describe();
            } catch (WorkflowNotFoundException e) {
                throw new UserException(
                        ExitCode.NOT_FOUND.code(),
                        "No run " + runId + " of workflow " + LogText.oneLine(workflowId) + " in namespace "
                                + conn.namespace() + ".");
            }
        }
        List<WorkflowExecutionMetadata> found = conn.workflows()
                .listExecutions("RunId = '" + runId + "'")
                .limit(2)
                .toList();
        if (found.isEmpty()) {
            throw new UserException(
                    ExitCode.NOT_FOUND.code(),
                    "No run " + runId + " in namespace " + conn.namespace() + " (past its retention, or another "
                            + "namespace?). If the UI shows it, pass its workflow id too: --workflow-id ID.");
        }
        return found.get(0);
    }

    /** The old run's {@code status} query: a closed run answers it too, through a worker's replay. */
    private static JsonNode status(WorkflowStub stub, String oldRun) {
        try {
            return stub.query(Names.QUERY_STATUS, JsonNode.class);
        } catch (RuntimeException e) {
            if (Failures.isUnavailable(e)) {
                throw e;
            }
            throw new UserException(
                    ExitCode.FAILED.code(),
                    "Could not read the step results of " + oldRun + " (its status query: "
                            + LogText.oneLine(Failures.rootMessage(e))
                            + "). A worker answers it: is one running on the run's task queue? Nothing was started.");
        }
    }

    /** The old run's start argument, as it was given (null: none). */
    private static Object input(TemporalOptions.Connection conn, WorkflowExecution execution) {
        Payloads payloads = conn.workflows()
                .fetchHistory(execution.getWorkflowId(), execution.getRunId())
                .getEvents()
                .get(0)
                .getWorkflowExecutionStartedEventAttributes()
                .getInput();
        if (payloads.getPayloadsCount() == 0) {
            return null;
        }
        return conn.workflows()
                .getOptions()
                .getDataConverter()
                .fromPayloads(0, Optional.of(payloads), Object.class, Object.class);
    }

    private static UserException refused(String message) {
        return new UserException(ExitCode.INVALID.code(), message + " Nothing was started.");
    }
}

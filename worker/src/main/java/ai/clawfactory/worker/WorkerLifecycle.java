package ai.clawfactory.worker;

import ai.clawfactory.core.Names;
import ai.clawfactory.worker.alert.AlertWorkflowImpl;
import ai.clawfactory.worker.alert.ReportCheckActivitiesImpl;
import ai.clawfactory.worker.alert.RunReportActivitiesImpl;
import ai.clawfactory.worker.config.CommandsConfig;
import ai.clawfactory.worker.config.TemporalConfig;
import ai.clawfactory.worker.interpreter.DefinitionActivitiesImpl;
import ai.clawfactory.worker.interpreter.InterpreterWorkflow;
import ai.clawfactory.worker.interpreter.RerunActivitiesImpl;
import ai.clawfactory.worker.step.agentturn.AgentTurnActivitiesImpl;
import ai.clawfactory.worker.step.approval.ApprovalActivitiesImpl;
import ai.clawfactory.worker.step.command.CommandActivitiesImpl;
import ai.clawfactory.worker.step.httpcall.HttpCallActivitiesImpl;
import ai.clawfactory.worker.step.wake.WakeActivitiesImpl;
import ai.clawfactory.worker.temporal.TemporalConnection;
import ai.clawfactory.worker.temporal.WorkflowThreads;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the interpreter and activities on the task queue, starts polling when the application
 * starts, and drains on shutdown: polling stops at once, in-flight activities get
 * {@code drainTimeout} to finish.
 */
@Singleton
@Requires(property = "clawfactory.worker.enabled", notEquals = "false")
public class WorkerLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerLifecycle.class);

    private final BeanProvider<WorkerFactory> factoryProvider;
    private final TemporalConfig config;
    private final TemporalConnection connection;
    private final AgentTurnActivitiesImpl agentTurns;
    private final HttpCallActivitiesImpl httpCalls;
    private final WakeActivitiesImpl wakes;
    private final CommandActivitiesImpl commands;
    private final CommandsConfig commandsConfig;
    private final DefinitionActivitiesImpl definitions;
    private final RunReportActivitiesImpl reports;
    private final ReportCheckActivitiesImpl reportChecks;
    private final RerunActivitiesImpl reruns;
    private final ApprovalActivitiesImpl approvals;

    private final boolean virtualThreads;

    private WorkerFactory factory;

    /**
     * The activities and the connection this worker registers; when each is built is
     * {@link Startup}'s order, not this list's. The factory, which needs the connection, is made
     * only when polling starts.
     */
    WorkerLifecycle(
            TemporalConnection connection,
            TemporalConfig config,
            AgentTurnActivitiesImpl agentTurns,
            HttpCallActivitiesImpl httpCalls,
            WakeActivitiesImpl wakes,
            CommandActivitiesImpl commands,
            CommandsConfig commandsConfig,
            DefinitionActivitiesImpl definitions,
            RunReportActivitiesImpl reports,
            ReportCheckActivitiesImpl reportChecks,
            RerunActivitiesImpl reruns,
            ApprovalActivitiesImpl approvals,
            BeanProvider<WorkerFactory> factoryProvider,
            @Value("${temporal.worker.virtual-threads:true}") boolean virtualThreads) {
        this.factoryProvider = factoryProvider;
        this.virtualThreads = WorkflowThreads.virtual(virtualThreads);
        this.config = config;
        this.connection = connection;
        this.agentTurns = agentTurns;
        this.httpCalls = httpCalls;
        this.wakes = wakes;
        this.commands = commands;
        this.commandsConfig = commandsConfig;
        this.definitions = definitions;
        this.reports = reports;
        this.reportChecks = reportChecks;
        this.reruns = reruns;
        this.approvals = approvals;
    }

    /** Registers the workflows and activities and starts polling: the last step of {@link Startup}. */
    void start() {
        factory = factoryProvider.get();
        TemporalConfig.WorkerSizing sizing = config.worker();
        String agent = commandsConfig.agentName();
        if (agent != null) {
            // An agent host: command steps with host: NAME, nothing else (docs/DEFINITIONS.md, "Command steps").
            String queue = Names.AGENT_TASK_QUEUE_PREFIX + agent;
            factory.newWorker(
                            queue,
                            WorkerOptions.newBuilder()
                                    .setMaxConcurrentActivityExecutionSize(sizing.maxConcurrentActivities())
                                    .setMaxConcurrentActivityTaskPollers(sizing.activityPollers())
                                    .build())
                    .registerActivitiesImplementations(commands);
            factory.start();
            LOG.info(
                    "Agent host '{}' polling task queue '{}' on {} for command steps",
                    agent,
                    queue,
                    connection.settings().describe());
            return;
        }
        Worker worker = factory.newWorker(
                config.taskQueue(),
                WorkerOptions.newBuilder()
                        .setMaxConcurrentActivityExecutionSize(sizing.maxConcurrentActivities())
                        .setMaxConcurrentWorkflowTaskExecutionSize(sizing.maxConcurrentWorkflowTasks())
                        .setMaxConcurrentLocalActivityExecutionSize(sizing.maxConcurrentLocalActivities())
                        .setMaxConcurrentWorkflowTaskPollers(sizing.workflowPollers())
                        .setMaxConcurrentActivityTaskPollers(sizing.activityPollers())
                        .build());
        worker.registerWorkflowImplementationTypes(InterpreterWorkflow.class, AlertWorkflowImpl.class);
        worker.registerActivitiesImplementations(
                agentTurns, httpCalls, wakes, commands, definitions, reports, reportChecks, reruns, approvals);
        factory.start();
        LOG.info(
                "Worker polling task queue '{}' on {}; workflow types: {}; {} workflow threads",
                config.taskQueue(),
                connection.settings().describe(),
                String.join(", ", definitions.knownTypes()),
                WorkflowThreads.describe(virtualThreads));
    }

    @PreDestroy
    void stop() {
        if (factory == null) {
            return; // start-up stopped before polling (Temporal unreachable): nothing to drain
        }
        LOG.info(
                "Stopping: no new tasks; waiting up to {} s for in-flight activities",
                config.drainTimeout().toSeconds());
        factory.shutdown();
        factory.awaitTermination(config.drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (!factory.isTerminated()) {
            LOG.warn("Drain time over; stopping with activities still running (Temporal retries them elsewhere)");
            factory.shutdownNow();
        }
        LOG.info("Worker stopped");
    }
}

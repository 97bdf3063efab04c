package ai.clawfactory.worker;

import ai.clawfactory.worker.config.SettingsCheck;
import ai.clawfactory.worker.definition.DefinitionRegistry;
import ai.clawfactory.worker.ledger.StaleAttemptReconciler;
import ai.clawfactory.worker.observe.ObserveServer;
import ai.clawfactory.worker.temporal.TemporalConnection;
import io.micronaut.context.ApplicationContext;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's start-up, one named step after another, in the order an operator reads in the log
 * and a failure stops at: a setting not of its type is refused before anything is reached; the
 * metrics endpoint answers (its port checked) before Temporal is waited for; the connection to
 * Temporal is opened on a thread of its own and is reached while the definitions and the ledger
 * are read; the worker starts polling last. Each step gets its beans from the context, so what
 * runs when is this list, not the order of a constructor's parameters.
 */
final class Startup {

    private static final Logger LOG = LoggerFactory.getLogger(Startup.class);

    /** One step: its name (in the log) and what it does with the context. */
    record Step(String name, Consumer<ApplicationContext> run) {}

    static final List<Step> STEPS = List.of(
            new Step("settings", c -> c.getBean(SettingsCheck.class)),
            new Step("metrics endpoint", c -> c.getBean(ObserveServer.class)),
            new Step("Temporal connection (opened on its own thread)", c -> c.getBean(TemporalConnection.class)),
            new Step("definitions", c -> c.getBean(DefinitionRegistry.class)),
            new Step("ledger (attempts a stopped worker left running)", c -> c.getBean(StaleAttemptReconciler.class)),
            new Step(
                    "worker (waits for the connection, then polls)",
                    c -> c.getBean(WorkerLifecycle.class).start()));

    private Startup() {}

    /** Runs every step in order; the first that throws stops start-up (the caller reports it). */
    static void run(ApplicationContext context) {
        for (Step step : STEPS) {
            long t0 = System.nanoTime();
            step.run().accept(context);
            LOG.debug("Start-up: {} in {} ms", step.name(), (System.nanoTime() - t0) / 1_000_000);
        }
    }
}

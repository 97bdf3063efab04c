package ai.clawfactory.worker;

import ai.clawfactory.core.ExitCode;
import ai.clawfactory.core.definition.DefinitionException;
import ai.clawfactory.worker.config.TemporalConfig;
import ai.clawfactory.worker.ledger.TurnsCommand;
import ai.clawfactory.worker.temporal.DisconnectLogFilter;
import ai.clawfactory.worker.temporal.TemporalUnreachableException;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.exceptions.BeanInstantiationException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker: {@code java -jar clawfactory-worker.jar} runs until SIGTERM / Ctrl-C;
 * {@code java -jar clawfactory-worker.jar turns [--workflow ID] [--limit N]} prints the ledger.
 */
public final class Application {

    private static final Logger LOG = LoggerFactory.getLogger(Application.class);

    /** Beyond the drain timeout, how long closing the rest (ledger, connection) may take before the JVM halts. */
    static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private Application() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("turns")) {
            System.exit(TurnsCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        int code = runWorker(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Starts the worker and blocks until the JVM is asked to stop; returns the exit code. */
    static int runWorker(String[] args) {
        long t0 = System.nanoTime();
        // The hook is registered before the context starts: a stop signal that arrives while it is
        // starting (the worker may already poll) must still close it, and registering a hook once
        // the JVM is stopping would throw. Whoever sees the other first closes the context.
        Stop stop = new Stop();
        Runtime.getRuntime().addShutdownHook(new Thread(stop::onShutdown, "shutdown"));
        ApplicationContext context;
        try {
            context = start(
                    ApplicationContext.builder(Application.class).args(args).deduceEnvironment(false));
        } catch (RuntimeException e) {
            stop.startFailed();
            return startupFailure(e);
        }
        LOG.info("Started in {} ms", (System.nanoTime() - t0) / 1_000_000);
        StartupHeap.release();
        Duration drain = context.findBean(TemporalConfig.class)
                .map(TemporalConfig::drainTimeout)
                .orElse(Duration.ofSeconds(60));
        StopSignals.install(drain.plus(STOP_GRACE));
        stop.started(context);
        stop.awaitStopped();
        return 0;
    }

    /**
     * Starts the context, then the worker's {@link Startup} steps in their order; a step that fails
     * closes what was started and throws (for {@link #startupFailure} to report).
     */
    static ApplicationContext start(ApplicationContextBuilder builder) {
        ApplicationContext context = builder.start();
        try {
            Startup.run(context);
            return context;
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /** The context's close, by the shutdown hook or, when the stop came during start, by main. */
    private static final class Stop {
        private final CountDownLatch stopped = new CountDownLatch(1);
        private ApplicationContext context;
        private boolean stopping;

        void onShutdown() {
            DisconnectLogFilter.stopping();
            ApplicationContext running;
            synchronized (this) {
                stopping = true;
                running = context;
            }
            if (running != null) {
                close(running);
            }
            // Still starting: main closes the context once it is up (the JVM waits for this hook).
            awaitStopped();
        }

        void started(ApplicationContext started) {
            boolean closeNow;
            synchronized (this) {
                context = started;
                closeNow = stopping;
            }
            if (closeNow) {
                close(started);
            }
        }

        void startFailed() {
            stopped.countDown();
        }

        private void close(ApplicationContext c) {
            try {
                c.close();
            } finally {
                stopped.countDown();
            }
        }

        void awaitStopped() {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static int startupFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TemporalUnreachableException) {
                LOG.error(t.getMessage());
                return ExitCode.UNREACHABLE.code();
            }
            if (t instanceof DefinitionException) {
                LOG.error(t.getMessage());
                return ExitCode.INVALID.code();
            }
        }
        if (e instanceof BeanInstantiationException) {
            // A setting refused by our own check (GATEWAY_URL, GATEWAY_KIND, the config records' Settings checks
            // such as WORKER_WORKFLOW_POLLERS, …): its one line, not Micronaut's bean path.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof IllegalArgumentException
                        || t.getClass() == io.micronaut.context.exceptions.ConfigurationException.class) {
                    LOG.error("Cannot start: {}", t.getMessage());
                    return ExitCode.INVALID.code();
                }
            }
            LOG.error("Cannot start: {}", e.getMessage());
            return ExitCode.INVALID.code();
        }
        LOG.error("Cannot start", e);
        return ExitCode.FAILED.code();
    }
}

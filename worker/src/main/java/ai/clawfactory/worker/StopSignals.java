package ai.clawfactory.worker;

import ai.clawfactory.core.ExitCode;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * How the worker stops, however the signal arrives (systemd's SIGTERM, a terminal's Ctrl-C, a
 * second Ctrl-C from an impatient operator):
 * <ol>
 *   <li>the first SIGTERM or SIGINT starts a graceful stop: polling ends, in-flight turns get the
 *       drain timeout, then the JVM exits 0;</li>
 *   <li>the stop is bounded: if closing has not finished within {@code limit} (drain timeout plus
 *       a grace period, e.g. because Temporal is already gone), the JVM halts;</li>
 *   <li>a second signal halts at once (exit 130), leaving in-flight turns to Temporal's retries
 *       (their idempotency keys make the gateway run each once).</li>
 * </ol>
 * A JVM started in the background by a non-interactive shell inherits SIGINT as ignored and
 * would never see a Ctrl-C; installing the handler here makes both signals behave the same.
 */
final class StopSignals {

    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);

    private static final AtomicInteger SIGNALS = new AtomicInteger();

    private StopSignals() {}

    static void install(Duration limit) {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> onSignal(signal.getName(), limit));
        }
    }

    private static void onSignal(String name, Duration limit) {
        if (SIGNALS.incrementAndGet() == 1) {
            LOG.info(
                    "SIG{} received: stopping gracefully (at most {} s; a second signal stops at once)",
                    name,
                    limit.toSeconds());
            Thread watchdog = new Thread(
                    () -> {
                        try {
                            Thread.sleep(limit.toMillis());
                        } catch (InterruptedException e) {
                            return;
                        }
                        LOG.warn("Stopping took longer than {} s; exiting now", limit.toSeconds());
                        Runtime.getRuntime().halt(ExitCode.FORCED_STOP.code());
                    },
                    "stop-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            // System.exit runs the shutdown hooks (the drain) and blocks: not on the signal thread.
            Thread exit = new Thread(() -> System.exit(0), "stop");
            exit.start();
        } else {
            LOG.warn("SIG{} received again: stopping at once; Temporal retries the turns that were in flight", name);
            Runtime.getRuntime().halt(ExitCode.FORCED_STOP.code());
        }
    }
}

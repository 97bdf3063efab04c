package ai.clawfactory.worker.temporal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Turns the SDK's reaction to a lost Temporal connection into one line. When the server goes
 * away, every poller thread logs a stack trace on every retry (hundreds of lines a minute); the
 * reason is always the same and the SDK keeps retrying with backoff on its own. This filter drops
 * those events and logs one line instead: at most one a minute while the outage lasts, and none
 * at all once the worker is stopping (an expected disconnect). Any other SDK message passes.
 * Installed by the worker's logback.xml (a {@code <turboFilter>}).
 */
public class DisconnectLogFilter extends TurboFilter {

    private static final long QUIET_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger("ai.clawfactory.worker.temporal.Connection");
    private static final AtomicLong LAST_REPORT = new AtomicLong(System.nanoTime() - QUIET_NANOS - 1);
    private static volatile boolean stopping;

    /** From now on a lost connection is expected: it is reported once, quietly. */
    public static void stopping() {
        stopping = true;
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level == null || !level.isGreaterOrEqual(Level.WARN)) {
            return FilterReply.NEUTRAL;
        }
        String name = logger.getName();
        if (!name.startsWith("io.temporal") && !name.startsWith("io.grpc")) {
            return FilterReply.NEUTRAL;
        }
        Throwable thrown = t != null
                ? t
                : params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last
                        ? last
                        : null;
        Status status = connectionStatus(thrown);
        if (status == null) {
            return FilterReply.NEUTRAL;
        }
        long now = System.nanoTime();
        long last = LAST_REPORT.get();
        if (now - last > QUIET_NANOS && LAST_REPORT.compareAndSet(last, now)) {
            String reason = status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
            if (stopping) {
                LOG.info("Temporal connection closed while stopping ({})", reason);
            } else {
                LOG.warn(
                        "Lost the connection to Temporal ({}); the worker keeps retrying with backoff "
                                + "(repeats of this are logged at most once a minute)",
                        reason);
            }
        }
        return FilterReply.DENY;
    }

    /** The gRPC status of a lost connection somewhere in the chain, or null for any other error. */
    static Status connectionStatus(Throwable thrown) {
        for (Throwable c = thrown; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof StatusRuntimeException sre) {
                Status.Code code = sre.getStatus().getCode();
                if (code == Status.Code.UNAVAILABLE || (stopping && code == Status.Code.CANCELLED)) {
                    return sre.getStatus();
                }
                return null;
            }
        }
        return null;
    }
}

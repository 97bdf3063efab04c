package ai.clawfactory.worker.temporal;

import ai.clawfactory.core.logging.OneLineLogging;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * The worker's logging, set up in code (logback's {@link Configurator} service) instead of a
 * logback.xml: the same lines without logback's XML machinery (Joran and a SAX parser, ~370
 * classes at every start; docs/JVM-LEVERS.md). One line per event on stdout (journald adds time
 * and unit), {@code LOG_LEVEL} (environment or system property, default INFO) for our own level,
 * and {@link DisconnectLogFilter} for a lost Temporal connection. With
 * {@code -Dlogback.configurationFile=FILE} logback reads that file instead, as before: declare
 * {@code %escapedMsg} / {@code %escapedEx} there with {@code <conversionRule>} (as
 * schedules/src/main/resources/logback.xml does) to keep one line per event.
 */
public class WorkerLogging extends ContextAwareBase implements Configurator {

    /**
     * One line per event: {@code %escapedMsg} and {@code %escapedEx} ({@link OneLineLogging})
     * write line breaks and other controls in messages as escapes, so text that others chose
     * (a URL path, a signal name) cannot forge a line of its own.
     */
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{24} - %escapedMsg%n%escapedEx";

    /** Levels below the root's INFO. */
    static final Map<String, Level> LEVELS = Map.of(
            "io.temporal", Level.WARN,
            "io.grpc", Level.WARN,
            // The SDK logs every failed activity attempt with a stack trace; AttemptRunner and the
            // interpreter log them in one line instead (and unexpected errors with their trace).
            "io.temporal.internal.activity.ActivityTaskExecutors", Level.ERROR,
            // HTTP traffic is never logged: requests carry the gateway token. The JDK's client
            // (HttpSender) logs nothing unless -Djdk.httpclient.HttpClient.log is set.
            "com.zaxxer.hikari", Level.WARN);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        DisconnectLogFilter disconnects = new DisconnectLogFilter();
        disconnects.setContext(context);
        disconnects.start();
        context.addTurboFilter(disconnects);

        OneLineLogging.register(context);
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
        stdout.setContext(context);
        stdout.setName("STDOUT");
        stdout.setEncoder(encoder);
        stdout.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stdout);
        context.getLogger("ai.clawfactory").setLevel(ownLevel());
        LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** LOG_LEVEL as logback.xml read it: a system property, else the environment; INFO if unset or unknown. */
    static Level ownLevel() {
        String value = System.getProperty("LOG_LEVEL", System.getenv("LOG_LEVEL"));
        return Level.toLevel(value, Level.INFO);
    }
}

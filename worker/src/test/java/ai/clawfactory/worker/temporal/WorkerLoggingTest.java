package ai.clawfactory.worker.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerLoggingTest {

    @Test
    void oneConsoleLinePerEventTheQuietSdkLoggersAndTheDisconnectFilter() {
        LoggerContext context = new LoggerContext();
        WorkerLogging logging = new WorkerLogging();
        logging.setContext(context);
        assertEquals(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, logging.configure(context));

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertEquals(Level.INFO, root.getLevel());
        ConsoleAppender<?> stdout = assertInstanceOf(ConsoleAppender.class, root.getAppender("STDOUT"));
        assertTrue(stdout.isStarted());
        assertEquals(WorkerLogging.PATTERN, ((PatternLayoutEncoder) stdout.getEncoder()).getPattern());
        assertEquals(Level.WARN, context.getLogger("io.temporal").getLevel());
        assertEquals(Level.WARN, context.getLogger("com.zaxxer.hikari").getLevel());
        assertEquals(
                Level.ERROR,
                context.getLogger("io.temporal.internal.activity.ActivityTaskExecutors")
                        .getLevel());
        assertEquals(
                WorkerLogging.ownLevel(), context.getLogger("ai.clawfactory").getLevel());
        assertEquals(1, context.getTurboFilterList().size());
        assertInstanceOf(DisconnectLogFilter.class, context.getTurboFilterList().get(0));
    }

    @Test
    void theWorkerIsConfiguredByIt() {
        // The running test JVM was set up through the service file, not a logback.xml.
        LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        assertInstanceOf(DisconnectLogFilter.class, context.getTurboFilterList().get(0));
        assertEquals(Level.WARN, context.getLogger("io.grpc").getLevel());
    }

    /** What the worker's console appender writes for {@code message} with {@code arg} (and {@code thrown}). */
    private static String written(String message, Object arg, Throwable thrown) {
        LoggerContext context = new LoggerContext();
        WorkerLogging logging = new WorkerLogging();
        logging.setContext(context);
        logging.configure(context);
        Logger logger = context.getLogger("ai.clawfactory.worker.http.HttpSender");
        @SuppressWarnings("unchecked")
        ConsoleAppender<ILoggingEvent> stdout = (ConsoleAppender<ILoggingEvent>)
                context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT");
        LoggingEvent event =
                new LoggingEvent(Logger.class.getName(), logger, Level.WARN, message, thrown, new Object[] {arg});
        return new String(stdout.getEncoder().encode(event), StandardCharsets.UTF_8);
    }

    /** Every character a reader of the log (a terminal, journald, YAML-minded tools) may take as a line end. */
    private static final List<String> BREAKS = List.of("\n", "\r", "\u000B", "\f", "\u0085", "\u2028", "\u2029");

    @Test
    void anArgumentWithLineBreaksIsOneLineWithTheBreaksEscaped() {
        // A decoded URL path or a signal name chosen by a client, forging a second log line.
        String path = "/a\n12:00:00.000 INFO  ai.clawfactory - forged\r\u2028\u0085\u2029\u000B\f\u001b[2Jend";
        String line = written("Cannot reach {}", path, null);
        assertTrue(
                line.endsWith(" - Cannot reach /a\\n12:00:00.000 INFO  ai.clawfactory - forged\\r\\u2028\\u0085"
                        + "\\u2029\\u000b\\u000c\\u001b[2Jend\n"),
                line);
        String body = line.substring(0, line.length() - 1);
        for (String b : BREAKS) {
            assertFalse(body.contains(b), "raw " + (int) b.charAt(0) + " in: " + line);
        }
    }

    @Test
    void anExceptionMessageWithLineBreaksCannotForgeALine() {
        IllegalStateException e = new IllegalStateException(
                "bad\n12:00:00.000 INFO  forged", new RuntimeException("cause\u2028forged too"));
        String text = written("failed: {}", "x", e);
        for (String b : BREAKS.subList(1, BREAKS.size())) {
            assertFalse(text.contains(b), "raw " + (int) b.charAt(0) + " in: " + text);
        }
        List<String> lines = text.lines().toList();
        assertTrue(lines.get(1).startsWith("java.lang.IllegalStateException: bad\\n12:00:00.000 INFO  forged"), text);
        // Below the event's line, only the stack trace's own lines.
        for (String l : lines.subList(2, lines.size())) {
            assertTrue(l.startsWith("\tat ") || l.startsWith("\t... ") || l.startsWith("Caused by: "), l);
        }
        assertTrue(text.contains("Caused by: java.lang.RuntimeException: cause\\u2028forged too"), text);
    }
}

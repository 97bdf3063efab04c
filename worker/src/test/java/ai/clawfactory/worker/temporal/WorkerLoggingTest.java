package ai.clawfactory.worker.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker's logback.xml: one console line per event, the quiet SDK loggers, the disconnect filter, LOG_LEVEL. */
class WorkerLoggingTest {

    /** The line format the worker's logs are read in (tests grep them; journald shows them). */
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{24} - %escapedMsg%n%escapedEx";

    /** The worker's own logback.xml, not one a dependency may bring. */
    private static URL workerXml() {
        URL xml = WorkerLoggingTest.class.getResource("/logback.xml");
        assertTrue(xml != null && xml.getPath().endsWith("/classes/logback.xml"), String.valueOf(xml));
        return xml;
    }

    /** A fresh logger context configured from the worker's logback.xml. */
    private static LoggerContext configured() throws JoranException {
        LoggerContext context = new LoggerContext();
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(context);
        joran.doConfigure(workerXml());
        return context;
    }

    @Test
    void oneConsoleLinePerEventTheQuietSdkLoggersAndTheDisconnectFilter() throws JoranException {
        LoggerContext context = configured();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertEquals(Level.INFO, root.getLevel());
        ConsoleAppender<?> stdout = assertInstanceOf(ConsoleAppender.class, root.getAppender("STDOUT"));
        assertTrue(stdout.isStarted());
        assertEquals("System.out", stdout.getTarget());
        assertEquals(PATTERN, ((PatternLayoutEncoder) stdout.getEncoder()).getPattern());
        assertEquals(Level.WARN, context.getLogger("io.temporal").getLevel());
        assertEquals(Level.WARN, context.getLogger("io.grpc").getLevel());
        assertEquals(Level.WARN, context.getLogger("com.zaxxer.hikari").getLevel());
        assertEquals(Level.INFO, context.getLogger("io.micronaut.http.client").getLevel());
        assertEquals(
                Level.ERROR,
                context.getLogger("io.temporal.internal.activity.ActivityTaskExecutors")
                        .getLevel());
        assertEquals(1, context.getTurboFilterList().size());
        assertInstanceOf(DisconnectLogFilter.class, context.getTurboFilterList().get(0));
    }

    @Test
    void logLevelSetsOurOwnLevelAndInfoIsTheDefaultAndTheFallback() throws JoranException {
        String before = System.getProperty("LOG_LEVEL");
        try {
            System.clearProperty("LOG_LEVEL");
            Level unset = configured().getLogger("ai.clawfactory").getLevel();
            if (System.getenv("LOG_LEVEL") == null) {
                assertEquals(Level.INFO, unset);
            }
            System.setProperty("LOG_LEVEL", "debug");
            LoggerContext debug = configured();
            assertEquals(Level.DEBUG, debug.getLogger("ai.clawfactory").getLevel());
            assertEquals(Level.INFO, debug.getLogger(Logger.ROOT_LOGGER_NAME).getLevel());
            // Not a level's name: INFO, as when unset (logback alone would read it as DEBUG).
            System.setProperty("LOG_LEVEL", "verbose");
            assertEquals(Level.INFO, configured().getLogger("ai.clawfactory").getLevel());
        } finally {
            if (before == null) {
                System.clearProperty("LOG_LEVEL");
            } else {
                System.setProperty("LOG_LEVEL", before);
            }
        }
    }

    @Test
    void theWorkerIsConfiguredByIt() {
        // The running test JVM was set up by logback's own search, which found the worker's file.
        LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        assertInstanceOf(DisconnectLogFilter.class, context.getTurboFilterList().get(0));
        assertEquals(Level.WARN, context.getLogger("io.grpc").getLevel());
    }

    @Test
    void aFileNamedByLogbackConfigurationFileReplacesIt(@TempDir Path dir) throws Exception {
        Path own = dir.resolve("mine.xml");
        Files.writeString(own, """
                <configuration>
                  <appender name="MINE" class="ch.qos.logback.core.ConsoleAppender">
                    <target>System.err</target>
                    <encoder><pattern>%level %msg%n</pattern></encoder>
                  </appender>
                  <root level="WARN"><appender-ref ref="MINE"/></root>
                </configuration>
                """);
        String before = System.getProperty("logback.configurationFile");
        try {
            System.setProperty("logback.configurationFile", own.toString());
            LoggerContext context = new LoggerContext();
            new ContextInitializer(context).autoConfig();
            Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
            assertEquals(Level.WARN, root.getLevel());
            assertInstanceOf(ConsoleAppender.class, root.getAppender("MINE"));
            assertNull(root.getAppender("STDOUT"));
            assertTrue(context.getTurboFilterList().isEmpty());
        } finally {
            if (before == null) {
                System.clearProperty("logback.configurationFile");
            } else {
                System.setProperty("logback.configurationFile", before);
            }
        }
    }

    /** What the worker's console appender writes for {@code message} with {@code arg} (and {@code thrown}). */
    private static String written(String message, Object arg, Throwable thrown) throws JoranException {
        LoggerContext context = configured();
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
    void anArgumentWithLineBreaksIsOneLineWithTheBreaksEscaped() throws JoranException {
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
    void anExceptionMessageWithLineBreaksCannotForgeALine() throws JoranException {
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

package ai.clawfactory.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The CLI's logback.xml writes one line per event, whatever its text holds. */
class LogLinesTest {

    @Test
    void anArgumentWithLineBreaksIsOneLine() throws Exception {
        LoggerContext context = new LoggerContext();
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(context);
        joran.doConfigure(LogLinesTest.class.getResource("/logback.xml"));
        assertTrue(
                new StatusUtil(context).getHighestLevel(0) < Status.WARN,
                () -> context.getStatusManager().getCopyOfStatusList().toString());
        Logger logger = context.getLogger("ai.clawfactory.schedules.Example");
        @SuppressWarnings("unchecked")
        ConsoleAppender<ILoggingEvent> stderr = (ConsoleAppender<ILoggingEvent>)
                context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
        LoggingEvent event = new LoggingEvent(
                Logger.class.getName(),
                logger,
                Level.WARN,
                "job {}",
                new IllegalStateException("bad\nforged"),
                new Object[] {"a\nWARN  forged\r\u2028b"});

        String text = new String(stderr.getEncoder().encode(event), StandardCharsets.UTF_8);

        String first = text.lines().findFirst().orElseThrow();
        assertEquals("WARN  a.c.schedules.Example - job a\\nWARN  forged\\r\\u2028b", first);
        assertTrue(
                text.lines()
                        .skip(1)
                        .findFirst()
                        .orElseThrow()
                        .startsWith("java.lang.IllegalStateException: bad\\nforged"),
                text);
        assertTrue(text.lines().skip(2).allMatch(l -> l.startsWith("\tat ") || l.startsWith("\t... ")), text);
    }
}

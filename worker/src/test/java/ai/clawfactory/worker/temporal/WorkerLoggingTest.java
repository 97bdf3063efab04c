package ai.clawfactory.worker.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
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
}

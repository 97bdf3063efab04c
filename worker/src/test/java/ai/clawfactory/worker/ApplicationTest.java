package ai.clawfactory.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.BeanInstantiationException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

class ApplicationTest {

    @Test
    void aRefusedSettingStopsStartUpWithExitCode2AndItsOwnOneLineMessage() {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger logger = (Logger) LoggerFactory.getLogger(Application.class);
        logger.addAppender(logs);
        try {
            String reason = "GATEWAY_URL 'http://gateway.example.org' is plain http:// to a host that is not loopback";
            int code = Application.startupFailure(new BeanInstantiationException(
                    "Error instantiating bean of type [GatewayClient]\n\nMessage: " + reason
                            + "\nPath Taken: new WorkerLifecycle(…)",
                    new IllegalArgumentException(reason)));
            assertEquals(Application.EXIT_CONFIG, code);
            assertEquals(1, logs.list.size());
            assertEquals("Cannot start: " + reason, logs.list.get(0).getFormattedMessage());
        } finally {
            logger.detachAppender(logs);
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "0   | temporal.worker.workflow-pollers (WORKER_WORKFLOW_POLLERS) must be at least 1, got 0",
                "abc | temporal.worker.workflow-pollers (WORKER_WORKFLOW_POLLERS) is 'abc', not a whole number"
            })
    void aRefusedSettingInTheEnvironmentVariableGivesOneCannotStartLineNamingSettingAndVariable(
            String value, String message, @TempDir Path dir) {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger logger = (Logger) LoggerFactory.getLogger(Application.class);
        logger.addAppender(logs);
        try {
            // The variable, as an operator sets it: application.yml maps it onto the setting.
            RuntimeException refused = assertThrows(
                    RuntimeException.class,
                    () -> ApplicationContext.builder(Application.class)
                            .properties(Map.of(
                                    "WORKER_WORKFLOW_POLLERS",
                                    value,
                                    "definitions.dir",
                                    dir.toString(),
                                    "datasources.default.url",
                                    "jdbc:sqlite:" + dir.resolve("ledger.db"),
                                    "observe.port",
                                    "-1"))
                            .deduceEnvironment(false)
                            .start()
                            .close());
            int code = Application.startupFailure(refused);
            assertEquals(Application.EXIT_CONFIG, code);
            assertEquals(1, logs.list.size());
            assertEquals("Cannot start: " + message, logs.list.get(0).getFormattedMessage());
        } finally {
            logger.detachAppender(logs);
        }
    }
}

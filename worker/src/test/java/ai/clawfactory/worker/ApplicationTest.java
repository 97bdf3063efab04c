package ai.clawfactory.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.ExitCode;
import ai.clawfactory.worker.temporal.TemporalConnection;
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
            assertEquals(ExitCode.INVALID.code(), code);
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
                    () -> Application.start(ApplicationContext.builder(Application.class)
                                    .properties(Map.of(
                                            "WORKER_WORKFLOW_POLLERS",
                                            value,
                                            "definitions.dir",
                                            dir.toString(),
                                            "datasources.default.url",
                                            "jdbc:sqlite:" + dir.resolve("ledger.db"),
                                            "observe.port",
                                            "-1"))
                                    .deduceEnvironment(false))
                            .close());
            int code = Application.startupFailure(refused);
            assertEquals(ExitCode.INVALID.code(), code);
            assertEquals(1, logs.list.size());
            assertEquals("Cannot start: " + message, logs.list.get(0).getFormattedMessage());
        } finally {
            logger.detachAppender(logs);
        }
    }

    /**
     * The start-up's order is its list: the metrics endpoint's port is checked before the
     * connection to Temporal is opened, so a bad port is reported at once, not after the connect
     * timeout (the order of a constructor's parameters used to decide this).
     */
    @Test
    void aBadMetricsPortIsRefusedBeforeTheConnectionToTemporalIsOpened(@TempDir Path dir) {
        try (ApplicationContext context = ApplicationContext.builder(Application.class)
                .properties(Map.of(
                        "definitions.dir",
                        dir.toString(),
                        "datasources.default.url",
                        "jdbc:sqlite:" + dir.resolve("ledger.db"),
                        "observe.port",
                        "70000"))
                .deduceEnvironment(false)
                .start()) {
            RuntimeException refused = assertThrows(RuntimeException.class, () -> Startup.run(context));
            assertEquals(ExitCode.INVALID.code(), Application.startupFailure(refused));
            assertTrue(
                    context.getActiveBeanRegistrations(TemporalConnection.class).isEmpty(),
                    "the connection to Temporal was opened before the metrics port was checked");
        }
    }

    @Test
    void startUpRunsItsStepsInTheDocumentedOrder() {
        assertEquals(
                java.util.List.of(
                        "settings",
                        "metrics endpoint",
                        "Temporal connection (opened on its own thread)",
                        "definitions",
                        "ledger (attempts a stopped worker left running)",
                        "worker (waits for the connection, then polls)"),
                Startup.STEPS.stream().map(Startup.Step::name).toList());
    }
}

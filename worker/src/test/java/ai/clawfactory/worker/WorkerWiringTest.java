package ai.clawfactory.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.clawfactory.core.ExitCode;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micronaut.context.ApplicationContext;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The worker's wiring under {@code @MicronautTest}: the context the jar starts (worker enabled, a
 * real SQLite ledger, an empty definitions folder), with Temporal at an address where nothing
 * listens. Every start-up step before the worker's builds its beans; the worker's (every
 * workflow and activity implementation, then the connection) stops with Temporal unreachable,
 * exit code 3. A bean that cannot be built, or a step out of order, fails here, not on a machine.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerWiringTest implements TestPropertyProvider {

    @TempDir
    static Path dir;

    @Inject
    ApplicationContext context;

    @Override
    public Map<String, String> getProperties() {
        try {
            return Map.of(
                    "definitions.dir",
                            Files.createDirectories(dir.resolve("defs")).toString(),
                    "datasources.default.url", TestContexts.sqliteUrl(dir.resolve("ledger.db")),
                    "observe.port", "-1",
                    "temporal.address", "127.0.0.1:1",
                    "temporal.connect-timeout", "1s");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyStepBuildsItsBeansAndTheWorkerStopsAtAnUnreachableTemporal() {
        for (Startup.Step step : Startup.STEPS.subList(0, Startup.STEPS.size() - 1)) {
            step.run().accept(context);
        }
        Startup.Step worker = Startup.STEPS.get(Startup.STEPS.size() - 1);
        RuntimeException refused =
                assertThrows(RuntimeException.class, () -> worker.run().accept(context));
        assertEquals(ExitCode.UNREACHABLE.code(), Application.startupFailure(refused));

        // Closing what started (as Application does) drains nothing and reports nothing: the worker
        // never polled. (Its stop used to throw here, and Micronaut logged the stack trace.)
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger beans = (Logger) LoggerFactory.getLogger("io.micronaut.context");
        Logger lifecycle = (Logger) LoggerFactory.getLogger(WorkerLifecycle.class);
        beans.addAppender(logs);
        lifecycle.addAppender(logs);
        try {
            context.destroyBean(context.getBean(WorkerLifecycle.class));
        } finally {
            beans.detachAppender(logs);
            lifecycle.detachAppender(logs);
        }
        assertEquals(
                List.of(),
                logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
    }
}

package ai.clawfactory.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micronaut.context.exceptions.BeanInstantiationException;
import org.junit.jupiter.api.Test;
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
}

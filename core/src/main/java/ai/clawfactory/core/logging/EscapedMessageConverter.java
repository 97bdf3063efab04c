package ai.clawfactory.core.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %escapedMsg}: the formatted message, arguments included, on one line ({@link LogText}).
 * Registered by {@link OneLineLogging}; in a logback.xml:
 * {@code <conversionRule conversionWord="escapedMsg" class="ai.clawfactory.core.logging.EscapedMessageConverter"/>}.
 */
public class EscapedMessageConverter extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return LogText.oneLine(super.convert(event));
    }
}

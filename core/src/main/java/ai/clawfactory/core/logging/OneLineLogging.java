package ai.clawfactory.core.logging;

import ch.qos.logback.core.Context;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.pattern.DynamicConverter;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One log event, one line: the conversion words every pattern of ours uses instead of
 * {@code %msg} and {@code %ex}, so that text chosen by others (URL paths, signal names, error
 * bodies) cannot start a line of its own. A logback.xml declares them with
 * {@code <conversionRule>} (see the converters); code that configures logback itself calls
 * {@link #register}.
 */
public final class OneLineLogging {

    /** The message, arguments included, with line breaks and other controls escaped. */
    public static final String MESSAGE = "escapedMsg";
    /** The stack trace, each message in it kept on its line. */
    public static final String THROWABLE = "escapedEx";

    private OneLineLogging() {}

    /** Makes {@code %escapedMsg} and {@code %escapedEx} known to the patterns of {@code context} (as {@code <conversionRule>} does). */
    public static void register(Context context) {
        @SuppressWarnings("unchecked")
        Map<String, Supplier<DynamicConverter<?>>> rules = (Map<String, Supplier<DynamicConverter<?>>>)
                context.getObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS);
        if (rules == null) {
            rules = new HashMap<>();
            context.putObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS, rules);
        }
        rules.put(MESSAGE, EscapedMessageConverter::new);
        rules.put(THROWABLE, EscapedThrowableConverter::new);
    }
}

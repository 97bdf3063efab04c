package ai.clawfactory.core.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import java.util.Arrays;

/**
 * {@code %escapedEx}: a stack trace whose own lines stay lines ({@code at …}, {@code Caused by:})
 * while the messages in it (an exception's message holds whatever its thrower put there) are
 * each kept on their line ({@link LogText}). Registered by {@link OneLineLogging}; in a
 * logback.xml:
 * {@code <conversionRule conversionWord="escapedEx" class="ai.clawfactory.core.logging.EscapedThrowableConverter"/>}.
 */
public class EscapedThrowableConverter extends ThrowableProxyConverter {

    @Override
    protected String throwableProxyToString(IThrowableProxy tp) {
        return super.throwableProxyToString(new Escaped(tp));
    }

    /** A throwable as logback sees it, with its message, its causes' and its suppressed ones' escaped. */
    private record Escaped(IThrowableProxy t) implements IThrowableProxy {

        static IThrowableProxy of(IThrowableProxy t) {
            return t == null ? null : new Escaped(t);
        }

        @Override
        public String getMessage() {
            return LogText.oneLine(t.getMessage());
        }

        @Override
        public String getOverridingMessage() {
            return LogText.oneLine(t.getOverridingMessage());
        }

        @Override
        public String getClassName() {
            return LogText.oneLine(t.getClassName());
        }

        @Override
        public StackTraceElementProxy[] getStackTraceElementProxyArray() {
            return t.getStackTraceElementProxyArray();
        }

        @Override
        public int getCommonFrames() {
            return t.getCommonFrames();
        }

        @Override
        public IThrowableProxy getCause() {
            return of(t.getCause());
        }

        @Override
        public IThrowableProxy[] getSuppressed() {
            IThrowableProxy[] s = t.getSuppressed();
            return s == null ? null : Arrays.stream(s).map(Escaped::of).toArray(IThrowableProxy[]::new);
        }

        @Override
        public boolean isCyclic() {
            return t.isCyclic();
        }
    }
}

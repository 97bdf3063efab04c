package ai.clawfactory.core.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.core.PropertyDefinerBase;

/**
 * {@code LOG_LEVEL} for a logback.xml ({@code <define name="OWN_LEVEL" class=…>}, as the worker's): a
 * system property, else the environment; INFO when unset or not a level's name (logback itself
 * would read an unknown name as DEBUG).
 */
public class LogLevel extends PropertyDefinerBase {

    @Override
    public String getPropertyValue() {
        return Level.toLevel(System.getProperty("LOG_LEVEL", System.getenv("LOG_LEVEL")), Level.INFO)
                .toString();
    }
}

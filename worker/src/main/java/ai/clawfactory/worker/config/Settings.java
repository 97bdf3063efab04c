package ai.clawfactory.worker.config;

/**
 * Checks of configuration values, run in the compact constructors of the config records (no Bean
 * Validation at start-up). A refused value is an {@link IllegalArgumentException} whose message is
 * one line naming the setting and its environment variable (application.yml), what is wrong and
 * what is allowed; {@code Application.startupFailure} prints it as {@code Cannot start: …}.
 */
public final class Settings {

    private Settings() {}

    /** {@code value}, or refused when null (a setting left empty). */
    public static <T> T required(T value, String property, String variable) {
        if (value == null) {
            throw new IllegalArgumentException(name(property, variable) + " must be set");
        }
        return value;
    }

    /** {@code value}, or refused when null, empty or only white space. */
    public static String notBlank(String value, String property, String variable) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name(property, variable)
                    + " must not be blank, got " + (value == null ? "nothing" : "'" + value + "'")
                    + "; unset it for the default");
        }
        return value;
    }

    /** {@code value}, or refused below {@code min}. */
    public static int atLeast(int value, int min, String property, String variable) {
        if (value < min) {
            throw new IllegalArgumentException(
                    name(property, variable) + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    /** {@code value}, or refused outside {@code min..max}. */
    public static int between(int value, int min, int max, String property, String variable) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    name(property, variable) + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    private static String name(String property, String variable) {
        return property + " (" + variable + ")";
    }
}

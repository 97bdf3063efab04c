package ai.clawfactory.core.definition;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the durations people write in definitions: {@code 500ms}, {@code 30s}, {@code 1h30m}, {@code 2d}, ISO {@code PT2H}. */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h|d))+");

    private Durations() {
    }

    /**
     * @throws IllegalArgumentException with a message saying what is accepted
     */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.startsWith("P") || t.startsWith("p")) {
            try {
                return Duration.parse(t.toUpperCase());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(bad(text));
            }
        }
        if (!WHOLE.matcher(t).matches()) {
            throw new IllegalArgumentException(bad(text));
        }
        Duration d = Duration.ZERO;
        Matcher m = PART.matcher(t);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        }
        return d;
    }

    /** Formats a duration the way definitions write it: {@code 2h}, {@code 1h30m}, {@code 500ms}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        long days = d.toDays();
        if (days > 0) {
            sb.append(days).append('d');
        }
        if (d.toHoursPart() > 0) {
            sb.append(d.toHoursPart()).append('h');
        }
        if (d.toMinutesPart() > 0) {
            sb.append(d.toMinutesPart()).append('m');
        }
        if (d.toSecondsPart() > 0) {
            sb.append(d.toSecondsPart()).append('s');
        }
        if (d.toMillisPart() > 0) {
            sb.append(d.toMillisPart()).append("ms");
        }
        return sb.toString();
    }

    private static String bad(String text) {
        return "'" + text + "' is not a duration (write e.g. 30s, 10m, 2h, 1h30m, 1d or ISO-8601 PT2H)";
    }
}

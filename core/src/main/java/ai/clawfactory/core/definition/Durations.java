package ai.clawfactory.core.definition;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the durations people write in definitions: {@code 500ms}, {@code 30s}, {@code 1h30m}, {@code 2d}, ISO {@code PT2H}. */
public final class Durations {

    /**
     * The longest duration a definition may write: ten years. Far below what Java can hold and
     * what Temporal accepts for a timer or a timeout (protobuf durations end near 10,000 years; a
     * workflow task that asks for more fails and retries forever), and longer than any sensible
     * wait, timeout or schedule interval.
     */
    public static final Duration MAX = Duration.ofDays(3650);

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h|d))+");

    private Durations() {}

    /**
     * Parses a duration of at most {@link #MAX}; numbers of any size are refused with a message,
     * never an overflow.
     *
     * @throws IllegalArgumentException with a message saying what is accepted
     */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.trim();
        Duration d;
        if (t.startsWith("P") || t.startsWith("p")) {
            try {
                d = Duration.parse(t.toUpperCase());
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new IllegalArgumentException(bad(text));
            }
            if (d.isNegative()) {
                throw new IllegalArgumentException("'" + text + "' is negative: a duration must be zero or longer");
            }
        } else {
            if (!WHOLE.matcher(t).matches()) {
                throw new IllegalArgumentException(bad(text));
            }
            d = Duration.ZERO;
            Matcher m = PART.matcher(t);
            while (m.find()) {
                // More than 12 digits is more than ten years in any unit (even ms): refuse before parsing.
                String digits = m.group(1).replaceFirst("^0+(?=\\d)", "");
                if (digits.length() > 12) {
                    throw new IllegalArgumentException(tooLong(text));
                }
                long n = Long.parseLong(digits);
                d = d.plus(
                        switch (m.group(2)) {
                            case "ms" -> Duration.ofMillis(n);
                            case "s" -> Duration.ofSeconds(n);
                            case "m" -> Duration.ofMinutes(n);
                            case "h" -> Duration.ofHours(n);
                            default -> Duration.ofDays(n);
                        });
                if (d.compareTo(MAX) > 0) {
                    throw new IllegalArgumentException(tooLong(text));
                }
            }
        }
        if (d.compareTo(MAX) > 0) {
            throw new IllegalArgumentException(tooLong(text));
        }
        return d;
    }

    private static String tooLong(String text) {
        return "'" + text + "' is longer than the longest duration allowed, " + format(MAX)
                + " (ten years; Temporal refuses timers and timeouts far beyond that)";
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

package ai.clawfactory.core.definition;

import ai.clawfactory.core.logging.LogText;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes the small YAML subset a definition needs (block mappings, lists, scalars),
 * deterministically, so the same job always gives the same bytes. Strings are written plain only
 * when they are a simple word (letters, digits and {@code _./@+-}, not a YAML keyword) or a
 * duration, and double-quoted and escaped otherwise: whatever a job's text holds, it stays one
 * scalar. Nothing from a job is written outside a scalar except through {@link #comment}. Used by
 * {@link DefinitionWriter}; the importer's job data reaches a file only through it.
 */
public final class YamlText {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z][A-Za-z0-9_./@+-]*");
    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");
    /** Durations such as 10m or 1h30m: plain strings in YAML (never numbers or dates). */
    private static final Pattern DURATION = Pattern.compile("(?:[0-9]+(?:ms|s|m|h|d))+");

    private static final Set<String> RESERVED =
            Set.of("true", "false", "yes", "no", "on", "off", "null", "y", "n", "~");

    private YamlText() {}

    /** A mapping at the top level, one {@code key: value} per line. */
    public static String document(Map<String, Object> root) {
        StringBuilder sb = new StringBuilder();
        mapping(sb, root, 0);
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static void mapping(StringBuilder sb, Map<String, Object> m, int indent) {
        for (Map.Entry<String, Object> e : m.entrySet()) {
            Object v = e.getValue();
            if (v == null) {
                continue;
            }
            sb.append(" ".repeat(indent)).append(key(e.getKey())).append(':');
            if (v instanceof Map<?, ?> child) {
                sb.append('\n');
                mapping(sb, (Map<String, Object>) child, indent + 2);
            } else if (v instanceof List<?> list) {
                sb.append('\n');
                list(sb, list, indent + 2);
            } else {
                sb.append(' ').append(scalar(v)).append('\n');
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void list(StringBuilder sb, List<?> list, int indent) {
        for (Object item : list) {
            if (item instanceof Map<?, ?> m) {
                // "- " then the first key on the same line, the rest indented under it.
                StringBuilder inner = new StringBuilder();
                mapping(inner, (Map<String, Object>) m, indent + 2);
                sb.append(" ".repeat(indent)).append("- ").append(inner.substring(indent + 2));
            } else {
                sb.append(" ".repeat(indent)).append("- ").append(scalar(item)).append('\n');
            }
        }
    }

    /** A mapping key: plain when it is a simple name (as every key the importer writes is), else quoted. */
    public static String key(String k) {
        return KEY.matcher(k).matches() ? k : quoted(k);
    }

    public static String scalar(Object v) {
        if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Double) {
            return v.toString();
        }
        String s = v.toString();
        if (PLAIN.matcher(s).matches() && !RESERVED.contains(s.toLowerCase())
                || DURATION.matcher(s).matches()) {
            return s;
        }
        return quoted(s);
    }

    /**
     * A double-quoted YAML scalar: {@code "} and {@code \} escaped, and every character that is not
     * printable or could end a line (see {@link LogText#unsafe}) written as a YAML escape, so the
     * file holds printable characters only and the scalar ends where its closing quote is.
     */
    public static String quoted(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            if (cp == '"' || cp == '\\') {
                sb.append('\\').appendCodePoint(cp);
            } else if (LogText.unsafe(cp)) {
                sb.append(LogText.escape(cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.append('"').toString();
    }

    /**
     * One comment line. Its text is shown through {@link LogText#oneLine} (the one rule for text shown on one line: logs, the
     * terminal, comments): nothing in it can end the
     * line early, so nothing in it can become YAML.
     */
    public static String comment(String text) {
        String line = text == null ? "" : LogText.oneLine(text);
        return (line.isEmpty() ? "#" : "# " + line) + "\n";
    }
}

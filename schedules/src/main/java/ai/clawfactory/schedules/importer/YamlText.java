package ai.clawfactory.schedules.importer;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes the small YAML subset a definition needs (block mappings, lists of mappings, scalars),
 * deterministically, so the same job always gives the same bytes. Strings are written plain when
 * that cannot change their meaning, double-quoted otherwise.
 */
final class YamlText {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z][A-Za-z0-9_./@+-]*");
    /** Durations such as 10m or 1h30m: plain strings in YAML (never numbers or dates). */
    private static final Pattern DURATION = Pattern.compile("(?:[0-9]+(?:ms|s|m|h|d))+");

    private static final Set<String> RESERVED =
            Set.of("true", "false", "yes", "no", "on", "off", "null", "y", "n", "~");

    private YamlText() {}

    /** A mapping at the top level, one {@code key: value} per line. */
    static String document(Map<String, Object> root) {
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
            sb.append(" ".repeat(indent)).append(e.getKey()).append(':');
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

    static String scalar(Object v) {
        if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
            return v.toString();
        }
        String s = v.toString();
        if (PLAIN.matcher(s).matches() && !RESERVED.contains(s.toLowerCase())
                || DURATION.matcher(s).matches()) {
            return s;
        }
        return quoted(s);
    }

    /** A double-quoted YAML scalar: every character that needs it escaped. */
    static String quoted(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029 || c == 0xfeff) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** One comment line (newlines in {@code text} become separate comment lines). */
    static String comment(String text) {
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            sb.append(line.isEmpty() ? "#" : "# " + line).append('\n');
        }
        return sb.toString();
    }
}

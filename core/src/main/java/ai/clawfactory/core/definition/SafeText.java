package ai.clawfactory.core.definition;

/**
 * Job data shown on one line of a YAML comment or of the terminal. OpenClaw's agents can write
 * cron jobs, so a name or a note may hold what would end the line (YAML also ends lines at CR,
 * U+0085, U+2028 and U+2029), drive the user's terminal (escape sequences) or hide text
 * (bidirectional overrides): every such character is written as a visible escape instead.
 */
public final class SafeText {

    private SafeText() {}

    /**
     * True for a character that must never appear raw: controls (C0, DEL, C1), format characters
     * (bidirectional controls, U+FEFF, zero-width ones), line and paragraph separators, a lone
     * surrogate, and U+FFFE/U+FFFF (not printable in YAML).
     */
    public static boolean unsafe(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONTROL,
                    Character.FORMAT,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE -> true;
            default -> cp == 0xfffe || cp == 0xffff;
        };
    }

    /** The escape that stands for an unsafe character: {@code \n}, {@code \r}, {@code \t}, {@code \}{@code uXXXX} or {@code \UXXXXXXXX}. */
    public static String escape(int cp) {
        return switch (cp) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> cp > 0xffff ? String.format("\\U%08x", cp) : String.format("\\u%04x", cp);
        };
    }

    /** One line: every {@linkplain #unsafe unsafe} character as its escape; null as the empty string. */
    public static String line(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (unsafe(cp)) {
                sb.append(escape(cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }
}

package ai.clawfactory.core.logging;

/**
 * Text made safe for one log line. A log line carries what others chose (a decoded URL path,
 * a signal name, a gateway's error body): a line break in it would forge a line of its own in
 * the journal, and an escape sequence would drive the terminal that shows it. Every such
 * character is written as a visible escape instead: {@code \n}, {@code \r}, {@code \t},
 * {@code \}{@code uXXXX}. A backslash already in the text stays as it is: the escapes make
 * the characters visible, they are not a reversible encoding.
 */
public final class LogText {

    private LogText() {}

    /**
     * True for a character that must never appear raw in a log line: controls (C0 with tab,
     * line feed and carriage return, DEL, C1 with U+0085), format characters (bidirectional
     * overrides, zero-width ones), the line and paragraph separators U+2028 and U+2029, a lone
     * surrogate, and U+FFFE/U+FFFF.
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

    /** One line: every {@linkplain #unsafe unsafe} character as its {@linkplain #escape escape}; null stays null. */
    public static String oneLine(String s) {
        if (s == null) {
            return null;
        }
        int i = 0;
        while (i < s.length() && !unsafe(s.codePointAt(i))) {
            i += Character.charCount(s.codePointAt(i));
        }
        if (i == s.length()) {
            return s; // the usual case: nothing to escape, nothing copied
        }
        StringBuilder sb = new StringBuilder(s.length() + 16).append(s, 0, i);
        s.codePoints().skip(s.codePointCount(0, i)).forEach(cp -> {
            if (unsafe(cp)) {
                sb.append(escape(cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }
}

package ai.clawfactory.worker.ledger;

/**
 * Text from the ledger made safe for a terminal: the gateway, an endpoint or whoever named a
 * workflow wrote it, and an escape sequence in it would otherwise drive the user's terminal
 * (move the cursor, rewrite lines, set the title, hide text). C0 controls (but tab and, where
 * asked, line feed), DEL, C1 controls and the bidirectional overrides become U+FFFD.
 */
final class TerminalText {

    static final char REPLACEMENT = '\uFFFD';

    private TerminalText() {}

    /** One line: every whitespace run becomes a space, every other control character {@link #REPLACEMENT}. */
    static String line(String s) {
        return s == null ? "" : clean(s.replaceAll("[\\t\\n\\x0B\\f\\r\\u0085\\u2028\\u2029]+", " "), false);
    }

    /** Possibly several lines: line feeds and tabs stay, a CR-LF becomes a line feed, other controls are replaced. */
    static String block(String s) {
        return s == null ? "" : clean(s.replace("\r\n", "\n"), true);
    }

    private static String clean(String s, boolean keepNewlines) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = (c < 0x20 && c != '\t' && !(keepNewlines && c == '\n'))
                    || (c >= 0x7f && c <= 0x9f)
                    || (c >= '\u202a' && c <= '\u202e')
                    || (c >= '\u2066' && c <= '\u2069');
            sb.append(control ? REPLACEMENT : c);
        }
        return sb.toString();
    }
}

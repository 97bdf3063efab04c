package ai.clawfactory.core.definition;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The rules of an {@code http} step's templates: where a placeholder may stand and how its value
 * is escaped, so a value is always data and never changes the request's shape.
 * <ul>
 *   <li>URL: the scheme ({@code http} or {@code https}, any case) and the authority (host and
 *       port) are literal; no user info, no spaces. A value in the path, query or fragment is
 *       percent-encoded (everything but {@code A-Z a-z 0-9 - . _ ~}); a path segment that comes
 *       out as {@code .} or {@code ..} is refused.</li>
 *   <li>Body: JSON whose placeholders sit inside strings; a value is JSON-string escaped.</li>
 *   <li>Headers: a value may not contain CR, LF or other control characters.</li>
 *   <li>{@code {{secret.NAME}}} may appear in any of them (the worker reads the value from its
 *       credentials when it sends the request); everywhere else it is refused.</li>
 * </ul>
 * The loader reports {@link #checkUrl}, {@link #checkBody} and {@link #checkHeader} issues at
 * load; the worker renders with {@link #renderUrl}, {@link #renderBody} and
 * {@link #renderHeader}, which enforce the same rules again.
 */
public final class HttpTemplates {

    /** A secret reference is {@code secret.NAME}; NAME is a file in the credentials folder. */
    public static final String SECRET_PREFIX = "secret.";
    /** What a secret's name may be (no dots or slashes: it names a file in one folder). */
    public static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");

    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** Headers the HTTP client owns: setting them would change how the request is framed or routed. */
    private static final Set<String> RESERVED_HEADERS =
            Set.of("host", "content-length", "transfer-encoding", "connection", "expect", "upgrade");

    private static final Pattern HOST = Pattern.compile(
            "(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\\.?)(:[0-9]{1,5})?");

    private HttpTemplates() {}

    /** Something wrong with a template, {@code offset} characters into it. */
    public record Issue(int offset, String message) {}

    public static boolean isSecretRef(String ref) {
        return ref.startsWith(SECRET_PREFIX);
    }

    /** The name of a {@code secret.NAME} reference. */
    public static String secretName(String ref) {
        return ref.substring(SECRET_PREFIX.length());
    }

    /** Checks a secret reference; returns an error message or null. */
    public static String checkSecretRef(String ref) {
        String name = secretName(ref);
        return SECRET_NAME.matcher(name).matches()
                ? null
                : "'" + ref + "': a secret name is letters, digits, '_' or '-', "
                        + "starting with a letter (the file $CREDENTIALS_DIRECTORY/NAME or $SECRETS_DIR/NAME)";
    }

    // ---- URL ----

    /** Where the scheme and authority of a URL template end, or -1 without {@code ://}. */
    private static int authorityEnd(String template) {
        int sep = template.indexOf("://");
        if (sep < 0) {
            return -1;
        }
        int end = template.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = template.indexOf(c, sep + 3);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        return end;
    }

    /** Everything wrong with a URL template; empty when it is fine. */
    public static List<Issue> checkUrl(String template) {
        List<Issue> issues = new ArrayList<>();
        List<Expressions.Placeholder> ps = Expressions.placeholders(template);
        int sep = template.indexOf("://");
        int authEnd = authorityEnd(template);
        for (Expressions.Placeholder p : ps) {
            if (authEnd < 0 || p.start() < authEnd) {
                issues.add(new Issue(
                        p.start(),
                        "'{{" + p.ref() + "}}' is in the URL's scheme or host: write the scheme and "
                                + "host literally (a value there could send the request anywhere); placeholders go in the path, "
                                + "query or fragment, after a '/'"));
                return issues;
            }
        }
        String scheme = sep < 0 ? "" : template.substring(0, sep);
        if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
            issues.add(new Issue(0, "'" + template + "' must start with http:// or https://"));
            return issues;
        }
        String authority = template.substring(sep + 3, authEnd);
        if (authority.contains("@")) {
            issues.add(new Issue(
                    sep + 3,
                    "a URL may not carry user info (user:password@): send credentials in a header, "
                            + "e.g. Authorization: \"Bearer {{secret.NAME}}\""));
        } else if (authority.isEmpty()) {
            issues.add(new Issue(sep + 3, "the URL has no host"));
        } else if (!HOST.matcher(authority).matches() || !validPort(authority)) {
            issues.add(
                    new Issue(
                            sep + 3,
                            "'" + authority + "' is not a host name or address with an optional port "
                                    + "(ASCII letters, digits, '-' and '.'; an IPv6 address in [brackets]; a port from 1 to 65535)"));
        }
        String literal = blankPlaceholders(template, ps);
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c == ' ' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                issues.add(new Issue(i, "the URL contains a space or control character (write %20 for a space)"));
                break;
            }
        }
        if (issues.isEmpty() && hasDotSegment(literal.substring(authEnd))) {
            issues.add(new Issue(authEnd, "the URL's path has a '.' or '..' segment; write the path it means"));
        }
        if (issues.isEmpty()) {
            try {
                new java.net.URI(literal);
            } catch (java.net.URISyntaxException e) {
                issues.add(new Issue(
                        Math.max(0, e.getIndex()),
                        "not a valid URL: " + e.getReason() + " (a literal '%' is written %25)"));
            }
        }
        return issues;
    }

    /**
     * Renders a URL template: every value percent-encoded for the component it stands in.
     *
     * @throws IllegalArgumentException when the template breaks a rule of {@link #checkUrl} or a
     *                                  value makes a {@code .} or {@code ..} path segment
     */
    public static String renderUrl(String template, Function<String, String> resolver) {
        List<Issue> issues = checkUrl(template);
        if (!issues.isEmpty()) {
            throw new IllegalArgumentException(issues.get(0).message());
        }
        List<Expressions.Placeholder> ps = Expressions.placeholders(template);
        StringBuilder sb = new StringBuilder();
        int at = 0;
        for (Expressions.Placeholder p : ps) {
            sb.append(template, at, p.start());
            sb.append(percentEncode(value(resolver, p.ref())));
            at = p.end();
        }
        sb.append(template.substring(at));
        String url = sb.toString();
        int authEnd = authorityEnd(url);
        int q = indexOfAny(url, authEnd, '?', '#');
        if (hasDotSegment(url.substring(authEnd, q < 0 ? url.length() : q))) {
            throw new IllegalArgumentException(
                    "a value makes a '.' or '..' segment of the URL's path (refused: it would "
                            + "reach another path than the definition names)");
        }
        return url;
    }

    /** Percent-encodes everything but RFC 3986's unreserved characters, as UTF-8 with upper-case hex. */
    public static String percentEncode(String value) {
        StringBuilder sb = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z'
                    || c >= 'a' && c <= 'z'
                    || c >= '0' && c <= '9'
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    // ---- body ----

    /** Everything wrong with a body template: each placeholder must sit inside a JSON string. */
    public static List<Issue> checkBody(String template) {
        List<Issue> issues = new ArrayList<>();
        for (Expressions.Placeholder p : outsideStrings(template)) {
            issues.add(new Issue(
                    p.start(),
                    "'{{" + p.ref() + "}}' is outside a JSON string: a body is JSON and a value "
                            + "goes inside quotes, e.g. {\"text\": \"{{" + p.ref()
                            + "}}\"} (it is inserted JSON-escaped)"));
        }
        return issues;
    }

    /**
     * Renders a JSON body template, every value JSON-string escaped.
     *
     * @throws IllegalArgumentException when a placeholder stands outside a JSON string
     */
    public static String renderBody(String template, Function<String, String> resolver) {
        List<Issue> issues = checkBody(template);
        if (!issues.isEmpty()) {
            throw new IllegalArgumentException(issues.get(0).message());
        }
        StringBuilder sb = new StringBuilder();
        int at = 0;
        for (Expressions.Placeholder p : Expressions.placeholders(template)) {
            sb.append(template, at, p.start());
            sb.append(jsonEscape(value(resolver, p.ref())));
            at = p.end();
        }
        return sb.append(template.substring(at)).toString();
    }

    /** A value escaped for the inside of a JSON string (no surrounding quotes). */
    public static String jsonEscape(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** The placeholders that do not stand inside a JSON string literal. */
    private static List<Expressions.Placeholder> outsideStrings(String template) {
        List<Expressions.Placeholder> outside = new ArrayList<>();
        List<Expressions.Placeholder> ps = Expressions.placeholders(template);
        boolean inString = false;
        int next = 0;
        for (int i = 0; i < template.length(); i++) {
            if (next < ps.size() && ps.get(next).start() == i) {
                Expressions.Placeholder p = ps.get(next++);
                if (!inString) {
                    outside.add(p);
                }
                i = p.end() - 1;
                continue;
            }
            char c = template.charAt(i);
            if (inString && c == '\\') {
                i++;
            } else if (c == '"') {
                inString = !inString;
            }
        }
        return outside;
    }

    // ---- headers ----

    /** Everything wrong with a header: its name, and CR/LF or control characters in its literal value. */
    public static List<Issue> checkHeader(String name, String template) {
        List<Issue> issues = new ArrayList<>();
        if (name == null || !HEADER_NAME.matcher(name).matches()) {
            issues.add(new Issue(0, "'" + name + "' is not a header name (letters, digits and !#$%&'*+.^_`|~-)"));
        } else if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            issues.add(new Issue(0, "the header " + name + " is set by the HTTP client and cannot be set here"));
        }
        String literal = blankPlaceholders(template, Expressions.placeholders(template));
        int bad = firstControl(literal);
        if (bad >= 0) {
            issues.add(new Issue(bad, "a header value may not contain a line break or control character"));
        }
        return issues;
    }

    /**
     * Renders a header value (values verbatim).
     *
     * @throws IllegalArgumentException when the result holds CR, LF or another control character
     */
    public static String renderHeader(String name, String template, Function<String, String> resolver) {
        List<Issue> issues = checkHeader(name, template);
        if (!issues.isEmpty()) {
            throw new IllegalArgumentException(issues.get(0).message());
        }
        StringBuilder sb = new StringBuilder();
        int at = 0;
        for (Expressions.Placeholder p : Expressions.placeholders(template)) {
            sb.append(template, at, p.start());
            String v = value(resolver, p.ref());
            if (firstControl(v) >= 0) {
                throw new IllegalArgumentException("the value of {{" + p.ref() + "}} for header " + name
                        + " contains a line break or control character (refused: it could add headers)");
            }
            sb.append(v);
            at = p.end();
        }
        return sb.append(template.substring(at)).toString();
    }

    // ---- helpers ----

    private static String value(Function<String, String> resolver, String ref) {
        String v = resolver.apply(ref);
        return v == null ? "" : v;
    }

    private static int firstControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\t' && (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean validPort(String authority) {
        int colon = authority.lastIndexOf(':');
        if (colon < 0 || authority.endsWith("]")) {
            return true;
        }
        String port = authority.substring(colon + 1);
        try {
            int p = Integer.parseInt(port);
            return p >= 1 && p <= 65535;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static int indexOfAny(String s, int from, char a, char b) {
        int i = s.indexOf(a, from);
        int j = s.indexOf(b, from);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    /** Whether a path (up to its query) has a {@code .} or {@code ..} segment, also when percent-encoded. */
    private static boolean hasDotSegment(String pathAndMore) {
        int q = indexOfAny(pathAndMore, 0, '?', '#');
        String path = q < 0 ? pathAndMore : pathAndMore.substring(0, q);
        for (String segment : path.split("/", -1)) {
            String s = segment.replaceAll("(?i)%2e", ".");
            if (s.equals(".") || s.equals("..")) {
                return true;
            }
        }
        return false;
    }

    /** The template with every placeholder replaced by as many 'x' (so offsets stay). */
    private static String blankPlaceholders(String template, List<Expressions.Placeholder> ps) {
        StringBuilder sb = new StringBuilder(template);
        for (Expressions.Placeholder p : ps) {
            for (int i = p.start(); i < p.end(); i++) {
                sb.setCharAt(i, 'x');
            }
        }
        return sb.toString();
    }
}

package ai.clawfactory.worker.secret;

import ai.clawfactory.core.definition.HttpTemplates;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Removes secrets from text a gateway or endpoint wrote (or that we wrote about it) before it is
 * stored or printed: each secret verbatim and in the forms an echo is likely to take: JSON-escaped,
 * URL-encoded (percent and form encoding, either hex case) and base64 (standard and URL-safe, with
 * or without padding, and at any alignment inside a longer base64 text such as a Basic header).
 * <p>
 * Shortened text ({@link #excerpt}, {@link #shorten}) is redacted whole before it is cut, and a cut
 * never leaves the start of a secret behind.
 */
public final class Redactor {

    /** What a secret is replaced with. */
    public static final String MARK = "[redacted]";
    /** Nothing to redact. */
    public static final Redactor NONE = new Redactor(List.of(), List.of());

    /** How many characters of an answer's body a message quotes ({@link #excerpt}). */
    public static final int EXCERPT_CHARS = 200;

    /** Base64 fragments shorter than this are not redacted on their own (too likely to occur by chance). */
    private static final int MIN_BASE64_FRAGMENT = 8;
    /** A cut text never ends in this many or more characters that begin a secret (in any of its forms). */
    static final int MIN_TRAILING_FRAGMENT = 4;

    private static final Pattern WHITE_SPACE = Pattern.compile("\\s+");

    private final List<String> secrets;
    private final List<String> forms;

    private Redactor(List<String> secrets, List<String> forms) {
        this.secrets = secrets;
        this.forms = forms;
    }

    /** A redactor for these secrets; nulls and empty strings are ignored. */
    public static Redactor of(Collection<String> secrets) {
        Set<String> known = new LinkedHashSet<>();
        Set<String> all = new LinkedHashSet<>();
        for (String s : secrets) {
            if (s != null && !s.isEmpty() && known.add(s)) {
                all.addAll(forms(s));
            }
        }
        List<String> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        return new Redactor(List.copyOf(known), List.copyOf(sorted));
    }

    /** A redactor for these secrets; nulls and empty strings are ignored. */
    public static Redactor of(String... secrets) {
        return of(java.util.Arrays.asList(secrets));
    }

    /** This redactor and more secrets. */
    public Redactor with(Collection<String> secrets) {
        List<String> more = new ArrayList<>(this.secrets);
        more.addAll(secrets);
        return of(more);
    }

    /** The text with every form of every secret replaced by {@link #MARK}; null stays null. */
    public String apply(String text) {
        if (text == null || forms.isEmpty()) {
            return text;
        }
        String t = text;
        for (String f : forms) {
            if (t.contains(f)) {
                t = t.replace(f, MARK);
            }
        }
        return t;
    }

    /**
     * A single-line excerpt of an answer's body for a message: every secret removed from the whole
     * body first, then white space collapsed, then cut at {@link #EXCERPT_CHARS} characters, without
     * a trailing fragment that begins a secret.
     */
    public String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "(empty body)";
        }
        return cut(WHITE_SPACE.matcher(apply(body)).replaceAll(" ").trim(), EXCERPT_CHARS);
    }

    /**
     * The text with every secret removed, then cut to {@code max} characters ("…" marks a cut),
     * without a trailing fragment that begins a secret; null stays null.
     */
    public String shorten(String text, int max) {
        return text == null ? null : cut(apply(text), max);
    }

    /** Cuts already redacted text and drops what, at its end, begins a secret in any form. */
    private String cut(String redacted, int max) {
        boolean cut = redacted.length() > max;
        String t = cut ? redacted.substring(0, max) : redacted;
        int drop = 0;
        for (String f : forms) {
            for (String form : List.of(f, WHITE_SPACE.matcher(f).replaceAll(" "))) {
                for (int k = Math.min(form.length() - 1, t.length()); k >= MIN_TRAILING_FRAGMENT && k > drop; k--) {
                    if (t.endsWith(form.substring(0, k))) {
                        drop = k;
                        break;
                    }
                }
            }
        }
        t = t.substring(0, t.length() - drop);
        return cut || drop > 0 ? t + "…" : t;
    }

    /** Whether this redactor knows any secret. */
    public boolean isEmpty() {
        return forms.isEmpty();
    }

    static Set<String> forms(String secret) {
        Set<String> f = new LinkedHashSet<>();
        f.add(secret);
        f.add(HttpTemplates.jsonEscape(secret));
        f.add(jsonEscapeAscii(secret, false));
        f.add(jsonEscapeAscii(secret, true));
        f.add(HttpTemplates.jsonEscape(secret).replace("/", "\\/"));
        String percent = HttpTemplates.percentEncode(secret);
        f.add(percent);
        f.add(lowerHex(percent));
        String form = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        f.add(form);
        f.add(lowerHex(form));
        f.add(form.replace("+", "%20"));
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        for (Base64.Encoder enc : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
            String padded = enc.encodeToString(bytes);
            f.add(padded);
            f.add(padded.replace("=", ""));
            // The secret inside a longer base64 text starts at one of three alignments; the
            // characters that depend only on its bytes are the same whatever surrounds it.
            for (int k = 0; k < 3; k++) {
                byte[] shifted = new byte[k + bytes.length];
                System.arraycopy(bytes, 0, shifted, k, bytes.length);
                String e = enc.withoutPadding().encodeToString(shifted);
                int from = (8 * k + 5) / 6;
                int to = (8 * (k + bytes.length)) / 6;
                if (to - from >= MIN_BASE64_FRAGMENT) {
                    f.add(e.substring(from, to));
                }
            }
        }
        f.remove("");
        return f;
    }

    private static String jsonEscapeAscii(String s, boolean upper) {
        String escaped = HttpTemplates.jsonEscape(s);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c > 0x7e) {
                String hex = String.format("\\u%04x", (int) c);
                sb.append(upper ? hex.toUpperCase(Locale.ROOT).replace("\\U", "\\u") : hex);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String lowerHex(String encoded) {
        StringBuilder sb = new StringBuilder(encoded);
        for (int i = 0; i < sb.length() - 2; i++) {
            if (sb.charAt(i) == '%') {
                sb.setCharAt(i + 1, Character.toLowerCase(sb.charAt(i + 1)));
                sb.setCharAt(i + 2, Character.toLowerCase(sb.charAt(i + 2)));
            }
        }
        return sb.toString();
    }
}

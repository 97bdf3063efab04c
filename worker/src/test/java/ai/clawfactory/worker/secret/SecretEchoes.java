package ai.clawfactory.worker.secret;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** The forms an echo of a secret takes, as other software writes them: what must appear nowhere. */
public final class SecretEchoes {

    private SecretEchoes() {}

    public static List<String> of(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        String json = s.replace("\\", "\\\\").replace("\"", "\\\"");
        return List.of(
                s,
                json,
                json.replace("/", "\\/"),
                json.replace("é", "\\u00e9"),
                json.replace("é", "\\u00E9"),
                URLEncoder.encode(s, StandardCharsets.UTF_8),
                URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"),
                URLEncoder.encode(s, StandardCharsets.UTF_8).toLowerCase(),
                Base64.getEncoder().encodeToString(b),
                Base64.getUrlEncoder().withoutPadding().encodeToString(b));
    }

    /** A body that echoes the secret in every form. */
    public static String body(String s) {
        return "echo " + String.join(" | ", of(s)) + " end";
    }

    /**
     * The longest start (at least {@code min} characters) of any form of the secret found in text,
     * or null: what a cut through an echo would leave behind.
     */
    public static String prefixIn(String text, String s, int min) {
        if (text == null) {
            return null;
        }
        String found = null;
        for (String form : of(s)) {
            for (int k = form.length(); k >= min; k--) {
                String p = form.substring(0, k);
                if (text.contains(p)) {
                    if (found == null || p.length() > found.length()) {
                        found = p;
                    }
                    break;
                }
            }
        }
        return found;
    }

    /** The first form of the secret found in text, or null. */
    public static String foundIn(String text, String s) {
        if (text == null) {
            return null;
        }
        for (String form : of(s)) {
            if (text.contains(form)) {
                return form;
            }
        }
        return null;
    }
}

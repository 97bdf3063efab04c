package ai.clawfactory.core.definition;

import java.util.Collection;
import java.util.Locale;

/** The "did you mean" of an unknown name: the closest known one within two edits, ignoring case. */
public final class DidYouMean {

    private DidYouMean() {}

    /** The known name nearest {@code name} (fewer than three edits), or null. */
    public static String closest(String name, Collection<String> known) {
        String best = null;
        int bestDistance = 3;
        for (String a : known) {
            int d = distance(name.toLowerCase(Locale.ROOT), a.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = a;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}

package ai.clawfactory.api.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a token may do. {@code read}: every GET; {@code operate}: start, cancel, trigger, pause;
 * {@code decide}: approve or reject a step (no route needs it yet; the approvals of issue 33 will).
 * A token line without scopes gets {@link #DEFAULT}, which leaves {@code decide} out on purpose.
 */
public enum Scope {
    READ,
    OPERATE,
    DECIDE;

    public static final Set<Scope> DEFAULT = EnumSet.of(READ, OPERATE);

    /** Its name in a token file and in messages. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scope named {@code word}, or null. */
    static Scope of(String word) {
        for (Scope s : values()) {
            if (s.word().equals(word)) {
                return s;
            }
        }
        return null;
    }
}

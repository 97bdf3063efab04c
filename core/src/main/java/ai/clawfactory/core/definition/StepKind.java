package ai.clawfactory.core.definition;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The kinds of step, each with the key a definition file writes it under (and the string a step's
 * kind has always had on the wire: in {@code StepResult.kind}, the ledger, the alerts). Adding a
 * kind adds a constant here, a record implementing {@link StepAction}, a {@link StepKindSlice} in
 * {@link StepSlices} and a {@code $defs} entry in the schema (see {@code package-info.java}).
 */
public enum StepKind {
    AGENT_TURN("agentTurn"),
    WAIT("wait"),
    HTTP("http"),
    WAKE("wake"),
    COMMAND("command"),
    APPROVAL("approval");

    private final String key;

    StepKind(String key) {
        this.key = key;
    }

    /** The YAML key and wire string: {@code agentTurn}, {@code wait}, {@code http}, {@code wake}, {@code command}, {@code approval}. */
    @JsonValue
    public String key() {
        return key;
    }

    /** The kind written as {@code key}; throws for a key that names none. */
    @JsonCreator
    public static StepKind ofKey(String key) {
        for (StepKind k : values()) {
            if (k.key.equals(key)) {
                return k;
            }
        }
        throw new IllegalArgumentException("'" + key + "' is not a step kind");
    }

    @Override
    public String toString() {
        return key;
    }
}

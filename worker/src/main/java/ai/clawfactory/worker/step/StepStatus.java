package ai.clawfactory.worker.step;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a step ended. On the wire (a {@link StepResult} in history, the {@code status} query, the
 * template {@code {{steps.<id>.status}}}) it is the lower-case string it always was.
 */
public enum StepStatus {
    OK("ok"),
    SKIPPED("skipped"),
    FAILED("failed"),
    CANCELLED("cancelled");

    private final String wire;

    StepStatus(String wire) {
        this.wire = wire;
    }

    /** {@code ok}, {@code skipped}, {@code failed} or {@code cancelled}. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** The status written as {@code wire}; throws for a string that names none. */
    @JsonCreator
    public static StepStatus ofWire(String wire) {
        for (StepStatus s : values()) {
            if (s.wire.equals(wire)) {
                return s;
            }
        }
        throw new IllegalArgumentException("'" + wire + "' is not a step status");
    }

    @Override
    public String toString() {
        return wire;
    }
}

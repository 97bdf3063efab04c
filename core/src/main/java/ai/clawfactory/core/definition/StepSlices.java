package ai.clawfactory.core.definition;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one list of step kinds' core slices; everything that differs by kind goes through it. */
final class StepSlices {

    /** Every kind's slice: a new kind adds one line here. */
    static final List<StepKindSlice<?>> ALL = List.of(
            new AgentTurnSlice(),
            new WaitSlice(),
            new HttpSlice(),
            new WakeSlice(),
            new CommandSlice(),
            new ApprovalSlice());

    private static final Map<StepKind, StepKindSlice<?>> BY_KIND = new EnumMap<>(StepKind.class);

    static {
        for (StepKindSlice<?> s : ALL) {
            BY_KIND.put(s.kind(), s);
        }
        for (StepKind k : StepKind.values()) {
            if (!BY_KIND.containsKey(k)) {
                throw new IllegalStateException("step kind " + k + " has no slice in StepSlices.ALL");
            }
        }
    }

    private StepSlices() {}

    @SuppressWarnings("unchecked")
    static <A extends StepAction> StepKindSlice<A> of(StepKind kind) {
        return (StepKindSlice<A>) BY_KIND.get(kind);
    }

    static StepAction read(StepKind kind, YamlCursor at, TemplateScope scope) {
        return of(kind).read(at, scope);
    }

    static Object write(StepAction action) {
        return of(action.kind()).write(action);
    }

    static String what(StepAction action) {
        return of(action.kind()).what(action);
    }

    static boolean hasAttempts(StepAction action) {
        return of(action.kind()).hasAttempts();
    }

    /** Every slice's texts for its part of the schema. */
    static Map<String, SchemaText> schemaTexts() {
        Map<String, SchemaText> all = new LinkedHashMap<>();
        ALL.forEach(s -> all.putAll(s.schemaTexts()));
        return all;
    }
}

package ai.clawfactory.core.definition;

import java.util.Map;

/**
 * One kind of step, in core: how its block is read, how it is described in the Web UI, and the
 * texts for its part of the schema ({@code $defs/<kind key>} in
 * {@code definitions/clawfactory.definition.schema.json}). A new kind is one implementation,
 * registered in {@link StepSlices}, plus its record (implementing {@link StepAction}), its
 * {@link StepKind} constant and its {@code $defs} entry.
 *
 * @param <A> the kind's record
 */
interface StepKindSlice<A extends StepAction> {

    StepKind kind();

    /**
     * Reads the kind's block ({@code at} is the value under the kind's key, e.g.
     * {@code steps[0](execute).agentTurn}) and checks what the schema cannot say: its templates
     * against {@code scope}, durations, zones. Structure is the schema's: read what is there.
     */
    A read(YamlCursor at, TemplateScope scope);

    /**
     * The kind's block as {@link DefinitionWriter} writes it: a mapping of what is set, in the
     * order a person would write it (see {@link DefinitionWriter#put}), or a single value.
     */
    Object write(A action);

    /** What the step does, in a few words, for the Web UI: {@code agent turn NAME}, {@code wait 2h}. */
    String what(A action);

    /** False for a kind that is not an activity (no attempts, no timeout): the UI's attempts column stays empty. */
    default boolean hasAttempts() {
        return true;
    }

    /** The texts for the rules of this kind's part of the schema, keyed as {@link SchemaText} says. */
    default Map<String, SchemaText> schemaTexts() {
        return Map.of();
    }
}

package ai.clawfactory.core.definition;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code wake} step kind in core: a wake of the gateway's main session ({@link WakeDefinition}). */
final class WakeSlice implements StepKindSlice<WakeDefinition> {

    @Override
    public StepKind kind() {
        return StepKind.WAKE;
    }

    /** {@code wake: {text, mode}}: the text is a template. */
    @Override
    public WakeDefinition read(YamlCursor at, TemplateScope scope) {
        if (!at.isMapping()) {
            return null;
        }
        String text = at.text("text");
        if (text != null) {
            scope.check(at.get("text"), text);
        }
        return new WakeDefinition(text, at.text("mode"));
    }

    @Override
    public Object write(WakeDefinition w) {
        Map<String, Object> m = new LinkedHashMap<>();
        DefinitionWriter.put(m, "text", w.text());
        DefinitionWriter.put(m, "mode", w.mode());
        return m;
    }

    @Override
    public String what(WakeDefinition w) {
        return "wake the main session" + (w.mode() == null ? "" : " (" + w.mode() + ")");
    }

    @Override
    public Map<String, SchemaText> schemaTexts() {
        return Map.of("wake/required/text", SchemaText.of("missing: what the main session is told"));
    }
}

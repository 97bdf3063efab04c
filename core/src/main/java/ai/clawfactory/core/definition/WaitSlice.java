package ai.clawfactory.core.definition;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code wait} step kind in core: a durable timer, for a duration or until a time of day ({@link WaitDefinition}). */
final class WaitSlice implements StepKindSlice<WaitDefinition> {

    @Override
    public StepKind kind() {
        return StepKind.WAIT;
    }

    /** {@code wait: 2h}, {@code wait: {duration: 2h}} or {@code wait: {until: "06:30", timezone: Europe/Berlin}}. */
    @Override
    public WaitDefinition read(YamlCursor at, TemplateScope scope) {
        if (!at.isMapping()) {
            String text = at.written();
            if (text == null) {
                return null;
            }
            try {
                return new WaitDefinition(Durations.parse(text), null, null);
            } catch (IllegalArgumentException e) {
                at.problem(e.getMessage());
                return null;
            }
        }
        if (at.has("duration") == at.has("until")) {
            return null; // the schema says a wait has one or the other
        }
        if (at.has("duration")) {
            return new WaitDefinition(at.positiveDuration("duration", null), null, null);
        }
        String tz = at.text("timezone");
        if (tz != null) {
            zone(at.get("timezone"), tz);
        }
        return new WaitDefinition(null, at.text("until"), tz); // HH:mm, as the schema's pattern says
    }

    /** Reports a zone Java does not know (the schema cannot list them). */
    static void zone(YamlCursor at, String tz) {
        try {
            ZoneId.of(tz);
        } catch (DateTimeException e) {
            at.problem("'" + tz + "' is not an IANA timezone (e.g. UTC, Europe/Berlin, America/New_York)");
        }
    }

    /** A duration as the short form ({@code wait: 2h}); a time of day as {@code {until, timezone}}. */
    @Override
    public Object write(WaitDefinition w) {
        if (w.duration() != null) {
            return Durations.format(w.duration());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        DefinitionWriter.put(m, "until", w.until());
        DefinitionWriter.put(m, "timezone", w.timezone());
        return m;
    }

    @Override
    public String what(WaitDefinition w) {
        return w.duration() != null
                ? "wait " + Durations.format(w.duration())
                : "wait until " + w.until() + " " + w.timezone();
    }

    @Override
    public boolean hasAttempts() {
        return false;
    }

    @Override
    public Map<String, SchemaText> schemaTexts() {
        return Map.of(
                "positiveDuration/not@wait", SchemaText.of("a wait must be longer than zero"),
                "timeOfDay/pattern", SchemaText.of("is not a time of day (write HH:mm, e.g. 06:30)"),
                "waitUntil/required/timezone",
                        SchemaText.of("missing: until needs an IANA timezone, e.g. Europe/Berlin or UTC"));
    }
}

package ai.clawfactory.core.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every sentence {@link SchemaMessages} says in place of the validator's is keyed by a rule of the
 * schema ({@link SchemaText}); these tests resolve each key against the schema as committed, so a
 * renamed {@code $defs} entry, a moved rule or an inline one without its sentence fails the build
 * instead of quietly turning a precise message generic.
 */
class SchemaKeysTest {

    private static final JsonNode DEFS = DefinitionSchema.RAW.path("$defs");

    static Set<String> allKeys() {
        Set<String> keys = new TreeSet<>(SchemaTexts.ALL.keySet());
        keys.addAll(SchemaMessages.CODE_KEYS);
        return keys;
    }

    @Test
    void everyKeySchemaMessagesUsesResolvesInTheSchema() {
        List<String> broken = new ArrayList<>();
        for (String key : allKeys()) {
            String rule = key.contains("@") ? key.substring(0, key.indexOf('@')) : key;
            String[] parts = rule.split("/");
            if (parts.length < 2 || parts.length > 3) {
                broken.add(key + " (not <$defs name>/<keyword>[/<property>])");
                continue;
            }
            for (String part : parts) {
                if (part.matches("\\d+")) {
                    broken.add(key + " (an array index: a reordered list would move it)");
                }
            }
            JsonNode at = DEFS.path(parts[0]).path(parts[1]);
            if (at.isMissingNode()) {
                broken.add(key + " (no /$defs/" + parts[0] + "/" + parts[1] + ")");
            } else if (parts.length == 3) {
                boolean found = at.isArray() ? containsText(at, parts[2]) : at.has(parts[2]);
                if (!found) {
                    broken.add(key + " (/$defs/" + parts[0] + "/" + parts[1] + " does not name " + parts[2] + ")");
                }
            }
        }
        assertEquals(List.of(), broken, "keys of SchemaTexts and SchemaMessages that the schema does not have");
        assertTrue(allKeys().size() > 25, "the keys were found: " + allKeys());
    }

    @Test
    void aMissingRuleIsCaughtNotIgnored() {
        // The check above must be able to fail: a key for a rule the schema does not have.
        assertTrue(DEFS.path("wait").path("pattern").isMissingNode());
        assertTrue(DEFS.path("timeOfDay").path("pattern").isTextual());
    }

    @Test
    void everyPatternHasItsOwnDefsEntryAndSentence() {
        List<String> unsaid = new ArrayList<>();
        DEFS.fieldNames().forEachRemaining(def -> walk(DEFS.get(def), "/$defs/" + def, unsaid));
        assertEquals(List.of(), unsaid, "patterns without a $defs entry of their own and a sentence in SchemaTexts");
    }

    /** A pattern's finding is keyed by its $defs entry: inline in a property or a branch it would have no key. */
    private static void walk(JsonNode n, String pointer, List<String> unsaid) {
        if (n.isObject()) {
            if (n.has("pattern") && n.get("pattern").isTextual() && !pointer.contains("/not")) {
                String[] parts = pointer.split("/");
                String key = parts.length == 3
                        ? parts[2] + "/pattern"
                        : parts.length == 4 && parts[3].equals("propertyNames") ? parts[2] + "/propertyNames" : null;
                if (key == null || !SchemaTexts.ALL.containsKey(key)) {
                    unsaid.add(pointer + "/pattern");
                }
            }
            n.fieldNames().forEachRemaining(f -> walk(n.get(f), pointer + "/" + f, unsaid));
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                walk(n.get(i), pointer + "/" + i, unsaid);
            }
        }
    }

    @Test
    void everyStepKindIsOneDefsEntryOfTheSchemaAndOneSlice() {
        Set<String> kinds = new LinkedHashSet<>();
        for (StepKind k : StepKind.values()) {
            kinds.add(k.key());
            assertEquals(k, StepSlices.of(k).kind(), "the slice registered for " + k);
            assertFalse(DEFS.path(k.key()).isMissingNode(), "$defs/" + k.key());
            assertEquals(
                    "#/$defs/" + k.key(),
                    DEFS.path("step")
                            .path("properties")
                            .path(k.key())
                            .path("$ref")
                            .asText(),
                    "a step's " + k.key() + " is $defs/" + k.key());
        }
        Set<String> branches = new LinkedHashSet<>();
        DEFS.path("step")
                .path("oneOf")
                .forEach(b -> branches.add(b.path("required").path(0).asText()));
        assertEquals(kinds, branches, "the step's oneOf names every kind, in StepKind's order");
        assertEquals(StepKind.values().length, StepSlices.ALL.size());
    }

    @Test
    void theRulesJavaReadsAreTheSchemas() {
        assertEquals(DEFS.at("/steps/maxItems").asInt(), DefinitionLoader.MAX_STEPS);
        List<String> overlap = new ArrayList<>();
        DEFS.at("/scheduleFields/properties/overlap/enum").forEach(v -> overlap.add(v.asText()));
        assertEquals(overlap, DefinitionLoader.OVERLAP_POLICIES);
        assertTrue(overlap.contains(ScheduleReader.DEFAULT_OVERLAP));
        assertEquals(DEFS.at("/name/pattern").asText(), DefinitionLoader.NAME.pattern());
        assertEquals(DEFS.at("/stepId/pattern").asText(), StepReader.STEP_ID.pattern());
        assertEquals(Set.of("agentTurn", "http"), AlertsReader.ACTION_KINDS);
    }

    /** Every default the schema shows an editor is the one the loader fills in: read from it, or checked here. */
    @Test
    void theDefaultsTheLoaderFillsInAreTheSchemas() {
        assertEquals(
                RetryDefinition.DEFAULT.initialInterval(),
                Durations.parse(
                        DEFS.at("/retry/properties/initialInterval/default").asText()));
        assertEquals(
                RetryDefinition.DEFAULT.backoffCoefficient(),
                DEFS.at("/retry/properties/backoffCoefficient/default").asDouble());
        assertEquals(
                RetryDefinition.DEFAULT.maximumInterval(),
                Durations.parse(
                        DEFS.at("/retry/properties/maximumInterval/default").asText()));
        assertEquals(
                RetryDefinition.DEFAULT.maximumAttempts(),
                DEFS.at("/retry/properties/maximumAttempts/default").asInt());
        assertEquals(
                AlertsDefinition.DEFAULT_AFTER,
                DEFS.at("/alertsBlock/properties/after/default").asInt());
        assertEquals(
                AlertsDefinition.DEFAULT_COOLDOWN,
                Durations.parse(
                        DEFS.at("/alertsBlock/properties/cooldown/default").asText()));
        assertEquals(Duration.ofMinutes(10), DefinitionLoader.DEFAULT_TIMEOUT);
        assertEquals(
                DEFS.at("/step/properties/timeout/default"),
                DEFS.at("/workflowFile/properties/defaults/properties/timeout/default"));
        assertEquals(Duration.ofHours(1), DefinitionLoader.DEFAULT_CATCHUP_WINDOW);
        assertEquals("POST", HttpSlice.DEFAULT_METHOD);
        assertEquals("skip", ScheduleReader.DEFAULT_OVERLAP);
        assertTrue(ScheduleReader.DEFAULT_DELETE_AFTER_RUN);

        WorkflowDefinition d = new DefinitionLoader()
                .parse(
                        "d.yaml",
                        "name: D\nsteps:\n  - id: a\n    http: { url: \"https://example.org/\" }\n"
                                + "schedule: { at: \"2027-01-01T09:00:00Z\" }\n");
        StepDefinition a = d.steps().get(0);
        assertEquals(DefinitionLoader.DEFAULT_TIMEOUT, a.timeout());
        assertEquals(RetryDefinition.DEFAULT, a.retry());
        assertEquals(HttpSlice.DEFAULT_METHOD, a.http().method());
        assertEquals(DefinitionLoader.DEFAULT_CATCHUP_WINDOW, d.schedule().catchupWindow());
        assertEquals(ScheduleReader.DEFAULT_OVERLAP, d.schedule().overlap());
        assertEquals(ScheduleReader.DEFAULT_DELETE_AFTER_RUN, d.schedule().deleteAfterRun());
        assertFalse(d.schedule().paused()
                || d.schedule().pauseOnFailure()
                || d.schedule().alertOnSkip());
        assertFalse(a.continueOnFailure());
    }

    private static boolean containsText(JsonNode array, String text) {
        for (JsonNode v : array) {
            if (v.asText().equals(text)) {
                return true;
            }
        }
        return false;
    }
}

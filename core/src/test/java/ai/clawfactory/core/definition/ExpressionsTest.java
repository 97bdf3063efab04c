package ai.clawfactory.core.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpressionsTest {

    @Test
    void rendersEveryPlaceholderAndLeavesTheRest() {
        Map<String, String> values = Map.of("input.topic", "haiku", "steps.a.output", "$1 notes {x}");
        assertEquals(
                "About haiku: $1 notes {x}.",
                Expressions.render("About {{ input.topic }}: {{steps.a.output}}.", values::get));
    }

    @Test
    void conditionsCombineWithAndOrNot() {
        Map<String, Boolean> t = Map.of("steps.a.ok", true, "steps.b.ok", false, "input.flag", true);
        assertTrue(Expressions.evaluate("steps.a.ok", t::get));
        assertFalse(Expressions.evaluate("steps.b.ok", t::get));
        assertTrue(Expressions.evaluate("not steps.b.ok", t::get));
        assertFalse(Expressions.evaluate("steps.a.ok and steps.b.ok", t::get));
        assertTrue(Expressions.evaluate("steps.b.ok or steps.a.ok and input.flag", t::get));
        assertTrue(Expressions.evaluate(null, t::get));
    }

    @Test
    void malformedConditionsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Expressions.conditionRefs("steps.a.ok and"));
        assertThrows(IllegalArgumentException.class, () -> Expressions.conditionRefs("steps.a.ok == true"));
        assertEquals(List.of("steps.a.ok", "input.x"), Expressions.conditionRefs("not steps.a.ok or input.x"));
    }

    @Test
    void truthyFollowsWhatPeopleWrite() {
        assertTrue(Expressions.truthy("yes"));
        assertTrue(Expressions.truthy("true"));
        for (String f : new String[] {"", "false", "no", "0", "off", null}) {
            assertFalse(Expressions.truthy(f), String.valueOf(f));
        }
    }

    @Test
    void durationsInEveryAcceptedForm() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
        assertEquals(Duration.ofDays(1), Durations.parse("1d"));
        assertEquals(Duration.ofHours(2), Durations.parse("PT2H"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("2 hours"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("h"));
        assertEquals("1h30m", Durations.format(Duration.ofMinutes(90)));
    }

    @Test
    void cronChecksFieldsAndMacros() {
        assertEquals(null, DefinitionLoader.checkCron("0 4 * * *"));
        assertEquals(null, DefinitionLoader.checkCron("@daily"));
        assertTrue(DefinitionLoader.checkCron("0 4 * *").contains("not a valid cron expression"));
        assertTrue(DefinitionLoader.checkCron("@sometimes").contains("not a known macro"));
        assertTrue(DefinitionLoader.checkCron("CRON_TZ=UTC 0 4 * * *").contains("schedule.timezone"));
    }
}

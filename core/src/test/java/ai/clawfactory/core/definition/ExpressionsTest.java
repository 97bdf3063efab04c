package ai.clawfactory.core.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ExpressionsTest {

    @Test
    void rendersEveryPlaceholderAndLeavesTheRest() {
        Map<String, String> values = Map.of("input.topic", "haiku", "steps.a.output", "$1 notes {x}");
        assertEquals(
                "About haiku: $1 notes {x}.",
                Expressions.render("About {{ input.topic }}: {{steps.a.output}}.", values::get));
    }

    /** A guard against a hang, not a measurement: the old pattern took over a minute here. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(10);

    @Test
    void aLongRunOfSpacesInsideBracesIsScannedAtOnce() {
        String spaces = " ".repeat(4000);
        String unclosed = "{{" + spaces;
        String closed = "a {{" + spaces + "input.topic" + spaces + "}} b";
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            assertEquals(List.of(), Expressions.placeholders(unclosed));
            assertEquals(unclosed, Expressions.render(unclosed, ref -> "X"));
            assertEquals(List.of("input.topic"), Expressions.templateRefs(closed));
            assertEquals("a haiku b", Expressions.render(closed, ref -> "haiku"));
            // The loader reads every template of a file: a message like this one is a problem, at once.
            var e = assertThrows(
                    DefinitionException.class,
                    () -> new DefinitionLoader()
                            .parse(
                                    "slow.yaml",
                                    "name: Slow\nsteps:\n  - id: a\n    agentTurn: { message: \"" + unclosed
                                            + "\" }\n"));
            assertEquals("steps[0](a).agentTurn.message", e.problems().get(0).path(), e.getMessage());
        });
    }

    /** The pattern the scanner replaced: what it found is what the scanner must find. */
    private static final Pattern OLD_PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");

    @Test
    void theScannerFindsWhatThePatternFound() {
        for (String t : List.of(
                "{{input.a}}",
                "x {{ input.a }} y {{steps.b.output}}",
                "{{{input.a}}}",
                "{{ {{input.a}} }}",
                "{{input.a}}}}",
                "{{a}b}}",
                "{{a{b}}",
                "{{}}",
                "{{ }}",
                "{{\t\n\u000B\f\r input.a \r\n}}",
                "{{\u00a0input.a\u2028}}",
                "{{ input.a",
                "}} {{",
                "{{{{{{",
                "{{ a }} {{ b }}{{c}}",
                "{ {a}} {{b} }")) {
            List<Expressions.Placeholder> want = new java.util.ArrayList<>();
            Matcher m = OLD_PLACEHOLDER.matcher(t);
            while (m.find()) {
                want.add(new Expressions.Placeholder(m.group(1), m.start(), m.end()));
            }
            assertEquals(want, Expressions.placeholders(t), t);
        }
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

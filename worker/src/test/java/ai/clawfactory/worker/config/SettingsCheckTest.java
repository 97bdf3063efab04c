package ai.clawfactory.worker.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.core.value.MapPropertyResolver;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsCheckTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("^\\$\\{([A-Z_]+):(.*)}$");

    static Stream<SettingsCheck.Typed> typed() {
        return SettingsCheck.TYPED.stream();
    }

    private static void check(String property, String value) {
        SettingsCheck.check(new MapPropertyResolver(Map.of(property, value)));
    }

    @ParameterizedTest
    @MethodSource("typed")
    void aValueNotOfItsTypeIsRefusedWithOneLineNamingTheSettingAndItsVariable(SettingsCheck.Typed t) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> check(t.property(), "soon"));
        String expected = t.type() == Duration.class
                ? "a duration: a number and a unit, e.g. 500ms, 15s, 2m, 1h, 30d"
                : t.type() == Integer.class ? "a whole number" : "true or false";
        assertEquals(t.property() + " (" + t.variable() + ") is 'soon', not " + expected, e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("typed")
    void theVariableNamedIsTheOneApplicationYmlReadsForThatSetting(SettingsCheck.Typed t) throws IOException {
        Object node = SettingsTest.applicationYml();
        for (String key : t.property().split("\\.")) {
            assertTrue(node instanceof Map<?, ?>, t.property() + " is not in application.yml");
            node = ((Map<?, ?>) node).get(key);
        }
        Matcher m = PLACEHOLDER.matcher(String.valueOf(node));
        assertTrue(m.matches() && m.group(1).equals(t.variable()), t.property() + " reads " + node);
        // The shipped default passes its own check.
        assertDoesNotThrow(() -> check(t.property(), m.group(2)));
    }

    @Test
    void everyNumberDurationAndSwitchInApplicationYmlIsChecked() throws IOException {
        Set<String> typedInYml = new TreeSet<>();
        collect(SettingsTest.applicationYml(), typedInYml);
        Set<String> checked = SettingsCheck.TYPED.stream()
                .map(SettingsCheck.Typed::variable)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(typedInYml, checked);
    }

    private static void collect(Object node, Set<String> out) {
        if (node instanceof Map<?, ?> map) {
            map.values().forEach(v -> collect(v, out));
            return;
        }
        Matcher m = PLACEHOLDER.matcher(String.valueOf(node));
        if (m.matches() && m.group(2).matches("-?\\d+|\\d+(ms|s|m|h|d)|true|false")) {
            out.add(m.group(1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"500ms", "15s", "2m", "1h", "30d", "PT15S"})
    void durationsAsTheDocsWriteThemPass(String value) {
        assertDoesNotThrow(() -> check("ledger.retention", value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "FALSE", "yes", "off", " on "})
    void theWordsMicronautReadsAsSwitchesPass(String value) {
        assertDoesNotThrow(() -> check("gateway.allow-insecure", value));
    }

    @Test
    void aMistypedSwitchIsRefusedRatherThanReadAsFalse() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> check("temporal.worker.virtual-threads", "ture"));
        assertEquals(
                "temporal.worker.virtual-threads (WORKER_VIRTUAL_THREADS) is 'ture', not true or false",
                e.getMessage());
    }

    @Test
    void unsetAndEmptyAreLeftToTheRecordsOwnChecks() {
        assertDoesNotThrow(() -> SettingsCheck.check(new MapPropertyResolver(Map.of())));
        assertDoesNotThrow(() -> check("temporal.connect-timeout", ""));
        assertDoesNotThrow(() -> check("observe.port", "-1"));
    }
}

package ai.clawfactory.core.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.logging.LogText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/** Whatever a job's text holds, the file says exactly that to the loader. */
class YamlTextTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "plain",
                "true",
                "no",
                "123",
                "1.5e3",
                "0x1f",
                "2027-06-01",
                "10m",
                "# not a comment",
                "key: value",
                "- item",
                "  leading and trailing  ",
                "quote \" and backslash \\",
                "line one\nline two\n",
                "tab\there",
                "emoji \uD83E\uDD16 and ü",
                "[a, b]",
                "{a: b}",
                "&anchor *alias !tag",
                "%directive",
                "@at",
                "`tick`",
                "null",
                "~",
                "'single'",
                "\u2028separator",
                ">folded",
                "|literal",
                "cr\rlf\r\n",
                "nel\u0085next",
                "paragraph\u2029next",
                "bom\ufeff",
                "nul\u0000bell\u0007esc\u001b[31m",
                "csi\u009b2J del\u007f",
                "bidi\u202eevil\u2066",
                "lone \ud800 surrogate",
                "not printable \ufffe\uffff",
                "tag \udb40\udc01 language",
                "{{secret.gateway-token}}"
            })
    void roundTripsThroughTheDefinitionLoader(String text) {
        Map<String, Object> turn = new LinkedHashMap<>();
        turn.put("message", "m");
        turn.put("name", text);
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("id", "turn");
        step.put("agentTurn", turn);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", "RoundTrip");
        root.put("description", text);
        root.put("steps", List.of(step));
        root.put("input", Map.of("message", text));
        String yaml = YamlText.document(root);
        assertPrintableLines(yaml);
        assertEquals(root, new Yaml().load(yaml), yaml);
        WorkflowDefinition d = new DefinitionLoader().parse("t.yaml", yaml);
        assertEquals(text, d.steps().get(0).agentTurn().name(), yaml);
        assertEquals(text, d.description(), yaml);
        assertEquals(text, d.input().get("message"), yaml);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r", "\u0085", "\u2028", "\u2029", "\u000b", "\f"})
    void aCommentIsOneLineWhateverItsTextHolds(String lineBreak) {
        String text = "name" + lineBreak + "alerts: {after: 1}" + lineBreak + "#";
        String comment = YamlText.comment(text);
        assertEquals(1, comment.split("\n", -1).length - 1, comment);
        assertPrintableLines(comment);
        String yaml = comment + "name: x\n";
        assertEquals(Map.of("name", "x"), new Yaml().load(yaml), yaml);
    }

    @Test
    void keysThatAreNotSimpleNamesAreQuoted() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("plain-key_1", "a");
        root.put("x: y\u2028z", "b");
        root.put("", "c");
        String yaml = YamlText.document(root);
        assertPrintableLines(yaml);
        assertEquals(root, new Yaml().load(yaml), yaml);
    }

    /** Only printable characters, and no line break but the line feeds that end the lines. */
    private static void assertPrintableLines(String yaml) {
        yaml.codePoints()
                .forEach(cp ->
                        assertTrue(cp == '\n' || !LogText.unsafe(cp), () -> String.format("U+%04X in %s", cp, yaml)));
    }
}

package ai.clawfactory.schedules.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.clawfactory.core.definition.DefinitionLoader;
import ai.clawfactory.core.definition.WorkflowDefinition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
                "|literal"
            })
    void roundTripsThroughTheDefinitionLoader(String text) {
        Map<String, Object> turn = new LinkedHashMap<>();
        turn.put("message", text);
        turn.put("name", text.isBlank() ? "x" : text);
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("id", "turn");
        step.put("agentTurn", turn);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", "RoundTrip");
        root.put("description", text);
        root.put("steps", List.of(step));
        String yaml = YamlText.document(root);
        WorkflowDefinition d = new DefinitionLoader().parse("t.yaml", yaml);
        assertEquals(text, d.steps().get(0).agentTurn().message(), yaml);
        assertEquals(text, d.description(), yaml);
    }
}

package ai.clawfactory.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.ExitCode;
import ai.clawfactory.core.logging.LogText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code graph NAME}: the steps and their needs as text and as Mermaid, names from the file kept inert. */
class GraphCommandTest {

    @TempDir
    Path dir;

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(dir.resolve("research.yaml"), """
                name: Research
                maxParallel: 3
                input:
                  topics: [sonnets, haiku]
                steps:
                  - id: research
                    forEach: { items: "{{input.topics}}", as: topic, maxParallel: 2 }
                    agentTurn: { name: "look\\"] --> x[\\"pwned\\ninjected", message: "Research {{topic}}" }
                  - id: sources
                    agentTurn: { message: "Gather sources" }
                  - id: synthesize
                    needs: [research, sources]
                    when: steps.research.ok
                    agentTurn: { message: "Synthesize {{steps.research.items}}" }
                """);
        Files.writeString(dir.resolve("plain.yaml"), """
                name: Plain
                steps:
                  - id: one
                    wait: 1m
                  - id: two
                    wait: 2m
                """);
    }

    @Test
    void printsEachStepWithWhatItNeeds() {
        Cli.Result r = Cli.offline().run("graph", "Research", "--dir", dir.toString());
        assertEquals(0, r.exitCode(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("Research ("), r.out());
        assertTrue(lines.get(0).endsWith("3 steps, a graph, at most 3 at once"), r.out());
        assertTrue(lines.get(1).contains("for each topic in input.topics (2 at a time)"), r.out());
        assertTrue(lines.get(3).contains("← needs research, sources  when steps.research.ok"), r.out());
        assertEquals(4, lines.size(), "a name's line break adds no line:\n" + r.out());
        r.out().codePoints().forEach(cp -> assertTrue(cp == '\n' || !LogText.unsafe(cp), r.out()));
    }

    @Test
    void aFileWithoutNeedsIsShownAsOneStepAfterAnother() {
        Cli.Result r = Cli.offline().run("graph", "Plain", "--dir", dir.toString(), "--mermaid");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("flowchart TD\n  s0[\"one: wait 1m\"]\n  s1[\"two: wait 2m\"]\n  s0 --> s1\n", r.out());
    }

    @Test
    void mermaidLabelsCannotBreakOutOfTheDiagram() {
        Cli.Result r = Cli.offline().run("graph", "Research", "--dir", dir.toString(), "--mermaid");
        assertEquals(0, r.exitCode(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertEquals("flowchart TD", lines.get(0));
        assertEquals(6, lines.size(), "three nodes, two edges:\n" + r.out());
        assertTrue(lines.contains("  s0 --> s2|\"when steps.research.ok\"|"), r.out());
        assertTrue(lines.contains("  s1 --> s2|\"when steps.research.ok\"|"), r.out());
        for (String node : lines.subList(1, 4)) {
            String label = node.substring(node.indexOf("[\"") + 2, node.length() - 2);
            assertFalse(label.contains("\"") || label.contains("]") || label.contains("["), node);
        }
        assertFalse(r.out().contains("pwned\n"), r.out());
    }

    @Test
    void theResearchExampleValidatesAndIsAGraph() {
        Cli.Result v = Cli.offline().run("validate", "../definitions/examples");
        assertEquals(0, v.exitCode(), v.toString());
        Cli.Result r = Cli.offline().run("graph", "ResearchTopicsWorkflow", "--dir", "../definitions/examples");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("a graph, at most 3 at once"), r.out());
    }

    @Test
    void anUnknownNameSaysWhichAreDefined() {
        Cli.Result r = Cli.offline().run("graph", "Nope", "--dir", dir.toString());
        assertEquals(ExitCode.INVALID.code(), r.exitCode(), r.toString());
        assertTrue(r.err().contains("No definition named 'Nope'"), r.toString());
        assertTrue(r.err().contains("Plain, Research"), r.toString());
    }
}

package ai.clawfactory.core.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code needs}, {@code forEach} and {@code maxParallel}: what the loader reads and what it refuses. */
class StepGraphTest {

    private final DefinitionLoader loader = new DefinitionLoader();

    private static final String RESEARCH = """
            name: Research
            maxParallel: 3
            input:
              topics: [sonnets, haiku, "villanelles"]
            steps:
              - id: research
                forEach: { items: "{{input.topics}}", as: topic, maxParallel: 2 }
                agentTurn: { message: "Research {{topic}} for {{workflow.id}}" }
              - id: sources
                agentTurn: { message: "Gather sources" }
              - id: synthesize
                needs: [research, sources]
                agentTurn: { message: "Synthesize {{steps.research.items}} with {{steps.sources.output}}" }
            """;

    @Test
    void readsNeedsForEachAndMaxParallel() {
        WorkflowDefinition d = loader.parse("r.yaml", RESEARCH);
        assertTrue(StepGraph.isGraph(d));
        assertEquals(3, StepGraph.maxParallel(d));
        assertEquals(2, StepGraph.maxParallel(d, d.step("research")));
        assertEquals(3, StepGraph.maxParallel(d, d.step("sources")));
        assertEquals(List.of("research", "sources"), d.step("synthesize").needs());
        assertNull(d.step("sources").needs());
        ForEachDefinition f = d.step("research").forEach();
        assertEquals("topics", f.input());
        assertEquals("topic", f.as());
        assertEquals("[\"sonnets\",\"haiku\",\"villanelles\"]", d.input().get("topics"));
        assertEquals(List.of("sonnets", "haiku", "villanelles"), f.itemsOf(d.input()));
        assertEquals(List.of("x", "y"), f.itemsOf(Map.of("topics", "[\"x\",\"y\"]")));
    }

    @Test
    void aGraphIsWrittenBackAsItWasRead() {
        WorkflowDefinition d = loader.parse("r.yaml", RESEARCH);
        WorkflowDefinition again = loader.parse("r.yaml", DefinitionWriter.write(d, List.of()));
        assertEquals(d.steps(), again.steps());
        assertEquals(d.input(), again.input());
        assertEquals(d.maxParallel(), again.maxParallel());
        assertTrue(
                Describe.details(d).contains("| synthesize | agent turn default agent | after research, sources |"),
                Describe.details(d));
    }

    @Test
    void aFileWithoutNeedsForEachOrMaxParallelIsNoGraph() {
        WorkflowDefinition d =
                loader.parse("s.yaml", "name: S\nsteps:\n  - id: a\n    wait: 1m\n  - id: b\n    wait: 1m\n");
        assertFalse(StepGraph.isGraph(d));
        assertNull(d.maxParallel());
        assertEquals(StepGraph.DEFAULT_MAX_PARALLEL, StepGraph.maxParallel(d));
    }

    @Test
    void aStepMayNeedALaterOneAndReadItsOutput() {
        WorkflowDefinition d = loader.parse("l.yaml", """
                name: L
                steps:
                  - id: sum
                    needs: [gather]
                    agentTurn: { message: "sum {{steps.gather.output}}", name: s }
                    when: steps.gather.ok
                  - id: gather
                    agentTurn: { message: "gather" }
                """);
        assertEquals(List.of("gather"), d.step("sum").needs());
    }

    @Test
    void aStepReadsWhatItNeedsThroughOthers() {
        Map<String, List<String>> needs = Map.of("a", List.of(), "b", List.of("a"), "c", List.of("b"));
        Map<String, List<String>> ordered = new java.util.LinkedHashMap<>();
        for (String id : List.of("a", "b", "c")) {
            ordered.put(id, needs.get(id));
        }
        assertEquals(List.of("a", "b"), StepGraph.ancestors(ordered, "c"));
        assertEquals(List.of(), StepGraph.ancestors(ordered, "a"));
        loader.parse("t.yaml", """
                name: T
                steps:
                  - id: a
                    agentTurn: { message: "a" }
                  - id: b
                    needs: [a]
                    wait: 1m
                  - id: c
                    needs: [b]
                    agentTurn: { message: "{{steps.a.output}}" }
                """);
    }

    @Test
    void aWrittenListOfItemsIsReadAsText() {
        WorkflowDefinition d = loader.parse("w.yaml", """
                name: W
                steps:
                  - id: ping
                    forEach: { items: [1, true, three], as: n }
                    wake: { text: "ping {{n}}" }
                """);
        assertEquals(List.of("1", "true", "three"), d.step("ping").forEach().items());
        assertNull(d.step("ping").forEach().maxParallel());
    }

    @Test
    void aScheduleOnlyFileCannotSetAListInput(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Files.writeString(dir.resolve("research.yaml"), RESEARCH);
        java.nio.file.Files.writeString(dir.resolve("weekly.yaml"), """
                schedule: { id: weekly, workflow: Research, cron: "0 4 * * 1", timezone: UTC, input: { topics: odes } }
                """);
        DefinitionException e = assertThrows(DefinitionException.class, () -> loader.loadAll(dir));
        assertTrue(
                e.getMessage().contains("weekly.yaml:1:")
                        && e.getMessage().contains("input 'topics' is the list step 'research' fans out over"),
                e.getMessage());
    }

    @Test
    void everyCycleIsReportedOnceWithItsPath() {
        DefinitionException e = assertThrows(DefinitionException.class, () -> loader.parse("c.yaml", """
                name: C
                steps:
                  - id: a
                    needs: [b]
                    wait: 1m
                  - id: b
                    needs: [a]
                    wait: 1m
                """));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("a → b → a"), e.getMessage());
        assertEquals(4, e.problems().get(0).line());
    }
}

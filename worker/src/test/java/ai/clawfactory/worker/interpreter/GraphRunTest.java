package ai.clawfactory.worker.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.clawfactory.core.definition.DefinitionLoader;
import ai.clawfactory.core.definition.StepKind;
import ai.clawfactory.core.definition.WorkflowDefinition;
import ai.clawfactory.worker.step.StepResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The graph as the Web UI's current details show it: what runs now, and every step with its needs and state. */
class GraphRunTest {

    @Test
    void theDetailsAreATableOfStepsWhatEachNeedsAndWhereItIs() {
        WorkflowDefinition d = new DefinitionLoader().parse("g.yaml", """
                name: G
                steps:
                  - id: research
                    forEach: { items: [a, b, c], as: topic }
                    agentTurn: { message: "{{topic}}" }
                  - id: sources
                    agentTurn: { message: "s" }
                  - id: optional
                    when: steps.sources.failed
                    needs: [sources]
                    wait: 1m
                  - id: synthesize
                    needs: [research, sources]
                    agentTurn: { message: "{{steps.research.items}}" }
                """);
        Map<String, StepResult> results = new LinkedHashMap<>();
        results.put("sources", StepResult.ok("sources", StepKind.AGENT_TURN, 1));
        results.put(
                "optional",
                StepResult.skipped("optional", StepKind.WAIT, "condition 'steps.sources.failed' was false"));
        List<ActiveStep> active = List.of(
                new ActiveStep("research[0]", "agentTurn", 2, null),
                new ActiveStep("research[1]", "backoff", 1, "2026-12-05T10:00:00Z"));
        assertEquals("""
                **2 of 4 steps done** · now: research[0] (agentTurn, attempt 2), research[1] (backoff, wakes 2026-12-05T10:00:00Z)

                | step | needs | status |
                |---|---|---|
                | research (for each topic) | — | running (2 items) |
                | sources | — | ok |
                | optional | sources | skipped: condition 'steps.sources.failed' was false |
                | synthesize | research, sources | waiting |
                """, GraphRun.details(d, results, active));
    }
}

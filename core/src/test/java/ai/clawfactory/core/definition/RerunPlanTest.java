package ai.clawfactory.core.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which steps a re-run takes over, and the refusals the CLI and the worker share. */
class RerunPlanTest {

    private final WorkflowDefinition definition = new DefinitionLoader("UTC").parse("research.yaml", """
            name: Research
            steps:
              - id: gather
                agentTurn: { message: "gather" }
              - id: optional
                when: input.extra
                agentTurn: { message: "extra" }
              - id: synthesize
                agentTurn: { message: "synthesize {{steps.gather.output}}" }
            input: { extra: "" }
            """);

    @Test
    void carriesTheStepsBeforeTheStepInFileOrderOkAndSkippedAlike() {
        RerunPlan plan = RerunPlan.of(
                definition, "synthesize", Map.of("gather", "ok", "optional", "skipped", "synthesize", "failed"));
        assertEquals(List.of("gather", "optional"), plan.carried());
        assertEquals("synthesize", plan.from());
    }

    @Test
    void fromTheFirstStepCarriesNothing() {
        assertEquals(List.of(), RerunPlan.of(definition, "gather", Map.of()).carried());
    }

    @Test
    void anUnknownStepIsRefusedWithTheNearestIdAndTheSteps() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> RerunPlan.of(definition, "synthesise", Map.of()));
        assertEquals(
                "'synthesise' is not a step of Research (did you mean 'synthesize'?); its steps are gather, optional, "
                        + "synthesize",
                e.getMessage());
    }

    @Test
    void aCarriedStepThatFailedIsRefusedAndTheMessageSuggestsRerunningFromIt() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> RerunPlan.of(definition, "synthesize", Map.of("gather", "failed", "optional", "skipped")));
        assertEquals(
                "Step 'gather' ended failed in the old run, so its result cannot be carried over to steps after it; "
                        + "re-run from it instead: --from gather",
                e.getMessage());
    }

    @Test
    void aCarriedStepThatNeverRanIsRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> RerunPlan.of(definition, "synthesize", Map.of("gather", "ok")));
        assertEquals(
                "Step 'optional' never ran in the old run, so its result cannot be carried over to steps after it; "
                        + "re-run from it instead: --from optional",
                e.getMessage());
    }

    @Test
    void aStepNameWithControlCharactersIsShownEscaped() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> RerunPlan.of(definition, "x\u001b[2Jy", Map.of()));
        assertEquals(
                "'x\\u001b[2Jy' is not a step of Research; its steps are gather, optional, synthesize", e.getMessage());
    }

    /** In a graph "before" is "not after": the other branches are carried, the step's dependents run again. */
    @Test
    void inAGraphEveryStepThatIsNeitherTheStepNorOneThatNeedsItIsCarried() {
        WorkflowDefinition graph = new DefinitionLoader("UTC").parse("branches.yaml", """
                name: Branches
                steps:
                  - id: join
                    needs: [left, right]
                    agentTurn: { message: "join {{steps.left.output}} {{steps.right.output}}" }
                  - id: left
                    agentTurn: { message: "left" }
                  - id: right
                    agentTurn: { message: "right" }
                  - id: after
                    needs: [join]
                    agentTurn: { message: "after" }
                """);
        RerunPlan plan = RerunPlan.of(graph, "right", Map.of("left", "ok", "right", "failed", "join", "skipped"));
        assertEquals(List.of("left"), plan.carried());
    }
}

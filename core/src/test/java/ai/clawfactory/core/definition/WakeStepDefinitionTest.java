package ai.clawfactory.core.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The {@code wake} step kind: OpenClaw's {@code POST /hooks/wake}. */
class WakeStepDefinitionTest {

    private final DefinitionLoader loader = new DefinitionLoader();

    @Test
    void wakeStepCarriesTextAndMode() {
        WorkflowDefinition d = loader.parse("w.yaml", """
                name: Poke
                input: { topic: mail }
                steps:
                  - id: poke
                    wake: { text: "Check {{input.topic}}", mode: next-heartbeat }
                  - id: plain
                    wake: { text: "Hello" }
                """);
        StepDefinition poke = d.step("poke");
        assertEquals("wake", poke.kind());
        assertEquals(new WakeDefinition("Check {{input.topic}}", "next-heartbeat"), poke.wake());
        assertNull(poke.agentTurn());
        assertNull(d.step("plain").wake().mode());
    }

    @Test
    void wakeProblemsAreReportedWithTheirPath() {
        DefinitionException e = assertThrows(DefinitionException.class, () -> loader.parse("w.yaml", """
                name: Poke
                steps:
                  - id: poke
                    wake: { mode: later, txt: x }
                  - id: both
                    wake: { text: a }
                    wait: 1m
                """));
        String all = e.getMessage();
        assertTrue(all.contains("steps[0](poke).wake.txt: unknown key (did you mean 'text'?)"), all);
        assertTrue(all.contains("steps[0](poke).wake.text: missing"), all);
        assertTrue(all.contains("steps[0](poke).wake.mode: 'later' is not one of now, next-heartbeat"), all);
        assertTrue(
                all.contains(
                        "a step has exactly one of agentTurn, wait, http, wake, command or approval, not wait and wake"),
                all);
    }
}

package ai.clawfactory.core.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written to break the loader: each is refused as a problem with its place, and the other
 * files of the folder are still served (the worker's reload and its /health run this code).
 */
class HostileDefinitionFilesTest {

    @TempDir
    Path dir;

    private static final String GOOD = "name: Good\nsteps:\n  - id: a\n    wait: 1m\n";

    @Test
    void anAliasInsideItsOwnAnchorIsAPreciseProblemAndTheOtherFilesStillLoad() throws Exception {
        Files.writeString(dir.resolve("a-loop.yaml"), "name: Loop\nsteps: &a [*a]\n");
        Files.writeString(
                dir.resolve("b-map.yaml"), "name: MapLoop\nsteps:\n  - id: x\n    agentTurn: &m\n      message: *m\n");
        Files.writeString(dir.resolve("c-good.yaml"), GOOD);

        var report = new DefinitionLoader().loadEach(dir);

        assertEquals(List.of("Good"), List.copyOf(report.valid().workflows().keySet()));
        assertEquals(
                List.of(
                        new Problem(
                                dir.resolve("a-loop.yaml").toString(),
                                2,
                                12,
                                "",
                                "a YAML alias refers to itself: *a is inside the anchor &a it repeats (write the value out)"),
                        new Problem(
                                dir.resolve("b-map.yaml").toString(),
                                5,
                                16,
                                "",
                                "a YAML alias refers to itself: *m is inside the anchor &m it repeats (write the value out)")),
                report.problems());
    }

    @Test
    void anAliasOfAFinishedAnchorIsFineEvenWhenTheNameIsUsedAgain() {
        WorkflowDefinition d = new DefinitionLoader().parse("ok.yaml", """
                name: Reuse
                defaults: { retry: &r { maximumAttempts: 2 } }
                steps:
                  - id: a
                    retry: *r
                    agentTurn: &t { message: hi }
                  - id: b
                    agentTurn: *t
                """);
        assertEquals(2, d.step("a").retry().maximumAttempts());
        assertEquals("hi", d.step("b").agentTurn().message());
    }

    @Test
    void aSingleFileWithALoopIsRefusedTheSameWay() {
        var e = assertThrows(
                DefinitionException.class,
                () -> new DefinitionLoader().parse("loop.yaml", "name: L\nsteps: &a [*a]\n"));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("loop.yaml:2:12: a YAML alias refers to itself"), e.getMessage());
    }
}

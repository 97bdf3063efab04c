package ai.clawfactory.core.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/** The one writer: what it writes loads back to the model it was given, and says nothing else. */
class DefinitionWriterTest {

    private final DefinitionLoader loader = new DefinitionLoader();

    static Stream<String> validDefinitions() throws IOException {
        List<String> texts = new ArrayList<>();
        for (String seed : List.of("everything.yaml", "cron.yaml", "calendar.yaml", "one-shot.yaml")) {
            texts.add(MutationCorpus.seed(seed));
        }
        Path repo = DefinitionLoaderTest.repoDefinitions().getParent();
        for (Path dir : List.of(
                repo.resolve("definitions"),
                repo.resolve("worker/src/test/resources/histories/definitions"),
                repo.resolve("tests/system/definitions"))) {
            for (Path f : DefinitionLoader.definitionFiles(dir)) {
                texts.add(Files.readString(f));
            }
        }
        return texts.stream();
    }

    /** A loaded definition is fully resolved: written back, every default is spelt out and it loads to the same model. */
    @ParameterizedTest
    @MethodSource("validDefinitions")
    void aLoadedDefinitionWrittenBackLoadsToTheSameModel(String text) {
        WorkflowDefinition d = loader.parse("w.yaml", text);
        String written = DefinitionWriter.write(d, List.of("written back"));
        assertTrue(written.startsWith(DefinitionWriter.SCHEMA_LINE + "\n# written back\n"), written);
        assertEquals(unversioned(d), unversioned(loader.parse("w.yaml", written)), written);
        assertEquals(DefinitionWriter.tree(d), new Yaml().load(written), written);
    }

    @Test
    void aModelBuiltToBeWrittenLeavesOutWhatItDoesNotSet() {
        WorkflowDefinition d = new WorkflowDefinition(
                "Minimal",
                null,
                null,
                null,
                Map.of(),
                List.of(
                        StepDefinition.of(
                                "a", null, null, null, false, new WaitDefinition(Duration.ofMinutes(5), null, null)),
                        StepDefinition.of("b", null, null, null, false, new WakeDefinition("hello", null))),
                null);
        assertEquals(
                DefinitionWriter.SCHEMA_LINE + "\n"
                        + "name: Minimal\nsteps:\n  - id: a\n    wait: 5m\n  - id: b\n    wake:\n"
                        + "      text: hello\n",
                DefinitionWriter.write(d, List.of()));
        WorkflowDefinition loaded = loader.parse("m.yaml", DefinitionWriter.write(d, List.of()));
        assertEquals(
                DefinitionLoader.DEFAULT_TIMEOUT, loaded.steps().get(0).timeout(), "the loader fills in the defaults");
    }

    @Test
    void aHeaderLineIsOneCommentWhateverItHolds() {
        WorkflowDefinition d = loader.parse("w.yaml", "name: W\nsteps:\n  - id: a\n    wait: 1m\n");
        String written = DefinitionWriter.write(d, List.of("evil\nalerts: false\u2028name: X"));
        assertEquals(3, written.lines().takeWhile(l -> l.startsWith("#")).count() + 1, written);
        assertFalse(written.contains("\nalerts"), written);
        assertEquals("W", loader.parse("w.yaml", written).name());
    }

    private static WorkflowDefinition unversioned(WorkflowDefinition d) {
        return new WorkflowDefinition(
                d.name(), d.description(), d.source(), "", d.input(), d.steps(), d.schedule(), d.alerts());
    }
}

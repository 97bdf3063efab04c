package ai.clawfactory.core.definition;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The JSON Schema editors use for definitions ({@code definitions/clawfactory.definition.schema.json},
 * draft 2020-12, strict: unknown keys and wrong types are errors), kept honest against the loader:
 * every shipped definition passes it, and the structural mistakes of the bad-definition corpus fail it.
 */
class DefinitionSchemaTest {

    private static final Path REPO = DefinitionLoaderTest.repoDefinitions().getParent();
    private static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(read(REPO.resolve("definitions/clawfactory.definition.schema.json")));
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Corpus files whose mistake is one of structure (keys, kinds, types, enums, patterns): the schema must refuse them. */
    private static final Set<String> STRUCTURAL = Set.of(
            "unknown-key.yaml",
            "two-kinds.yaml",
            "bad-session-mode.yaml",
            "bad-overlap.yaml",
            "no-steps.yaml",
            "empty-steps.yaml",
            "missing-message.yaml",
            "list-document.yaml",
            "cron-and-interval.yaml",
            "bad-duration.yaml",
            "zero-wait.yaml",
            "bad-name.yaml",
            "channel-without-to.yaml",
            "http-bad-url.yaml",
            "bad-retry.yaml",
            "bad-backoff.yaml",
            "schedule-only-without-workflow.yaml",
            "own-schedule-names-workflow.yaml",
            "nested-input-default.yaml",
            "http-authority-placeholder.yaml",
            "bad-until.yaml",
            "until-without-zone.yaml",
            "offset-without-interval.yaml",
            "delete-after-run-without-at.yaml",
            "bad-input-name.yaml",
            "iso-zero-timeout.yaml",
            "schedule-only-with-input.yaml",
            "too-many-steps.yaml");

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Set<ValidationMessage> validate(Path yamlFile) {
        Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(read(yamlFile));
        JsonNode node = JSON.valueToTree(doc);
        return SCHEMA.validate(node);
    }

    static Stream<Path> shipped() throws IOException {
        List<Path> dirs = List.of(
                REPO.resolve("definitions"),
                REPO.resolve("tests/system/definitions"),
                REPO.resolve("worker/src/test/resources/histories/definitions"));
        return dirs.stream().flatMap(d -> {
            try {
                return Files.list(d).filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shipped")
    void everyShippedDefinitionPassesTheSchema(Path file) {
        Set<ValidationMessage> errors = validate(file);
        assertTrue(errors.isEmpty(), () -> file + ": " + errors);
    }

    @Test
    void theShippedDefinitionsPointEditorsAtTheSchema() throws IOException {
        for (Path f :
                shipped().filter(p -> p.startsWith(REPO.resolve("definitions"))).toList()) {
            assertTrue(
                    read(f).lines()
                            .anyMatch(l ->
                                    l.equals("# yaml-language-server: $schema=./clawfactory.definition.schema.json")),
                    f + " has no yaml-language-server schema line");
        }
    }

    static Stream<Path> structuralMistakes() throws Exception {
        Path dir = Path.of(
                DefinitionSchemaTest.class.getResource("/bad-definitions").toURI());
        return STRUCTURAL.stream().sorted().map(dir::resolve);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("structuralMistakes")
    void aStructuralMistakeOfTheCorpusFailsTheSchema(Path file) {
        assertTrue(Files.exists(file), file + " is in the corpus");
        assertFalse(validate(file).isEmpty(), file + " passes the schema although the loader refuses its structure");
    }

    @Test
    void aScheduleOnlyFilePassesAndAStrayKeyDoesNot(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path ok = dir.resolve("weekly.yaml");
        Files.writeString(
                ok,
                "schedule:\n  id: weekly\n  workflow: PoetryResearchWorkflow\n  cron: \"0 6 * * 0\"\n  timezone: UTC\n"
                        + "  input: { topic: sonnets }\n");
        assertTrue(validate(ok).isEmpty(), validate(ok).toString());
        Files.writeString(ok, read(ok) + "  colour: blue\n");
        assertFalse(validate(ok).isEmpty());
    }
}

package ai.clawfactory.worker.definition;

import ai.clawfactory.core.definition.DefinitionException;
import ai.clawfactory.worker.config.DefinitionsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DefinitionRegistryTest {

    private static final String ONE_WAIT = "name: %s\nsteps:\n  - id: a\n    wait: %s\n";

    @Test
    void anAddedFileIsServedWithoutARestart(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.yaml"), ONE_WAIT.formatted("First", "1m"));
        DefinitionRegistry registry = new DefinitionRegistry(new DefinitionsConfig(dir.toString()));
        assertEquals(List.of("First"), registry.knownTypes());
        assertNull(registry.find("Second"));

        Files.writeString(dir.resolve("b.yaml"), ONE_WAIT.formatted("Second", "2m"));
        assertEquals(List.of("First", "Second"), registry.knownTypes());
        assertEquals("b", registry.find("Second").source().replaceAll(".*/(\\w+)\\.yaml$", "$1"));
    }

    @Test
    void anInvalidEditKeepsTheLastGoodSetUntilItIsFixed(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.yaml"), ONE_WAIT.formatted("First", "1m"));
        DefinitionRegistry registry = new DefinitionRegistry(new DefinitionsConfig(dir.toString()));
        String version = registry.find("First").version();

        Files.writeString(dir.resolve("a.yaml"), ONE_WAIT.formatted("First", "soon"));
        assertEquals(version, registry.find("First").version(), "a broken file does not replace the loaded one");

        Files.writeString(dir.resolve("a.yaml"), ONE_WAIT.formatted("First", "10m"));
        assertEquals(java.time.Duration.ofMinutes(10), registry.find("First").steps().get(0).waitFor().duration(),
                "the fixed file is picked up");
    }

    @Test
    void anInvalidFolderStopsTheStartWithEveryProblem(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.yaml"), ONE_WAIT.formatted("First", "soon"));
        DefinitionException e = assertThrows(DefinitionException.class,
                () -> new DefinitionRegistry(new DefinitionsConfig(dir.toString())));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertEquals("steps[0](a).wait", e.problems().get(0).path());
    }
}

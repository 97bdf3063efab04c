package ai.clawfactory.worker.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.definition.DefinitionException;
import ai.clawfactory.worker.config.DefinitionsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefinitionRegistryTest {

    private static final String ONE_WAIT = "name: %s\nsteps:\n  - id: a\n    wait: %s\n";

    private static DefinitionRegistry registry(Path dir) {
        return new DefinitionRegistry(new DefinitionsConfig(dir.toString(), null));
    }

    @Test
    void anAddedFileIsServedWithoutARestart(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.yaml"), ONE_WAIT.formatted("First", "1m"));
        DefinitionRegistry registry = registry(dir);
        assertEquals(List.of("First"), registry.knownTypes());
        assertNull(registry.find("Second"));

        Files.writeString(dir.resolve("b.yaml"), ONE_WAIT.formatted("Second", "2m"));
        assertEquals(List.of("First", "Second"), registry.knownTypes());
        assertEquals("b", registry.find("Second").source().replaceAll(".*/(\\w+)\\.yaml$", "$1"));
    }

    @Test
    void oneBadFileAmongGoodOnesIsSetAsideAndTheWorkerStarts(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.yaml"), ONE_WAIT.formatted("First", "1m"));
        Files.writeString(dir.resolve("b.yaml"), ONE_WAIT.formatted("Broken", "9223372036854775807d"));
        Files.writeString(dir.resolve("c.yaml"), ONE_WAIT.formatted("Third", "3m"));
        DefinitionRegistry registry = registry(dir);
        assertEquals(List.of("First", "Third"), registry.knownTypes());
        assertNull(registry.find("Broken"));
        String why = registry.refusal("Broken");
        assertNotNull(why);
        assertTrue(why.contains("b.yaml:4:11: steps[0](a).wait: '9223372036854775807d' is longer than"), why);
        assertNull(registry.refusal("First"));
    }

    @Test
    void anInvalidEditRefusesNewRunsOfThatTypeUntilItIsFixed(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.yaml"), ONE_WAIT.formatted("First", "1m"));
        Files.writeString(dir.resolve("b.yaml"), ONE_WAIT.formatted("Other", "1m"));
        DefinitionRegistry registry = registry(dir);
        assertNotNull(registry.find("First"));

        Files.writeString(dir.resolve("a.yaml"), ONE_WAIT.formatted("First", "soon"));
        assertNull(registry.find("First"), "the file on disk is the truth: a broken file serves no new run");
        assertTrue(registry.refusal("First").contains("'soon' is not a duration"), registry.refusal("First"));
        assertNotNull(registry.find("Other"), "the other file is unaffected");

        Files.writeString(dir.resolve("a.yaml"), ONE_WAIT.formatted("First", "10m"));
        assertEquals(
                java.time.Duration.ofMinutes(10),
                registry.find("First").steps().get(0).waitFor().duration(),
                "the fixed file is picked up");
        assertNull(registry.refusal("First"));
    }

    @Test
    void theConfiguredDefaultTimezoneReachesTheWorker(@TempDir Path dir) throws IOException {
        // Passes validate and sync with SCHEDULES_DEFAULT_TIMEZONE set: the worker must load it too.
        Files.writeString(
                dir.resolve("a.yaml"), ONE_WAIT.formatted("Zoned", "1m") + "schedule: { cron: \"0 4 * * *\" }\n");
        assertNull(registry(dir).find("Zoned"), "without a default zone the schedule needs one");
        DefinitionRegistry zoned = new DefinitionRegistry(new DefinitionsConfig(dir.toString(), "Europe/Berlin"));
        assertEquals("Europe/Berlin", zoned.find("Zoned").schedule().timezone());
    }

    @Test
    void aMissingFolderStopsTheStartWithAClearError(@TempDir Path dir) {
        DefinitionException e = assertThrows(DefinitionException.class, () -> registry(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("no such folder"), e.getMessage());
    }
}

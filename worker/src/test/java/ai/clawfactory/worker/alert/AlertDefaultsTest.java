package ai.clawfactory.worker.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.definition.AlertsDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertDefaultsTest {

    @Test
    void noFileMeansNoDefaults() {
        assertNull(AlertDefaults.read(null));
        assertNull(AlertDefaults.read(" "));
    }

    @Test
    void aValidFileIsReadAndABadOneStopsTheWorkerWithFileLineAndColumn(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("alerts.yaml"), """
                alerts:
                  cooldown: 2h
                  onFailure:
                    http: { url: "https://hooks.example.org/ops", body: '{"text": "{{workflow.type}}: {{failure.message}}"}' }
                """);
        AlertsDefinition a = AlertDefaults.read(good.toString());
        assertEquals("http", a.onFailure().kind());
        assertEquals(java.time.Duration.ofHours(2), a.cooldown());
        Path bad = Files.writeString(
                dir.resolve("bad.yaml"), "alerts:\n  cooldwn: 2h\n  onFailure:\n    agentTurn: { message: hi }\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AlertDefaults.read(bad.toString()));
        assertTrue(
                e.getMessage().contains("bad.yaml:2:3: alerts.cooldwn: unknown key (did you mean 'cooldown'?)"),
                e.getMessage());
        IllegalStateException missing = assertThrows(
                IllegalStateException.class,
                () -> AlertDefaults.read(dir.resolve("nope.yaml").toString()));
        assertTrue(missing.getMessage().contains("cannot be read"), missing.getMessage());
    }
}

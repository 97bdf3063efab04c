package ai.clawfactory.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DisplayTest {

    @Test
    void skippedAndMissedFiresAreShownOnlyWhenThereAreAny() {
        assertEquals("-", Display.skipped(0, 0));
        assertEquals("3 skipped, 0 missed", Display.skipped(3, 0));
        assertEquals("0 skipped, 2 missed", Display.skipped(0, 2));
    }

    @Test
    void validateDescribesAlertsInOneLine() {
        var d = new ai.clawfactory.core.definition.DefinitionLoader().parse("a.yaml", """
                name: A
                steps:
                  - id: a
                    wait: 1m
                alerts:
                  after: 2
                  onFailure:
                    agentTurn: { message: "{{failure.message}}", channel: telegram, to: "@ops" }
                  onRecovery:
                    http: { url: "https://hooks.example.org/ok" }
                """);
        assertEquals(
                "after 2 failed run(s), at most one per 1h, agentTurn to telegram @ops; recovery notice http POST "
                        + "https://hooks.example.org/ok",
                ValidateCommand.alerts(d.alerts()));
    }
}

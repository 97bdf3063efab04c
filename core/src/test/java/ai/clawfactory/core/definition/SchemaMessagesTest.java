package ai.clawfactory.core.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The loader checks structure with the committed JSON Schema and says what is wrong in our words,
 * at the line and column of the YAML node: one problem per mistake, every mistake of a file.
 */
class SchemaMessagesTest {

    private final DefinitionLoader loader = new DefinitionLoader();

    private List<String> problems(String yaml) {
        DefinitionException e = assertThrows(DefinitionException.class, () -> loader.parse("s.yaml", yaml));
        return e.problems().stream().map(Problem::toString).toList();
    }

    @Test
    void theSchemaComesFromTheClasspathAsCommitted() {
        assertTrue(DefinitionSchema.RAW.at("/$defs/step/properties").has("agentTurn"), DefinitionSchema.RAW.toString());
        assertTrue(
                DefinitionSchema.class
                        .getClassLoader()
                        .getResource(DefinitionSchema.RESOURCE)
                        .toString()
                        .contains("target/classes"),
                "the schema is a build resource of core, taken from definitions/");
    }

    @Test
    void aWrongTypeSaysWhatItMustBeAndWhatItIs() {
        List<String> p = problems("name: T\nsteps:\n  - id: a\n    retry: { maximumAttempts: lots }\n    wait: 1m\n");
        assertEquals(
                List.of("s.yaml:4:31: steps[0](a).retry.maximumAttempts: must be a whole number, not text ('lots')"),
                p);
    }

    @Test
    void everyMistakeOfAFileIsReportedOnceWithItsPosition() {
        List<String> p = problems("""
                name: T
                colour: blue
                steps:
                  - id: a
                    agentTurn: { mesage: hi, deliver: maybe }
                  - id: b
                    http: { method: FETCH }
                """);
        assertEquals(
                List.of(
                        "s.yaml:2:1: colour: unknown key; allowed here: name, description, input, defaults, steps, maxParallel, schedule, alerts",
                        "s.yaml:5:16: steps[0](a).agentTurn.message: missing: what the agent should do (jobId alone is only for the "
                                + "legacy cron-fire gateway)",
                        "s.yaml:5:18: steps[0](a).agentTurn.mesage: unknown key (did you mean 'message'?); allowed here: message, name, "
                                + "agentId, sessionKey, sessionMode, model, thinking, timeoutSeconds, deliver, channel, to, wakeMode, "
                                + "jobId, expect",
                        "s.yaml:5:39: steps[0](a).agentTurn.deliver: must be true or false, not text ('maybe')",
                        "s.yaml:7:11: steps[1](b).http.url: missing: the URL to call",
                        "s.yaml:7:21: steps[1](b).http.method: 'FETCH' is not one of GET, POST, PUT, PATCH, DELETE, HEAD"),
                p);
    }

    @Test
    void aOneOfReportsTheBranchTheValueWasMeantFor() {
        List<String> p = problems("name: T\nsteps:\n  - id: a\n    wait: { duration: 0s }\n");
        assertEquals(List.of("s.yaml:4:23: steps[0](a).wait.duration: must be longer than zero"), p);
        p = problems("name: T\nsteps:\n  - id: a\n    http: { url: 'https://x.example', expectStatus: [200, 700] }\n");
        assertEquals(
                List.of("s.yaml:4:59: steps[0](a).http.expectStatus[1]: '700' is not an HTTP status (100-599)"), p);
    }

    @Test
    void aOneShotWithACronSaysSo() {
        List<String> p = problems("name: T\nsteps:\n  - id: a\n    wait: 1m\nschedule:\n  cron: '0 4 * * *'\n"
                + "  at: 2027-01-01T09:00:00Z\n  timezone: UTC\n");
        assertEquals(
                List.of("s.yaml:7:7: schedule.at: at is a one-shot: it goes without cron, calendar or interval"), p);
    }

    @Test
    void plainYamlForTimesAndDatesStaysText() {
        WorkflowDefinition d = loader.parse(
                "t.yaml",
                "name: T\nsteps:\n  - id: m\n    wait: { until: 06:30, timezone: UTC }\n"
                        + "schedule: { at: 2027-01-01T09:00:00Z }\n");
        assertEquals("06:30", d.step("m").waitFor().until());
        assertEquals("2027-01-01T09:00:00Z", d.schedule().at().toString());
    }

    @Test
    void anAlertsDefaultsFileIsCheckedByTheSchemaToo() {
        DefinitionException e = assertThrows(
                DefinitionException.class,
                () -> loader.parseAlertsFile(
                        "a.yaml",
                        "alerts:\n  after: 0\n  onFailure: { agentTurn: { message: hi, expect: { json: true } } }\n"));
        assertEquals(
                List.of(
                        "a.yaml:2:10: alerts.after: '0' must be a whole number from 1 to 1000 (consecutive failed runs "
                                + "before the first alert)",
                        "a.yaml:3:50: alerts.onFailure.agentTurn.expect: an alert has no output check"),
                e.problems().stream().map(Problem::toString).toList());
    }
}

package ai.clawfactory.schedules.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.definition.AgentTurnDefinition;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Mapping details no fixture job shows; every field ends up honoured or reported. */
class JobMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final JobMapper mapper = new JobMapper("UTC", false, Instant.parse("2026-12-01T00:00:00Z"));

    private Draft map(String json) throws Exception {
        JsonNode job = JSON.readTree(json);
        return mapper.map(job);
    }

    private static String notes(Draft d) {
        return String.join("\n", d.notes());
    }

    @Test
    void unknownFieldsAreReportedAndRuntimeStateIsNot() throws Exception {
        Draft d = map("""
                {"id": "a", "name": "n", "futureField": {"x": 1}, "lastRunAtMs": 5, "state": {"nextRunAtMs": 1},
                 "schedule": {"kind": "cron", "expr": "0 1 * * *", "tz": "UTC", "newKnob": true},
                 "payload": {"kind": "agentTurn", "message": "m", "temperature": 0.2}}
                """);
        assertEquals(Draft.Outcome.IMPORT, d.outcome());
        String n = notes(d);
        assertTrue(n.contains("field 'futureField' is not known to this importer"), n);
        assertTrue(n.contains("schedule.newKnob true is not carried over"), n);
        assertTrue(n.contains("payload.temperature 0.2 is not honoured"), n);
        assertTrue(!n.contains("lastRunAtMs") && !n.contains("nextRunAtMs"), n);
    }

    @Test
    void aLongAgentTimeoutLengthensTheStepAndNoTimeoutIsReported() throws Exception {
        Draft d = map("""
                {"id": "a", "name": "n", "schedule": {"kind": "every", "everyMs": 60000},
                 "payload": {"kind": "agentTurn", "message": "m", "timeoutSeconds": 1800}}
                """);
        assertEquals(Duration.ofMinutes(31), d.definition().steps().get(0).timeout());
        assertEquals(1800, d.definition().steps().get(0).agentTurn().timeoutSeconds());
        Draft none = map("""
                {"id": "a", "name": "n", "schedule": {"kind": "every", "everyMs": 60000},
                 "payload": {"kind": "agentTurn", "message": "m", "timeoutSeconds": 0}}
                """);
        assertTrue(notes(none).contains("payload.timeoutSeconds 0 (no timeout) is not carried over"), notes(none));
    }

    @Test
    void gatewayDrivenKindsAndBadDataAreRefusedWithAReason() throws Exception {
        Draft onExit = map("""
                {"id": "a", "name": "n", "schedule": {"kind": "on-exit"}, "payload": {"kind": "agentTurn", "message": "m"}}
                """);
        assertEquals(Draft.Outcome.UNSUPPORTED, onExit.outcome());
        assertTrue(
                onExit.reason().contains("schedule kind 'on-exit' is driven by the gateway itself"), onExit.reason());
        Draft badAt = map("""
                {"id": "a", "name": "n", "schedule": {"kind": "at", "at": "soon"}, "payload": {"kind": "agentTurn", "message": "m"}}
                """);
        assertEquals(Draft.Outcome.ERROR, badAt.outcome());
        Draft badTz = map("""
                {"id": "a", "name": "n", "schedule": {"kind": "cron", "expr": "0 1 * * *", "tz": "Mars/Olympus"},
                 "payload": {"kind": "agentTurn", "message": "m"}}
                """);
        assertEquals("schedule.tz 'Mars/Olympus' is not an IANA timezone", badTz.reason());
        assertEquals(
                Draft.Outcome.ERROR,
                map("{\"id\": \"a\", \"name\": \"n\", \"schedule\": {\"kind\": \"every\", "
                                + "\"everyMs\": 60000}, \"payload\": {\"kind\": \"agentTurn\"}}")
                        .outcome());
    }

    @Test
    void sessionsDeliveriesAndLabels() throws Exception {
        Draft d = map("""
                {"id": "a", "name": "n", "displayName": "Nice name", "description": "Does things",
                 "sessionTarget": "current", "schedule": {"kind": "every", "everyMs": 60000},
                 "payload": {"kind": "agentTurn", "message": "m", "deliver": true, "channel": "x", "to": "y"},
                 "delivery": {"mode": "announce", "channel": "slack", "threadId": "t1"}}
                """);
        AgentTurnDefinition turn = d.definition().steps().get(0).agentTurn();
        assertEquals("isolated", turn.sessionMode());
        assertEquals(null, turn.channel(), "a channel without to cannot be sent");
        assertEquals("Does things (Nice name)", d.definition().description());
        String n = notes(d);
        assertTrue(n.contains("sessionTarget current cannot be resolved outside the gateway"), n);
        assertTrue(n.contains("delivery.threadId \"t1\" is not honoured"), n);
        assertTrue(n.contains("delivery channel slack without to"), n);
        assertTrue(n.contains("payload.channel \"x\" is ignored: the job's delivery block takes precedence"), n);
    }
}

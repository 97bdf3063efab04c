package ai.clawfactory.core.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code expect:} on agent turns and the top-level {@code alerts:} block. */
class AlertsDefinitionTest {

    private final DefinitionLoader loader = new DefinitionLoader();

    @Test
    void outputChecksAreReadFromAnAgentTurn() {
        WorkflowDefinition d = loader.parse("e.yaml", """
                name: Checked
                steps:
                  - id: a
                    agentTurn: { message: "go", expect: { contains: "DONE" } }
                  - id: b
                    agentTurn: { message: "go", expect: { matches: "^ok \\\\d+$", json: false, reply: true } }
                  - id: c
                    agentTurn: { message: "go" }
                """);
        assertEquals(
                new OutputCheck("DONE", null, null, null),
                d.step("a").agentTurn().expect());
        assertEquals(
                new OutputCheck(null, "^ok \\d+$", false, true),
                d.step("b").agentTurn().expect());
        assertNull(d.step("c").agentTurn().expect());
    }

    @Test
    void aBadRegexIsReportedWithFileLineAndColumn() {
        DefinitionException e = assertThrows(DefinitionException.class, () -> loader.parse("e.yaml", """
                name: Checked
                steps:
                  - id: a
                    agentTurn: { message: "go", expect: { matches: "([a-z" } }
                """));
        String all = e.getMessage();
        assertTrue(all.contains("e.yaml:4:"), all);
        assertTrue(all.contains("steps[0](a).agentTurn.expect.matches"), all);
        assertTrue(all.contains("is not a regular expression"), all);
    }

    @Test
    void anEmptyOrUnknownCheckIsRefused() {
        String all = assertThrows(DefinitionException.class, () -> loader.parse("e.yaml", """
                name: Checked
                steps:
                  - id: a
                    agentTurn: { message: "go", expect: { json: false } }
                  - id: b
                    agentTurn: { message: "go", expect: { startsWith: "x" } }
                """))
                .getMessage();
        assertTrue(all.contains("steps[0](a).agentTurn.expect: declares no check"), all);
        assertTrue(all.contains("steps[1](b).agentTurn.expect.startsWith: unknown key"), all);
    }

    @Test
    void alertsBlockIsReadWithItsDefaults() {
        WorkflowDefinition d = loader.parse("a.yaml", """
                name: Alerted
                input: { topic: x }
                steps:
                  - id: a
                    wait: 1m
                alerts:
                  cooldown: 30m
                  onFailure:
                    agentTurn: { name: ops-alert, message: "{{workflow.type}} failed at {{failure.step}}: {{failure.message}} {{failure.url}} ({{input.topic}})", channel: telegram, to: "@ops", deliver: true }
                  onRecovery:
                    http: { url: "https://hooks.example.org/recovered", body: '{"text": "{{workflow.type}} recovered after {{failure.attempts}}"}' }
                """);
        AlertsDefinition a = d.alerts();
        assertEquals(1, a.after());
        assertEquals(Duration.ofMinutes(30), a.cooldown());
        assertEquals("telegram", a.onFailure().agentTurn().channel());
        assertEquals("@ops", a.onFailure().agentTurn().to());
        assertEquals("http", a.onRecovery().kind());
        assertEquals("a.yaml", a.source());
    }

    @Test
    void alertTemplatesAreChecked() {
        String all = assertThrows(DefinitionException.class, () -> loader.parse("a.yaml", """
                name: Alerted
                steps:
                  - id: a
                    agentTurn: { message: "{{failure.message}}" }
                alerts:
                  after: 0
                  onFailure:
                    agentTurn: { message: "{{failure.nope}} {{steps.a.output}}" }
                """))
                .getMessage();
        assertTrue(
                all.contains(
                        "steps[0](a).agentTurn.message: 'failure.message': failure.* is only known in an alerts block"),
                all);
        assertTrue(all.contains("alerts.after: '0' must be a whole number from 1 to 1000"), all);
        assertTrue(all.contains("alerts.onFailure.agentTurn.message: 'failure.nope' should be failure."), all);
        assertTrue(all.contains("'steps.a.output' refers to an unknown step"), all);
    }

    @Test
    void alertsFalseTurnsTheWorkersDefaultsOff() {
        WorkflowDefinition d = loader.parse("a.yaml", "name: Quiet\nsteps:\n  - id: a\n    wait: 1m\nalerts: false\n");
        assertNull(d.alerts().onFailure());
        assertNull(d.alerts().onRecovery());
    }

    @Test
    void aDefaultsFileHoldsJustAnAlertsBlock() {
        AlertsDefinition a = loader.parseAlertsFile("alerts.yaml", """
                alerts:
                  after: 2
                  onFailure:
                    agentTurn: { message: "{{workflow.type}} failed: {{failure.message}}", channel: telegram, to: "@ops" }
                """);
        assertEquals(2, a.after());
        assertEquals(AlertsDefinition.DEFAULT_COOLDOWN, a.cooldown());
        String all = assertThrows(
                        DefinitionException.class,
                        () -> loader.parseAlertsFile(
                                "alerts.yaml",
                                "alerts:\n  onFailure:\n    agentTurn: { message: \"{{input.topic}}\" }\n"))
                .getMessage();
        assertTrue(all.contains("alerts.yaml:3:"), all);
        assertTrue(all.contains("undeclared input"), all);
    }

    @Test
    void alertOnSkipIsReadFromTheSchedule() {
        WorkflowDefinition d = loader.parse(
                "s.yaml",
                "name: S\nsteps:\n  - id: a\n    wait: 1m\n"
                        + "schedule: { cron: \"0 4 * * *\", timezone: UTC, alertOnSkip: true }\n");
        assertTrue(d.schedule().alertOnSkip());
        assertTrue(!loader.parse(
                        "s.yaml",
                        "name: S\nsteps:\n  - id: a\n    wait: 1m\n"
                                + "schedule: { cron: \"0 4 * * *\", timezone: UTC }\n")
                .schedule()
                .alertOnSkip());
    }

    /** The examples of docs/DEFINITIONS.md ("Output checks", "Alerts", "Skipped and missed fires"), as one file. */
    @Test
    void theDocumentedExamplesAreValid() {
        WorkflowDefinition d = loader.parse("docs.yaml", """
                name: DigestWorkflow
                steps:
                  - id: report
                    agentTurn:
                      message: "Write the report; end with DONE"
                      expect: { contains: "DONE" }
                  - id: data
                    agentTurn:
                      message: "Answer as JSON {\\"n\\": <count>}"
                      expect: { json: true, matches: '"n":\\s*\\d+' }
                  - id: notify
                    agentTurn:
                      message: "Tell me what changed"
                      channel: telegram
                      to: "@me"
                      expect: { reply: true }
                alerts:
                  after: 2
                  cooldown: 1h
                  onFailure:
                    agentTurn:
                      name: ops-alert
                      message: |
                        {{workflow.type}} failed at step {{failure.step}} after {{failure.attempts}} attempt(s)
                        ({{failure.consecutive}} failed runs in a row): {{failure.message}}
                        Run: {{failure.url}}  Retry: ./clawfactory temporal workflow start --type {{workflow.type}} --task-queue clawfactory
                      channel: telegram
                      to: "@ops"
                      deliver: true
                  onRecovery:
                    http:
                      url: "https://hooks.example.org/ops"
                      headers: { Authorization: "Bearer {{secret.ops-hook}}" }
                      body: '{"text": "{{workflow.type}} recovered (last failure: {{failure.message}})"}'
                schedule: { id: digest-hourly, cron: "0 * * * *", timezone: UTC, overlap: skip, alertOnSkip: true }
                """);
        assertEquals("\"n\":\\s*\\d+", d.step("data").agentTurn().expect().matches());
        assertEquals(2, d.alerts().after());
        assertTrue(d.schedule().alertOnSkip());
    }
}

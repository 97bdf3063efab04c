package ai.clawfactory.core.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.approval.Channels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code approval} step kind in core: its block, its defaults, its notify block and its problems. */
class ApprovalStepDefinitionTest {

    private final DefinitionLoader loader = new DefinitionLoader();

    private static final String FULL = """
            name: Publish
            input: { topic: sonnets }
            steps:
              - id: draft
                agentTurn: { message: "Draft {{input.topic}}" }
              - id: publish
                approval:
                  prompt: "Publish the draft on {{input.topic}}? {{steps.draft.output}}"
                  timeout: 24h
                  onTimeout: reject
                  by: [cli, api, mcp]
                  notify:
                    agentTurn:
                      message: "Please decide: {{approval.prompt}} {{approval.link}} or {{approval.command}}"
                      channel: telegram
                      to: "123"
              - id: post
                when: steps.publish.ok
                http: { url: "https://example.com/post", body: '{"decision": "{{steps.publish.output}}"}' }
            """;

    @Test
    void approvalStepCarriesPromptTimeoutChannelsAndNotify() {
        WorkflowDefinition d = loader.parse("p.yaml", FULL);
        StepDefinition publish = d.step("publish");
        assertEquals("approval", publish.kind());
        ApprovalDefinition a = publish.approval();
        assertEquals(a, publish.action());
        assertEquals("Publish the draft on {{input.topic}}? {{steps.draft.output}}", a.prompt());
        assertEquals(Duration.ofHours(24), a.timeout());
        assertEquals("reject", a.timeoutMeans());
        assertEquals(List.of("cli", "api", "mcp"), a.channels());
        assertEquals("agentTurn", a.notification().kind());
        assertTrue(a.notification().agentTurn().message().contains("{{approval.link}}"));
        assertNull(publish.agentTurn());
        assertEquals("approval by cli/api/mcp within 1d", Describe.what(publish));
    }

    @Test
    void withoutByOrOnTimeoutAnApprovalFailsOnTimeoutAndRefusesMcp() {
        WorkflowDefinition d = loader.parse("p.yaml", """
                name: Publish
                steps:
                  - id: publish
                    approval: { prompt: "Go?", timeout: 2h }
                """);
        ApprovalDefinition a = d.step("publish").approval();
        assertNull(a.by());
        assertNull(a.notification());
        assertEquals(Channels.DEFAULT_BY, a.channels());
        assertTrue(!a.channels().contains(Channels.MCP));
        assertEquals(ApprovalDefinition.ON_TIMEOUT_FAIL, a.timeoutMeans());
    }

    @Test
    void theSchemasChannelsAreTheContractsChannels() {
        List<String> schema = new ArrayList<>();
        DefinitionSchema.RAW.at("/$defs/approvalChannel/enum").forEach(n -> schema.add(n.asText()));
        assertEquals(Channels.ALL, schema);
        List<String> defaults = new ArrayList<>();
        DefinitionSchema.RAW.at("/$defs/approval/properties/by/default").forEach(n -> defaults.add(n.asText()));
        assertEquals(Channels.DEFAULT_BY, defaults);
    }

    @Test
    void theWriterWritesWhatTheReaderReads() {
        WorkflowDefinition d = loader.parse("p.yaml", FULL);
        String written = DefinitionWriter.write(d, List.of());
        assertEquals(d.steps(), loader.parse("p.yaml", written).steps(), written);
    }

    @Test
    void problemsAreReportedWithTheirPathAndPlace() {
        DefinitionException e = assertThrows(DefinitionException.class, () -> loader.parse("p.yaml", """
                name: Publish
                steps:
                  - id: publish
                    approval:
                      prompt: "Go? {{approval.link}}"
                      timeout: 0s
                      by: [cli, slack]
                      notify:
                        http: { url: "https://example.com/{{approval.nope}}" }
                """));
        String all = e.getMessage();
        assertTrue(
                all.contains("p.yaml:5:15: steps[0](publish).approval.prompt: 'approval.link': approval.* is only "
                        + "known in an approval step's notify block"),
                all);
        assertTrue(
                all.contains("steps[0](publish).approval.by[1]: 'slack' is not one of cli, api, mcp, temporal"), all);
        assertTrue(all.contains("steps[0](publish).approval.timeout:"), all);
        assertTrue(all.contains("'approval.nope' should be approval.link|command|prompt"), all);
    }
}

package ai.clawfactory.core.definition;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The {@code agentTurn} step kind in core: an OpenClaw hook turn ({@link AgentTurnDefinition}), its output check. */
final class AgentTurnSlice implements StepKindSlice<AgentTurnDefinition> {

    @Override
    public StepKind kind() {
        return StepKind.AGENT_TURN;
    }

    @Override
    public AgentTurnDefinition read(YamlCursor at, TemplateScope scope) {
        if (!at.isMapping()) {
            return null;
        }
        String message = at.text("message");
        if (message != null) {
            scope.check(at.get("message"), message);
        }
        YamlCursor expect = at.get("expect");
        return new AgentTurnDefinition(
                message,
                at.text("name"),
                at.text("agentId"),
                at.text("sessionKey"),
                at.text("sessionMode"),
                at.text("model"),
                at.text("thinking"),
                at.whole("timeoutSeconds"),
                at.optionalBool("deliver", true),
                at.text("channel"),
                at.text("to"),
                at.text("wakeMode"),
                at.text("jobId"),
                expect == null ? null : outputCheck(expect));
    }

    /** {@code expect: {contains, matches, json, reply}}; a regex must compile (at least one is the schema's to say). */
    private static OutputCheck outputCheck(YamlCursor at) {
        if (!at.isMapping()) {
            return null;
        }
        String matches = at.text("matches");
        if (matches != null) {
            try {
                Pattern.compile(matches);
            } catch (PatternSyntaxException e) {
                at.get("matches")
                        .problem("'" + matches + "' is not a regular expression: " + e.getDescription()
                                + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
            }
        }
        return new OutputCheck(
                at.text("contains"), matches, at.optionalBool("json", false), at.optionalBool("reply", false));
    }

    /** The mode before the key it qualifies; the delivery fields together. */
    @Override
    public Object write(AgentTurnDefinition t) {
        Map<String, Object> m = new LinkedHashMap<>();
        DefinitionWriter.put(m, "message", t.message());
        DefinitionWriter.put(m, "name", t.name());
        DefinitionWriter.put(m, "agentId", t.agentId());
        DefinitionWriter.put(m, "sessionMode", t.sessionMode());
        DefinitionWriter.put(m, "sessionKey", t.sessionKey());
        DefinitionWriter.put(m, "model", t.model());
        DefinitionWriter.put(m, "thinking", t.thinking());
        DefinitionWriter.put(m, "timeoutSeconds", t.timeoutSeconds());
        DefinitionWriter.put(m, "deliver", t.deliver());
        DefinitionWriter.put(m, "channel", t.channel());
        DefinitionWriter.put(m, "to", t.to());
        DefinitionWriter.put(m, "wakeMode", t.wakeMode());
        DefinitionWriter.put(m, "jobId", t.jobId());
        OutputCheck c = t.expect();
        if (c != null) {
            Map<String, Object> expect = new LinkedHashMap<>();
            DefinitionWriter.put(expect, "contains", c.contains());
            DefinitionWriter.put(expect, "matches", c.matches());
            DefinitionWriter.put(expect, "json", c.json());
            DefinitionWriter.put(expect, "reply", c.reply());
            DefinitionWriter.put(m, "expect", expect);
        }
        return m;
    }

    @Override
    public String what(AgentTurnDefinition t) {
        String who = t.name() != null
                ? t.name()
                : t.agentId() != null
                        ? "agent " + t.agentId()
                        : t.jobId() != null ? "job " + t.jobId() : "default agent";
        return "agent turn " + who;
    }

    @Override
    public Map<String, SchemaText> schemaTexts() {
        SchemaText together = SchemaText.of("channel and to go together: set both or neither");
        return Map.of(
                "agentTurn/anyOf",
                SchemaText.atChild(
                        "message",
                        "missing: what the agent should do (jobId alone is only for the legacy cron-fire gateway)"),
                "agentTurn/dependentRequired/channel",
                together,
                "agentTurn/dependentRequired/to",
                together,
                "outputCheck/anyOf",
                SchemaText.of("declares no check: set contains, matches, json: true or reply: true"));
    }
}

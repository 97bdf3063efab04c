package ai.clawfactory.core.definition;

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

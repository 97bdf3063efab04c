package ai.clawfactory.core.definition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code approval} step kind in core: a wait for a person's decision ({@link ApprovalDefinition}). */
final class ApprovalSlice implements StepKindSlice<ApprovalDefinition> {

    @Override
    public StepKind kind() {
        return StepKind.APPROVAL;
    }

    /**
     * {@code approval: {prompt, timeout, onTimeout, by, notify}}: the prompt is a template; the
     * notify block is an agent turn or an HTTP call read as that kind reads it, whose templates may
     * also read {@code approval.link|command|prompt}.
     */
    @Override
    public ApprovalDefinition read(YamlCursor at, TemplateScope scope) {
        if (!at.isMapping()) {
            return null;
        }
        String prompt = at.text("prompt");
        if (prompt != null) {
            scope.check(at.get("prompt"), prompt);
        }
        Duration timeout = at.positiveDuration("timeout", null);
        if (timeout != null && timeout.compareTo(ApprovalDefinition.MAX_TIMEOUT) > 0) {
            at.get("timeout")
                    .problem("an approval waits at most " + Durations.format(ApprovalDefinition.MAX_TIMEOUT)
                            + " (write a shorter timeout)");
            timeout = null;
        }
        List<String> by = null;
        YamlCursor byAt = at.get("by");
        if (byAt != null) {
            by = new ArrayList<>();
            for (YamlCursor c : byAt.items()) {
                if (c.text() != null) {
                    by.add(c.text()); // one of Channels.ALL, as the schema's enum says
                }
            }
            by = List.copyOf(by);
        }
        int before = at.problems().size();
        YamlCursor notifyAt = at.get("notify");
        AlertAction notify = notifyAt == null ? null : AlertsReader.action(notifyAt, scope.inApproval());
        if (prompt == null
                || timeout == null
                || (notifyAt != null && notify == null)
                || at.problems().size() > before) {
            return null;
        }
        return new ApprovalDefinition(prompt, timeout, at.text("onTimeout"), by, notify);
    }

    @Override
    public Object write(ApprovalDefinition a) {
        Map<String, Object> m = new LinkedHashMap<>();
        DefinitionWriter.put(m, "prompt", a.prompt());
        DefinitionWriter.put(m, "timeout", Durations.format(a.timeout()));
        DefinitionWriter.put(m, "onTimeout", a.onTimeout());
        DefinitionWriter.put(m, "by", a.by());
        if (a.notification() != null) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put(a.notification().kind(), StepSlices.write(a.notification().action()));
            m.put("notify", n);
        }
        return m;
    }

    @Override
    public String what(ApprovalDefinition a) {
        return "approval by " + String.join("/", a.channels()) + " within " + Durations.format(a.timeout());
    }

    @Override
    public boolean hasAttempts() {
        return false;
    }

    @Override
    public Map<String, SchemaText> schemaTexts() {
        return Map.of(
                "approval/required/prompt", SchemaText.of("missing: what the person is asked (prompt)"),
                "approval/required/timeout",
                        SchemaText.of("missing: how long to wait for a decision (timeout, e.g. 24h)"));
    }
}

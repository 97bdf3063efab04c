package ai.clawfactory.core.definition;

import java.util.List;
import java.util.Map;

/**
 * What a template or condition may read where it is written: the workflow's inputs, the steps
 * before it (and all of them, to say "later" rather than "unknown"), and in an alerts block
 * {@code failure.*} too.
 *
 * @param input   the declared inputs
 * @param earlier ids of the steps before this one
 * @param all     ids of every step
 * @param alerts  true in an alerts block: {@code failure.*} is known there
 */
record TemplateScope(Map<String, String> input, List<String> earlier, List<String> all, boolean alerts) {

    /** The scope of an alerts block: inputs, {@code workflow.*} and {@code failure.*}, no steps. */
    static TemplateScope ofAlerts(Map<String, String> input) {
        return new TemplateScope(input, List.of(), List.of(), true);
    }

    /** Checks the references of a template (an agent turn's message, a wake's text) at {@code at}. */
    void check(YamlCursor at, String template) {
        unclosed(at, template);
        for (String ref : Expressions.templateRefs(template)) {
            String err = ref.startsWith("failure.") || (alerts && ref.equals("failure"))
                    ? failureRef(ref)
                    : Expressions.checkRef(ref, input, earlier, all, false);
            if (err != null) {
                at.problem(err);
            }
        }
    }

    /** An http step's template: like any other, {@code secret.NAME} allowed, each problem at its column. */
    void checkHttp(YamlCursor at, String template) {
        unclosed(at, template);
        for (Expressions.Placeholder p : Expressions.placeholders(template)) {
            String err = HttpTemplates.isSecretRef(p.ref())
                    ? HttpTemplates.checkSecretRef(p.ref())
                    : p.ref().startsWith("failure.")
                            ? failureRef(p.ref())
                            : Expressions.checkRef(p.ref(), input, earlier, all, false);
            if (err != null) {
                at.problemAt(p.start(), err);
            }
        }
    }

    /** Checks a step's {@code when} condition at {@code at}. */
    void checkCondition(YamlCursor at, String condition) {
        try {
            for (String ref : Expressions.conditionRefs(condition)) {
                String err = Expressions.checkRef(ref, input, earlier, all, true);
                if (err != null) {
                    at.problem(err);
                }
            }
        } catch (IllegalArgumentException e) {
            at.problem(e.getMessage());
        }
    }

    private static void unclosed(YamlCursor at, String template) {
        if (template.contains("{{") && Expressions.templateRefs(template).isEmpty()) {
            at.problem("has '{{' without a matching '}}'");
        }
    }

    /** An error for a {@code failure.*} reference (in an alerts block only), or null when it is fine. */
    private String failureRef(String ref) {
        if (!alerts) {
            return "'" + ref + "': failure.* is only known in an alerts block";
        }
        String[] p = ref.split("\\.");
        if (p.length != 2 || !AlertsDefinition.FAILURE_FIELDS.contains(p[1])) {
            return "'" + ref + "' should be failure."
                    + String.join(
                            "|",
                            AlertsDefinition.FAILURE_FIELDS.stream().sorted().toList());
        }
        return null;
    }
}

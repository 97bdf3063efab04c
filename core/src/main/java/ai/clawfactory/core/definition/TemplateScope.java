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
 * @param graph   true in a graph ({@link StepGraph}): {@code earlier} are the steps this one needs,
 *                directly or through others, the only ones sure to have finished when it runs
 * @param fanned  ids of the steps with a {@code forEach} (whose {@code items} may be read)
 * @param item    the name a fan-out's item is read by in this step ({@code {{topic}}}), or null
 * @param approval true in an approval's {@code notify:} block: {@code approval.link|command|prompt} are known there
 */
record TemplateScope(
        Map<String, String> input,
        List<String> earlier,
        List<String> all,
        boolean alerts,
        boolean graph,
        List<String> fanned,
        String item,
        boolean approval) {

    /** A scope outside an approval's {@code notify:} block. */
    TemplateScope(
            Map<String, String> input,
            List<String> earlier,
            List<String> all,
            boolean alerts,
            boolean graph,
            List<String> fanned,
            String item) {
        this(input, earlier, all, alerts, graph, fanned, item, false);
    }

    /** A scope of a step in a file without a graph, or of an alerts block. */
    TemplateScope(Map<String, String> input, List<String> earlier, List<String> all, boolean alerts) {
        this(input, earlier, all, alerts, false, List.of(), null);
    }

    /** The scope of an alerts block: inputs, {@code workflow.*} and {@code failure.*}, no steps. */
    static TemplateScope ofAlerts(Map<String, String> input) {
        return new TemplateScope(input, List.of(), List.of(), true);
    }

    /** This scope inside a fan-out whose item is read as {@code name}. */
    TemplateScope withItem(String name) {
        return new TemplateScope(input, earlier, all, alerts, graph, fanned, name, approval);
    }

    /** This scope in an approval's {@code notify:} block, where {@code approval.*} is known too. */
    TemplateScope inApproval() {
        return new TemplateScope(input, earlier, all, alerts, graph, fanned, item, true);
    }

    /** Checks the references of a template (an agent turn's message, a wake's text) at {@code at}. */
    void check(YamlCursor at, String template) {
        unclosed(at, template);
        for (String ref : Expressions.templateRefs(template)) {
            String err =
                    ref.startsWith("failure.") || (alerts && ref.equals("failure")) ? failureRef(ref) : ref(ref, false);
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
                    : p.ref().startsWith("failure.") ? failureRef(p.ref()) : ref(p.ref(), false);
            if (err != null) {
                at.problemAt(p.start(), err);
            }
        }
    }

    /** Checks a step's {@code when} condition at {@code at}. */
    void checkCondition(YamlCursor at, String condition) {
        try {
            for (String ref : Expressions.conditionRefs(condition)) {
                String err = ref(ref, true);
                if (err != null) {
                    at.problem(err);
                }
            }
        } catch (IllegalArgumentException e) {
            at.problem(e.getMessage());
        }
    }

    /** An error for a reference to the run (input, steps, workflow, the item), or null when it is fine. */
    private String ref(String ref, boolean condition) {
        if (!condition && ref.equals(item)) {
            return null;
        }
        if (ref.equals("approval") || ref.startsWith("approval.")) {
            return approvalRef(ref);
        }
        String[] p = ref.split("\\.");
        if (p.length == 3 && p[0].equals("steps") && p[2].equals(Expressions.ITEMS) && !condition) {
            if (earlier.contains(p[1]) && !fanned.contains(p[1])) {
                return "'" + ref + "': step '" + p[1] + "' has no forEach, so no items (read steps." + p[1]
                        + ".output)";
            }
        }
        if (graph && p.length >= 2 && p[0].equals("steps") && all.contains(p[1]) && !earlier.contains(p[1])) {
            return "'" + ref + "' refers to step '" + p[1]
                    + "', which this step does not need: add it to this step's needs (or to a step it needs)";
        }
        return Expressions.checkRef(ref, input, earlier, all, condition);
    }

    /** An error for an {@code approval.*} reference (in an approval's notify block only), or null when it is fine. */
    private String approvalRef(String ref) {
        if (!approval) {
            return "'" + ref + "': approval.* is only known in an approval step's notify block";
        }
        String[] p = ref.split("\\.");
        if (p.length != 2 || !ApprovalDefinition.NOTIFY_FIELDS.contains(p[1])) {
            return "'" + ref + "' should be approval." + String.join("|", ApprovalDefinition.NOTIFY_FIELDS);
        }
        return null;
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

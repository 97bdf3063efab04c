package ai.clawfactory.core.definition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The two small languages of definitions.
 * <ul>
 *   <li>Templates: {@code {{input.topic}}}, {@code {{steps.execute.output}}},
 *       {@code {{steps.execute.status}}}, {@code {{steps.execute.runId}}},
 *       {@code {{workflow.id}}}, {@code {{workflow.runId}}}, {@code {{workflow.type}}},
 *       {@code {{workflow.startTime}}}; in {@code http} steps also {@code {{secret.NAME}}}
 *       (see {@link HttpTemplates} for how http step values are escaped).</li>
 *   <li>Conditions ({@code when}): references joined by {@code and} / {@code or}, each optionally
 *       preceded by {@code not}: {@code steps.execute.ok}, {@code steps.execute.failed},
 *       {@code steps.execute.skipped}, {@code input.enabled} (true unless empty, false, no, 0).
 *       {@code and} binds tighter than {@code or}.</li>
 * </ul>
 */
public final class Expressions {

    private static final Pattern REF = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]+)*");

    /** A fan-out step's field: the list of its items' results (JSON: item, status, output, error). */
    public static final String ITEMS = "items";
    /** Step fields a template may read. */
    public static final Set<String> STEP_FIELDS = Set.of("output", "status", "runId", "error", "httpStatus", ITEMS);
    /** Step predicates a condition may test. */
    public static final Set<String> STEP_PREDICATES = Set.of("ok", "failed", "skipped");
    /** Workflow fields a template may read. */
    public static final Set<String> WORKFLOW_FIELDS = Set.of("id", "runId", "type", "startTime");

    private Expressions() {}

    /** One {@code {{...}}} of a template: its reference and where it starts and ends (exclusive). */
    public record Placeholder(String ref, int start, int end) {}

    /**
     * The placeholders of a template, in order: {@code {{}}, then anything but braces, then
     * {@code }}}; the reference is what lies between, without the whitespace ({@code \s}) around
     * it. A hand-written scan in one pass: the regular expression it replaces
     * ({@code \{\{\s*([^{}]*?)\s*}}}) backtracked in cubic time over a long run of spaces
     * after {@code {{} (4,000 spaces: over a minute), which hung validate, imports and reloads.
     */
    public static List<Placeholder> placeholders(String template) {
        List<Placeholder> out = new ArrayList<>();
        if (template == null) {
            return out;
        }
        int open = template.indexOf("{{");
        while (open >= 0) {
            int end = open + 2;
            while (end < template.length() && template.charAt(end) != '{' && template.charAt(end) != '}') {
                end++;
            }
            if (template.startsWith("}}", end)) {
                out.add(new Placeholder(trimSpace(template, open + 2, end), open, end + 2));
                open = template.indexOf("{{", end + 2);
            } else {
                // A brace inside, or no closing pair: the next "{{" may start one character on.
                open = template.indexOf("{{", open + 1);
            }
        }
        return out;
    }

    /** The references inside a template's placeholders, in order. */
    public static List<String> templateRefs(String template) {
        return placeholders(template).stream().map(Placeholder::ref).toList();
    }

    /** Replaces every placeholder with what {@code resolver} returns for its reference. */
    public static String render(String template, Function<String, String> resolver) {
        if (template == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(template.length());
        int done = 0;
        for (Placeholder p : placeholders(template)) {
            String value = resolver.apply(p.ref());
            sb.append(template, done, p.start()).append(value == null ? "" : value);
            done = p.end();
        }
        return sb.append(template, done, template.length()).toString();
    }

    /** {@code text[from, to)} without the regular-expression whitespace ({@code [ \t\n\x0B\f\r]}) at either end. */
    private static String trimSpace(String text, int from, int to) {
        int a = from;
        int b = to;
        while (a < b && isSpace(text.charAt(a))) {
            a++;
        }
        while (b > a && isSpace(text.charAt(b - 1))) {
            b--;
        }
        return text.substring(a, b);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    /** The references of a condition, each with whether it is negated; a syntax error throws. */
    public static List<String> conditionRefs(String condition) {
        List<String> refs = new ArrayList<>();
        for (String disjunct : split(condition, "or")) {
            for (String term : split(disjunct, "and")) {
                String t = term.trim();
                if (t.startsWith("not ")) {
                    t = t.substring(4).trim();
                }
                if (!REF.matcher(t).matches()) {
                    throw new IllegalArgumentException(
                            "'" + term.trim()
                                    + "' is not a condition (write e.g. steps.execute.ok, not steps.execute.failed, input.enabled)");
                }
                refs.add(t);
            }
        }
        return refs;
    }

    /** Evaluates a condition; {@code truth} answers each (non-negated) reference. */
    public static boolean evaluate(String condition, Function<String, Boolean> truth) {
        if (condition == null || condition.isBlank()) {
            return true;
        }
        for (String disjunct : split(condition, "or")) {
            boolean all = true;
            for (String term : split(disjunct, "and")) {
                String t = term.trim();
                boolean negate = t.startsWith("not ");
                if (negate) {
                    t = t.substring(4).trim();
                }
                boolean v = Boolean.TRUE.equals(truth.apply(t));
                if (negate == v) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    /** How an input value reads as a condition. */
    public static boolean truthy(String value) {
        if (value == null) {
            return false;
        }
        String v = value.trim().toLowerCase();
        return !(v.isEmpty() || v.equals("false") || v.equals("no") || v.equals("0") || v.equals("off"));
    }

    private static List<String> split(String text, String word) {
        List<String> parts = new ArrayList<>();
        for (String p : text.split("\\s+" + word + "\\s+", -1)) {
            if (p.isBlank()) {
                throw new IllegalArgumentException("'" + text.trim() + "' has an empty side of '" + word + "'");
            }
            parts.add(p);
        }
        return parts;
    }

    /** Checks a reference against what is declared; returns an error message or null. */
    public static String checkRef(
            String ref,
            Map<String, String> inputs,
            List<String> earlierSteps,
            List<String> allSteps,
            boolean condition) {
        String[] parts = ref.split("\\.");
        switch (parts[0]) {
            case "input" -> {
                if (parts.length != 2) {
                    return "'" + ref + "' should be input.<name>";
                }
                if (!inputs.containsKey(parts[1])) {
                    return "'" + ref + "' names an undeclared input (declared: " + describe(inputs.keySet()) + ")";
                }
                return null;
            }
            case "steps" -> {
                Set<String> fields = condition ? STEP_PREDICATES : STEP_FIELDS;
                if (parts.length != 3) {
                    return "'" + ref + "' should be steps.<id>." + String.join("|", sorted(fields));
                }
                if (!earlierSteps.contains(parts[1])) {
                    return allSteps.contains(parts[1])
                            ? "'" + ref + "' refers to step '" + parts[1] + "', which has not run yet at this point"
                            : "'" + ref + "' refers to an unknown step (steps before this one: "
                                    + describe(earlierSteps) + ")";
                }
                if (!fields.contains(parts[2])) {
                    return "'" + ref + "': '" + parts[2] + "' is not one of " + String.join(", ", sorted(fields));
                }
                return null;
            }
            case "workflow" -> {
                if (condition) {
                    return "'" + ref + "' cannot be a condition (use steps.<id>.ok|failed|skipped or input.<name>)";
                }
                if (parts.length != 2 || !WORKFLOW_FIELDS.contains(parts[1])) {
                    return "'" + ref + "' should be workflow." + String.join("|", sorted(WORKFLOW_FIELDS));
                }
                return null;
            }
            case "secret" -> {
                return "'" + ref
                        + "': secrets can only be used in an http step's url, headers or body, or a command step's argv or env"
                        + (condition ? "" : " (an agent message is sent to the gateway and the model, and recorded)");
            }
            default -> {
                return "'" + ref + "' must start with input., steps." + (condition ? "" : " or workflow.");
            }
        }
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }

    private static String describe(java.util.Collection<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}

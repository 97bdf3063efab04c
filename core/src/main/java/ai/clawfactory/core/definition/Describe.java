package ai.clawfactory.core.definition;

import java.util.List;

/**
 * Short human texts for a definition, as the Temporal Web UI shows them: a run's summary and its
 * steps as a Markdown table (static summary and details), and one line per step for the
 * activities and timers it issues ({@code execute: agent turn poetry-research-execute}).
 */
public final class Describe {

    private Describe() {}

    /** The run's one-line summary: the description, or the name when there is none. */
    public static String summary(WorkflowDefinition d) {
        String text = d.description() == null || d.description().isBlank()
                ? d.name()
                : d.description().strip();
        return text.lines().findFirst().orElse(d.name());
    }

    /** The steps as a small Markdown table, with where the definition came from. */
    public static String details(WorkflowDefinition d) {
        StringBuilder sb = new StringBuilder();
        // No version hash here: a comment or key order in the file must not make every schedule update.
        sb.append("**").append(cell(d.name())).append("**\n\n");
        sb.append("| step | what | when | attempts |\n|---|---|---|---|\n");
        for (StepDefinition s : d.steps()) {
            sb.append("| ")
                    .append(cell(s.id()))
                    .append(" | ")
                    .append(cell(what(s)))
                    .append(
                            s.forEach() == null
                                    ? ""
                                    : ", for each " + cell(s.forEach().as()))
                    .append(" | ")
                    .append(when(s))
                    .append(" | ")
                    .append(
                            StepSlices.hasAttempts(s.action())
                                    ? s.retry().maximumAttempts() + " × " + Durations.format(s.timeout())
                                    : "")
                    .append(s.continueOnFailure() ? ", continues on failure" : "")
                    .append(" |\n");
        }
        return sb.toString();
    }

    /** What a step does, in a few words: {@code agent turn NAME}, {@code wait 2h}, {@code http POST host/path} (its kind's slice says). */
    public static String what(StepDefinition s) {
        return StepSlices.what(s.action());
    }

    /** A step's line in the UI: {@code execute: agent turn poetry-research-execute}. */
    public static String step(StepDefinition s) {
        return s.id() + ": " + what(s);
    }

    /** When a step runs: always, after its needs (in a graph), on its condition. */
    private static String when(StepDefinition s) {
        String after = s.needs() == null ? null : "after " + cell(String.join(", ", s.needs()));
        if (s.when() == null) {
            return after == null ? "always" : after;
        }
        return (after == null ? "" : after + ", ") + "`" + cell(s.when()) + "`";
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    /** For tests and messages: every step's line. */
    public static List<String> steps(WorkflowDefinition d) {
        return d.steps().stream().map(Describe::step).toList();
    }
}

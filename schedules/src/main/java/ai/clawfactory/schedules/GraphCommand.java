package ai.clawfactory.schedules;

import ai.clawfactory.core.ExitCode;
import ai.clawfactory.core.definition.DefinitionLoader;
import ai.clawfactory.core.definition.Describe;
import ai.clawfactory.core.definition.StepDefinition;
import ai.clawfactory.core.definition.StepGraph;
import ai.clawfactory.core.definition.WorkflowDefinition;
import ai.clawfactory.core.logging.LogText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code graph NAME [--mermaid] [--dir DIR]}: a definition's steps and what each needs, as text or
 * as a Mermaid {@code flowchart} for docs. What the file says is shown, never interpreted: every
 * text line goes through {@link LogText#oneLine}, and in Mermaid the nodes are {@code s0, s1, …}
 * with labels whose every character but letters, digits and a few marks is an entity code, so no
 * id or name can end a label or start a statement of the diagram.
 */
@Command(
        name = "graph",
        mixinStandardHelpOptions = true,
        description = "Show a definition's steps and what each needs, as text or (--mermaid) as a Mermaid flowchart.")
final class GraphCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "The workflow type, as its definition names it.")
    String name;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            defaultValue = "${env:DEFINITIONS_DIR:-definitions}",
            description = "Folder of *.yaml definitions (default: $DEFINITIONS_DIR or definitions).")
    Path dir;

    @Option(names = "--mermaid", description = "Print a Mermaid flowchart (for docs) instead of text.")
    boolean mermaid;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DefinitionLoader.DefinitionSet set =
                Definitions.load(dir, spec.commandLine().getErr());
        WorkflowDefinition d = set.workflows().get(name);
        if (d == null) {
            throw new UserException(
                    ExitCode.INVALID.code(),
                    "No definition named '" + LogText.oneLine(name) + "' in " + dir + " (defined: "
                            + (set.workflows().isEmpty()
                                    ? "none"
                                    : String.join(", ", set.workflows().keySet())) + ")");
        }
        for (String line : mermaid ? mermaid(d) : text(d)) {
            out.println(line);
        }
        out.flush();
        return 0;
    }

    /** The needs of {@code s}: its own in a graph, the step before it in a file that runs one after another. */
    static List<String> needs(WorkflowDefinition d, StepDefinition s) {
        if (StepGraph.isGraph(d)) {
            return s.needs() == null ? List.of() : s.needs();
        }
        int i = d.steps().indexOf(s);
        return i == 0 ? List.of() : List.of(d.steps().get(i - 1).id());
    }

    static List<String> text(WorkflowDefinition d) {
        List<String> lines = new ArrayList<>();
        boolean graph = StepGraph.isGraph(d);
        lines.add(d.name() + " (" + d.source() + "): " + d.steps().size() + " steps, "
                + (graph ? "a graph, at most " + StepGraph.maxParallel(d) + " at once" : "one after another"));
        for (StepDefinition s : d.steps()) {
            StringBuilder sb = new StringBuilder("  ")
                    .append(String.format("%-16s", s.id()))
                    .append(Describe.what(s));
            if (s.forEach() != null) {
                sb.append(", for each ")
                        .append(s.forEach().as())
                        .append(" in ")
                        .append(
                                s.forEach().items() != null
                                        ? s.forEach().items().size() + " items"
                                        : "input." + s.forEach().input())
                        .append(" (")
                        .append(StepGraph.maxParallel(d, s))
                        .append(" at a time)");
            }
            List<String> needs = needs(d, s);
            if (!needs.isEmpty()) {
                sb.append("  ← ").append(graph ? "needs " : "after ").append(String.join(", ", needs));
            }
            if (s.when() != null) {
                sb.append("  when ").append(s.when());
            }
            lines.add(sb.toString());
        }
        return lines.stream().map(LogText::oneLine).toList();
    }

    static List<String> mermaid(WorkflowDefinition d) {
        List<String> lines = new ArrayList<>();
        lines.add("flowchart TD");
        List<StepDefinition> steps = d.steps();
        for (int i = 0; i < steps.size(); i++) {
            StepDefinition s = steps.get(i);
            String label = s.id() + ": " + Describe.what(s)
                    + (s.forEach() == null ? "" : " (for each " + s.forEach().as() + ")");
            lines.add("  s" + i + "[\"" + label(label) + "\"]");
        }
        for (int i = 0; i < steps.size(); i++) {
            StepDefinition s = steps.get(i);
            for (String need : needs(d, s)) {
                int from = steps.indexOf(d.step(need));
                lines.add("  s" + from + " --> s" + i
                        + (s.when() == null ? "" : "|\"" + label("when " + s.when()) + "\"|"));
            }
        }
        return lines;
    }

    /** A Mermaid label: letters, digits and {@code  _.,:/-} as they are, every other character as its entity code ({@code #34;}). */
    static String label(String text) {
        StringBuilder sb = new StringBuilder();
        LogText.oneLine(text).codePoints().forEach(cp -> {
            if (Character.isLetterOrDigit(cp) && cp < 128 || " _.,:/-()".indexOf(cp) >= 0) {
                sb.appendCodePoint(cp);
            } else {
                sb.append('#').append(cp).append(';');
            }
        });
        return sb.toString();
    }
}

package ai.clawfactory.core.definition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads one step: what every kind has (id, when, timeout, retry, continueOnFailure, needs,
 * forEach), then its kind's block through its slice.
 */
final class StepReader {
    /** A step id, as the schema's {@code $defs/stepId} says. */
    static final Pattern STEP_ID = DefinitionSchema.pattern("stepId");

    private StepReader() {}

    /** The id a step declares (when it is text), or null: read before the steps themselves, so conditions can name later ones. */
    static String declaredId(Node n) {
        if (n instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k
                        && "id".equals(k.getValue())
                        && t.getValueNode() instanceof ScalarNode s) {
                    return s.getValue();
                }
            }
        }
        return null;
    }

    /** The step at {@code at}, or null when it has a problem (reported) or is not a step at all (the schema's to say). */
    static StepDefinition read(
            YamlCursor at, TemplateScope scope, Duration defaultTimeout, RetryDefinition defaultRetry) {
        if (!at.isMapping()) {
            return null;
        }
        String declared = declaredId(at.node());
        String id = declared != null && STEP_ID.matcher(declared).matches() ? declared : null;
        YamlCursor step = id == null ? at : at.renamed(at.path() + "(" + id + ")");
        int before = at.problems().size();
        String when = step.text("when");
        if (when != null) {
            scope.checkCondition(step.get("when"), when);
        }
        Duration timeout = step.positiveDuration("timeout", defaultTimeout);
        RetryDefinition retry = retry(step.get("retry"), defaultRetry);
        boolean continueOnFailure = step.bool("continueOnFailure", false);
        List<StepKind> kinds =
                Arrays.stream(StepKind.values()).filter(k -> step.has(k.key())).toList();
        if (kinds.size() != 1) {
            return null; // the schema says a step has exactly one kind
        }
        StepKind kind = kinds.get(0);
        ForEachDefinition forEach = forEach(step.get("forEach"), scope);
        StepAction action =
                StepSlices.read(kind, step.get(kind.key()), forEach == null ? scope : scope.withItem(forEach.as()));
        List<String> needs = needs(step.get("needs"));
        if (at.problems().size() > before || action == null) {
            return null;
        }
        StepDefinition read = StepDefinition.of(id, when, timeout, retry, continueOnFailure, action);
        return needs == null && forEach == null ? read : read.withGraph(needs, forEach);
    }

    /** The ids a step's {@code needs} lists (as text; checked against the file's steps by {@link StepGraph}), or null. */
    static List<String> needs(YamlCursor at) {
        if (at == null || !(at.node() instanceof SequenceNode)) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (YamlCursor item : at.items()) {
            if (item.text() != null) {
                out.add(item.text());
            }
        }
        return List.copyOf(out);
    }

    /** A step's fan-out, or null; its list input is checked against the declared inputs here, its kind by {@link FileReader}. */
    static ForEachDefinition forEach(YamlCursor at, TemplateScope scope) {
        if (at == null || !at.isMapping()) {
            return null;
        }
        String as = at.text("as");
        Integer maxParallel = at.whole("maxParallel");
        YamlCursor items = at.get("items");
        if (as == null || items == null) {
            return null; // the schema says both are required
        }
        if (items.node() instanceof SequenceNode) {
            List<String> written = new ArrayList<>();
            for (YamlCursor item : items.items()) {
                written.add(item.text() == null ? "" : item.text());
            }
            return new ForEachDefinition(List.copyOf(written), null, as, maxParallel);
        }
        String input = listInput(items.text());
        if (input == null) {
            return null; // not "{{input.NAME}}": the schema's to say
        }
        if (!scope.input().containsKey(input)) {
            items.problem("'input." + input + "' names an undeclared input (declared: "
                    + (scope.input().isEmpty()
                            ? "none"
                            : String.join(", ", scope.input().keySet())) + ")");
            return null;
        }
        return new ForEachDefinition(null, input, as, maxParallel);
    }

    /** The input a {@code forEach.items} of the form {@code {{input.NAME}}} reads, or null. */
    static String listInput(String items) {
        if (items == null) {
            return null;
        }
        List<String> refs = Expressions.templateRefs(items.trim());
        String ref = refs.size() == 1 ? refs.get(0) : "";
        return ref.startsWith("input.")
                        && ref.indexOf('.', 6) < 0
                        && items.trim().startsWith("{{")
                        && items.trim().endsWith("}}")
                ? ref.substring(6)
                : null;
    }

    /** A retry policy: what is set over {@code fallback}; null (no block) is the fallback itself. */
    static RetryDefinition retry(YamlCursor at, RetryDefinition fallback) {
        if (at == null || !at.isMapping()) {
            return fallback;
        }
        Duration initial = at.positiveDuration("initialInterval", fallback.initialInterval());
        Duration max = at.positiveDuration("maximumInterval", fallback.maximumInterval());
        Double coefficient = at.number("backoffCoefficient"); // 1.0 to 100, as the schema says
        Integer attempts = at.whole("maximumAttempts"); // 1 to 100, as the schema says
        if (initial != null && max != null && max.compareTo(initial) < 0) {
            at.problem(at.path() + ".maximumInterval", "must not be shorter than initialInterval");
        }
        return new RetryDefinition(
                initial,
                coefficient == null ? fallback.backoffCoefficient() : coefficient,
                max,
                attempts == null ? fallback.maximumAttempts() : attempts);
    }
}

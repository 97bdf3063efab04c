package ai.clawfactory.core.definition;

import static ai.clawfactory.core.definition.DefinitionLoader.DEFAULT_TIMEOUT;
import static ai.clawfactory.core.definition.DefinitionLoader.MAX_STEPS;
import static ai.clawfactory.core.definition.DefinitionLoader.NAME;
import static ai.clawfactory.core.definition.DefinitionLoader.ordered;
import static ai.clawfactory.core.definition.DefinitionLoader.version;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads one definition file (or an alerts defaults file) from the top: name, input, defaults,
 * steps, schedule and alerts; collects problems instead of stopping at the first.
 */
final class FileReader extends ScheduleReader {
    static final Pattern INPUT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");

    /** The definition read, or null when the file has problems or holds only a schedule. */
    WorkflowDefinition result;
    /** The workflow type the file declares, when its name could be read (even if other parts are bad). */
    String declaredName;

    int nameLine;
    int nameColumn;

    FileReader(String file, String text, String defaultTimezone) {
        super(file, text, defaultTimezone);
    }

    AlertsDefinition readAlertsOnly() {
        Node root = compose();
        if (root == null) {
            if (problems.isEmpty()) {
                problems.add(new Problem(
                        file, 1, 1, "", "the file is empty (an alerts defaults file holds an 'alerts:' block)"));
            }
            return null;
        }
        MappingNode doc = mapping(root, "");
        if (doc == null) {
            return null;
        }
        Map<String, Node> top = checkedKeys(doc, "", "alerts");
        if (!top.containsKey("alerts")) {
            problem(doc, "alerts", "missing: an alerts defaults file holds an 'alerts:' block");
            return null;
        }
        List<Problem> structural = DefinitionSchema.checkAlerts(file, top.get("alerts"));
        AlertsDefinition a = alerts(top.get("alerts"), Map.of());
        mergeStructural(structural);
        return problems.isEmpty() ? a : null;
    }

    WorkflowDefinition read() {
        Node root = compose();
        if (root == null) {
            if (problems.isEmpty()) {
                problems.add(
                        new Problem(file, 1, 1, "", "the file is empty (a definition needs at least name and steps)"));
            }
            return null;
        }
        Map<String, Node> keys = root instanceof MappingNode m ? keys(m, "", "name", "steps", "schedule") : Map.of();
        boolean scheduleOnly = keys.containsKey("schedule") && !keys.containsKey("name") && !keys.containsKey("steps");
        List<Problem> structural = DefinitionSchema.check(file, root, scheduleOnly);
        WorkflowDefinition d = read(root);
        mergeStructural(structural);
        if (!problems.isEmpty()) {
            standalone = null;
            return null;
        }
        return d;
    }

    /** What the schema cannot say: references between steps, durations, zones, cron, the caps; and the model. */
    private WorkflowDefinition read(Node root) {
        MappingNode doc = mapping(root, "");
        if (doc == null) {
            return null;
        }
        Map<String, Node> top =
                keys(doc, "", "name", "description", "input", "defaults", "steps", "schedule", "alerts");
        if (top.containsKey("schedule") && !top.containsKey("name") && !top.containsKey("steps")) {
            // A schedule-only file: starts a workflow defined in another file of the folder.
            for (String key : List.of("input", "defaults", "alerts")) {
                if (top.containsKey(key)) {
                    problem(
                            top.get(key),
                            key,
                            "a schedule-only file has no '" + key + "' (set schedule.input instead)");
                }
            }
            ScheduleDefinition s = schedule(top.get("schedule"), null, null);
            if (problems.isEmpty()) {
                standalone = s;
            }
            return null;
        }

        String name = requiredString(top, "name", "", NAME);
        if (top.containsKey("name")) {
            nameLine = line(top.get("name"));
            nameColumn = top.get("name").getStartMark().getColumn() + 1;
        }
        declaredName = name;
        String description = optionalString(top, "description", "");

        Map<String, String> input = new LinkedHashMap<>();
        if (top.containsKey("input")) {
            MappingNode in = mapping(top.get("input"), "input");
            if (in != null) {
                for (NodeTuple t : in.getValue()) {
                    String key = scalarText(t.getKeyNode());
                    String path = "input." + key;
                    if (key == null || !INPUT_NAME.matcher(key).matches()) {
                        problem(
                                t.getKeyNode(),
                                path,
                                "input names are letters, digits, '_' or '-', starting with a letter");
                        continue;
                    }
                    if (t.getValueNode() instanceof ScalarNode s) { // a single value, as the schema says
                        input.put(key, isNull(s) ? "" : s.getValue());
                    }
                }
            }
        }

        Duration defaultTimeout = DEFAULT_TIMEOUT;
        RetryDefinition defaultRetry = RetryDefinition.DEFAULT;
        if (top.containsKey("defaults")) {
            MappingNode dm = mapping(top.get("defaults"), "defaults");
            if (dm != null) {
                Map<String, Node> dk = keys(dm, "defaults", "timeout", "retry");
                defaultTimeout = positiveDuration(dk, "timeout", "defaults", DEFAULT_TIMEOUT);
                defaultRetry = retry(dk.get("retry"), "defaults.retry", RetryDefinition.DEFAULT);
            }
        }

        List<StepDefinition> steps = new ArrayList<>();
        // steps: missing, not a list or empty is the schema's to say; the cap is ours
        if (top.get("steps") instanceof SequenceNode seq && !seq.getValue().isEmpty()) {
            if (seq.getValue().size() > MAX_STEPS) {
                problem(
                        seq.getValue().get(MAX_STEPS),
                        "steps[" + MAX_STEPS + "]",
                        "a workflow has at most " + MAX_STEPS + " steps, this one "
                                + seq.getValue().size() + " (split it into workflows of their own)");
            } else {
                List<String> ids = new ArrayList<>();
                for (Node n : seq.getValue()) {
                    String path = "steps[" + ids.size() + "]";
                    String id = stepId(n, path);
                    ids.add(id == null ? "" : id);
                }
                List<String> seen = new ArrayList<>();
                int i = 0;
                for (Node n : seq.getValue()) {
                    String path = "steps[" + i + "]";
                    String id = ids.get(i);
                    if (!id.isEmpty() && seen.contains(id)) {
                        problem(n, path + ".id", "'" + id + "' is used by an earlier step (step ids must be unique)");
                    }
                    StepDefinition s = step(n, path, input, seen, ids, defaultTimeout, defaultRetry);
                    if (s != null) {
                        steps.add(s);
                    }
                    if (!id.isEmpty()) {
                        seen.add(id);
                    }
                    i++;
                }
            }
        }

        ScheduleDefinition schedule = null;
        if (top.containsKey("schedule")) {
            schedule = schedule(top.get("schedule"), name, input);
        }
        AlertsDefinition alerts = top.containsKey("alerts") ? alerts(top.get("alerts"), input) : null;
        if (!problems.isEmpty()) {
            return null;
        }
        return new WorkflowDefinition(
                name, description, file, version(text), ordered(input), List.copyOf(steps), schedule, alerts);
    }
}

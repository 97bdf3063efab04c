package ai.clawfactory.core.definition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads one definition file (or an alerts defaults file) from the top: checks its structure
 * against the schema, then hands each part to its reader (steps, schedule, alerts) with the one
 * problems sink; what it read comes back as a {@link FileRead}.
 */
final class FileReader {
    private final String file;
    private final String text;
    private final String defaultTimezone;
    private final Problems problems;

    FileReader(String file, String text, String defaultTimezone) {
        this.file = file;
        this.text = text;
        this.defaultTimezone = defaultTimezone;
        this.problems = new Problems(file);
    }

    /** What an alerts defaults file gave: its block (null when it has problems) and its problems. */
    record AlertsFile(AlertsDefinition alerts, List<Problem> problems) {}

    /** An alerts defaults file: one {@code alerts:} block (inputs unknown: they differ between types). */
    AlertsFile readAlertsOnly() {
        Node root = YamlSource.compose(text, problems);
        AlertsDefinition a = null;
        if (root == null) {
            if (problems.isEmpty()) {
                problems.add(1, 1, "the file is empty (an alerts defaults file holds an 'alerts:' block)");
            }
        } else {
            List<Problem> structural = DefinitionSchema.checkAlertsFile(file, root);
            YamlCursor alerts = new YamlCursor(root, "", problems).get("alerts");
            a = alerts == null ? null : AlertsReader.read(alerts, Map.of());
            problems.mergeStructural(structural);
        }
        return new AlertsFile(problems.isEmpty() ? a : null, problems.list());
    }

    /** A workflow definition or a schedule-only file. */
    FileRead read() {
        Node root = YamlSource.compose(text, problems);
        if (root == null) {
            if (problems.isEmpty()) {
                problems.add(1, 1, "the file is empty (a definition needs at least name and steps)");
            }
            return FileRead.failed(problems.list());
        }
        YamlCursor top = new YamlCursor(root, "", problems);
        boolean scheduleOnly = top.has("schedule") && !top.has("name") && !top.has("steps");
        List<Problem> structural = DefinitionSchema.check(file, root, scheduleOnly);
        FileRead read = scheduleOnly ? scheduleOnly(top) : workflow(top);
        problems.mergeStructural(structural);
        if (!problems.isEmpty()) {
            return new FileRead(problems.list(), null, read.declaredName(), read.nameAt(), read.schedule(), null);
        }
        return read;
    }

    /** A file holding just a schedule, for a workflow defined in another file of the folder. */
    private FileRead scheduleOnly(YamlCursor top) {
        YamlCursor at = top.get("schedule");
        FileRead.ScheduleRead s = new ScheduleReader(defaultTimezone).read(at, null, null);
        return new FileRead(List.of(), null, null, FileRead.Position.UNKNOWN, s, s == null ? null : s.definition());
    }

    /** What the schema cannot say: references between steps, durations, zones, cron, the caps; and the model. */
    private FileRead workflow(YamlCursor top) {
        if (!top.isMapping()) {
            return FileRead.failed(List.of());
        }
        String named = top.text("name");
        String name = named != null && DefinitionLoader.NAME.matcher(named).matches() ? named : null;
        FileRead.Position nameAt = FileRead.Position.of(top.get("name"));

        Map<String, String> input = new LinkedHashMap<>();
        Map<String, YamlCursor> listInputs = new LinkedHashMap<>();
        YamlCursor in = top.get("input");
        if (in != null) {
            for (YamlCursor.Entry e : in.entries()) {
                if (e.value().isScalar()) {
                    String v = e.value().text(); // a single value, as the schema says
                    input.put(e.key(), v == null ? "" : v);
                } else if (e.value().node() instanceof SequenceNode) {
                    // a list, for a forEach to read (checked below): held as its JSON text
                    input.put(
                            e.key(),
                            ForEachDefinition.listText(e.value().items().stream()
                                    .map(YamlCursor::text)
                                    .toList()));
                    listInputs.put(e.key(), e.value());
                }
            }
        }

        Duration defaultTimeout = DefinitionLoader.DEFAULT_TIMEOUT;
        RetryDefinition defaultRetry = RetryDefinition.DEFAULT;
        YamlCursor defaults = top.get("defaults");
        if (defaults != null && defaults.isMapping()) {
            defaultTimeout = defaults.positiveDuration("timeout", DefinitionLoader.DEFAULT_TIMEOUT);
            defaultRetry = StepReader.retry(defaults.get("retry"), RetryDefinition.DEFAULT);
        }

        Integer maxParallel = top.whole("maxParallel"); // 1 to 32, as the schema says
        List<StepDefinition> steps =
                steps(top.get("steps"), input, defaultTimeout, defaultRetry, top.has("maxParallel"));
        listInputs(listInputs, steps, top.get("steps"));

        FileRead.ScheduleRead schedule =
                top.has("schedule") ? new ScheduleReader(defaultTimezone).read(top.get("schedule"), name, input) : null;
        YamlCursor scheduleInput = top.has("schedule") ? top.get("schedule").get("input") : null;
        if (scheduleInput != null) {
            for (YamlCursor.Entry e : scheduleInput.entries()) {
                String step = fannedOver(steps, e.key());
                if (step != null) {
                    e.value().problem(scheduleListInput(e.key(), step));
                }
            }
        }
        AlertsDefinition alerts = top.has("alerts") ? AlertsReader.read(top.get("alerts"), input) : null;
        WorkflowDefinition d = problems.isEmpty()
                ? new WorkflowDefinition(
                        name,
                        top.text("description"),
                        file,
                        DefinitionLoader.version(text),
                        DefinitionLoader.ordered(input),
                        List.copyOf(steps),
                        schedule == null ? null : schedule.definition(),
                        alerts,
                        maxParallel)
                : null;
        return new FileRead(List.of(), d, name, nameAt, schedule, null);
    }

    /** The first step whose {@code forEach} fans out over input {@code name}, or null. */
    private static String fannedOver(List<StepDefinition> steps, String name) {
        for (StepDefinition s : steps) {
            if (s.forEach() != null && name.equals(s.forEach().input())) {
                return s.id();
            }
        }
        return null;
    }

    /** Why a schedule may not set input {@code name}, the list step {@code step} fans out over. */
    static String scheduleListInput(String name, String step) {
        return "input '" + name + "' is the list step '" + step + "' fans out over; a schedule's input holds single "
                + "values: leave it out here (the definition's default list applies)";
    }

    /**
     * An input whose default is a list must be one a {@code forEach} reads, and an input a
     * {@code forEach} reads must have a list default (empty for none): a run's input is then a list
     * exactly where a fan-out expects one.
     */
    private static void listInputs(Map<String, YamlCursor> lists, List<StepDefinition> steps, YamlCursor stepsAt) {
        Map<String, String> readBy = new LinkedHashMap<>();
        for (StepDefinition s : steps) {
            if (s.forEach() != null && s.forEach().input() != null) {
                readBy.putIfAbsent(s.forEach().input(), s.id());
            }
        }
        lists.forEach((name, at) -> {
            if (!readBy.containsKey(name)) {
                at.problem("input '" + name + "' is a list, but no step's forEach reads it: an input is a single "
                        + "value, unless a forEach fans out over it (forEach: { items: \"{{input." + name
                        + "}}\", as: ... })");
            }
        });
        readBy.forEach((name, step) -> {
            if (!lists.containsKey(name) && stepsAt != null) {
                YamlCursor where = stepsAt;
                for (YamlCursor s : stepsAt.items()) {
                    if (step.equals(s.text("id")) && s.get("forEach") != null) {
                        where = s.get("forEach").get("items");
                    }
                }
                where.problem("step '" + step + "' fans out over input '" + name
                        + "', whose default is not a list: declare it as one (input: { " + name
                        + ": [a, b] }, or [] for none)");
            }
        });
    }

    /**
     * The steps, each checked against the ids of all: a condition may not name a later one (and
     * says so); in a graph ({@link StepGraph}) only the steps it needs, and the needs themselves.
     */
    private static List<StepDefinition> steps(
            YamlCursor at,
            Map<String, String> input,
            Duration defaultTimeout,
            RetryDefinition defaultRetry,
            boolean topMaxParallel) {
        List<StepDefinition> steps = new ArrayList<>();
        // steps: missing, not a list, empty or too long is the schema's to say
        if (at == null
                || !(at.node() instanceof SequenceNode seq)
                || seq.getValue().isEmpty()
                || seq.getValue().size() > DefinitionLoader.MAX_STEPS) {
            return steps;
        }
        List<String> ids = new ArrayList<>();
        for (Node n : seq.getValue()) {
            String id = StepReader.declaredId(n);
            ids.add(id == null ? "" : id);
        }
        // Before the steps themselves: the needs (a step may need a later one) and which steps fan out.
        boolean graph = topMaxParallel;
        Map<String, List<String>> needs = new LinkedHashMap<>();
        Map<String, YamlCursor> needsAt = new LinkedHashMap<>();
        List<String> fanned = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            YamlCursor step = new YamlCursor(
                    seq.getValue().get(i),
                    at.path() + "[" + i + "]" + (id.isEmpty() ? "" : "(" + id + ")"),
                    at.problems());
            YamlCursor written = step.isMapping() ? step.get("needs") : null;
            List<String> n = StepReader.needs(written);
            graph |= n != null || (step.isMapping() && step.has("forEach"));
            if (step.isMapping() && step.has("forEach")) {
                fanned.add(id);
            }
            if (!id.isEmpty() && !needs.containsKey(id)) {
                needs.put(id, n == null ? List.of() : n);
                if (written != null) {
                    needsAt.put(id, written);
                }
            }
        }
        Map<String, List<String>> known = graph ? StepGraph.check(needs, needsAt) : Map.of();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            YamlCursor step = new YamlCursor(seq.getValue().get(i), at.path() + "[" + i + "]", at.problems());
            String id = ids.get(i);
            if (!id.isEmpty() && seen.contains(id)) {
                step.problem(step.path() + ".id", "'" + id + "' is used by an earlier step (step ids must be unique)");
            }
            TemplateScope scope = graph
                    ? new TemplateScope(
                            input, StepGraph.ancestors(known, id), ids, false, true, List.copyOf(fanned), null)
                    : new TemplateScope(input, List.copyOf(seen), ids, false);
            StepDefinition s = StepReader.read(step, scope, defaultTimeout, defaultRetry);
            if (s != null) {
                steps.add(s);
            }
            if (!id.isEmpty()) {
                seen.add(id);
            }
        }
        return steps;
    }
}

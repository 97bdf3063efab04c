package ai.clawfactory.core.definition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The steps of a definition as a graph: a step runs once every step it {@code needs} has finished.
 * A definition in which no step has {@code needs} or {@code forEach} and that sets no top-level
 * {@code maxParallel} is not a graph: its steps run one after another, as they always did.
 *
 * <p>Checked here (what the schema cannot say): every need names a step of the file (with a
 * did-you-mean), no step needs itself, and the needs have no cycle (reported with its path,
 * {@code a → b → c → a}).
 */
public final class StepGraph {

    /**
     * Most steps or items in flight at once in a graph that sets no {@code maxParallel}: a quarter
     * of the worker's 16 activity slots ({@code WORKER_MAX_ACTIVITIES}), so one run's fan-out
     * leaves room for the other runs of a 2-core worker.
     */
    public static final int DEFAULT_MAX_PARALLEL = 4;

    private StepGraph() {}

    /** Whether {@code d} runs as a graph ({@code needs}, {@code forEach} or a top-level {@code maxParallel}). */
    public static boolean isGraph(WorkflowDefinition d) {
        return d.maxParallel() != null || d.steps().stream().anyMatch(s -> s.needs() != null || s.forEach() != null);
    }

    /** Most steps (or fan-out items) of one run in flight at once. */
    public static int maxParallel(WorkflowDefinition d) {
        return d.maxParallel() == null ? DEFAULT_MAX_PARALLEL : d.maxParallel();
    }

    /** Most items of {@code step}'s fan-out in flight at once: its own limit, never above the definition's. */
    public static int maxParallel(WorkflowDefinition d, StepDefinition step) {
        int overall = maxParallel(d);
        Integer own = step.forEach() == null ? null : step.forEach().maxParallel();
        return own == null ? overall : Math.min(own, overall);
    }

    /** The inputs a {@code forEach} fans out over (the only inputs that are lists), each with the first step that does. */
    public static Map<String, String> listInputs(WorkflowDefinition d) {
        Map<String, String> out = new LinkedHashMap<>();
        for (StepDefinition s : d.steps()) {
            if (s.forEach() != null && s.forEach().input() != null) {
                out.putIfAbsent(s.forEach().input(), s.id());
            }
        }
        return out;
    }

    /** The needs of each step, by id, in file order (a step without needs has none). */
    public static Map<String, List<String>> needs(WorkflowDefinition d) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (StepDefinition s : d.steps()) {
            out.put(s.id(), s.needs() == null ? List.of() : s.needs());
        }
        return out;
    }

    /** The steps {@code id} needs, directly or through others, in file order ({@code needs} as {@link #needs} gives it). */
    public static List<String> ancestors(Map<String, List<String>> needs, String id) {
        Set<String> found = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>(needs.getOrDefault(id, List.of()));
        while (!todo.isEmpty()) {
            String n = todo.remove(todo.size() - 1);
            if (!n.equals(id) && needs.containsKey(n) && found.add(n)) {
                todo.addAll(needs.get(n));
            }
        }
        return needs.keySet().stream().filter(found::contains).toList();
    }

    /**
     * Checks the needs of the steps of a file: {@code needs} holds each step's written needs by id
     * (in file order), {@code at} the cursor of each step's {@code needs} list. Problems go to the
     * cursors; returns the needs that name steps of the file, by id.
     */
    static Map<String, List<String>> check(Map<String, List<String>> needs, Map<String, YamlCursor> at) {
        Map<String, List<String>> known = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : needs.entrySet()) {
            String id = e.getKey();
            List<String> ok = new ArrayList<>();
            List<YamlCursor> items = at.containsKey(id) ? at.get(id).items() : List.of();
            for (int i = 0; i < e.getValue().size(); i++) {
                String need = e.getValue().get(i);
                YamlCursor where = i < items.size() ? items.get(i) : at.get(id);
                if (need.equals(id)) {
                    where.problem("step '" + id + "' cannot need itself");
                } else if (!needs.containsKey(need)) {
                    Set<String> others = new LinkedHashSet<>(needs.keySet());
                    others.remove(id);
                    String hint = SchemaMessages.closest(need, others);
                    where.problem("'" + need + "' is not a step of this workflow"
                            + (hint == null ? "" : " (did you mean '" + hint + "'?)")
                            + "; steps: " + String.join(", ", others));
                } else {
                    ok.add(need);
                }
            }
            known.put(id, ok);
        }
        Set<Set<String>> reported = new LinkedHashSet<>();
        for (String id : known.keySet()) {
            List<String> cycle = cycleFrom(known, id);
            if (cycle != null && reported.add(new java.util.TreeSet<>(cycle))) {
                at.get(id)
                        .problem("the needs form a cycle: " + String.join(" → ", cycle) + " → " + id
                                + " (no step of it could ever start; remove one of these needs)");
            }
        }
        return known;
    }

    /** A path of needs from {@code start} back to itself ({@code start, b, c}), or null. */
    private static List<String> cycleFrom(Map<String, List<String>> needs, String start) {
        List<String> path = new ArrayList<>();
        path.add(start);
        return walk(needs, start, path, new LinkedHashSet<>()) ? path : null;
    }

    private static boolean walk(Map<String, List<String>> needs, String start, List<String> path, Set<String> seen) {
        String last = path.get(path.size() - 1);
        for (String n : needs.getOrDefault(last, List.of())) {
            if (n.equals(start)) {
                return true;
            }
            if (seen.add(n)) {
                path.add(n);
                if (walk(needs, start, path, seen)) {
                    return true;
                }
                path.remove(path.size() - 1);
            }
        }
        return false;
    }
}

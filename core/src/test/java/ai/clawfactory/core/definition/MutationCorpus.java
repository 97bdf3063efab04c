package ai.clawfactory.core.definition;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Definitions made by mutating valid ones ({@code corpus-seeds/}): at every node an unknown key, a
 * missing or misspelt key, a value of the wrong type, a misspelt enum value or broken pattern, an
 * empty value, a zero duration; and the rules that only Java knew before (an {@code offset}
 * without an {@code interval}, {@code deleteAfterRun} without {@code at}, ...). Deterministic: the
 * same seeds give the same mutants in the same order.
 */
final class MutationCorpus {

    /** One mutant: which seed, what was done where, and the YAML text. */
    record Mutant(String seed, String label, String text) {
        boolean alertsFile() {
            return seed.startsWith("alerts-");
        }

        @Override
        public String toString() {
            return seed + ": " + label;
        }
    }

    static final List<String> SEEDS = List.of(
            "everything.yaml",
            "cron.yaml",
            "calendar.yaml",
            "one-shot.yaml",
            "schedule-only.yaml",
            "alerts-defaults.yaml");

    private static final List<Object> REPLACEMENTS =
            List.of("some text", 42, -1, 2.5, true, List.of("x"), Map.of("k", "v"), "0s", "PT0S", "P0D", "");

    private MutationCorpus() {}

    static String seed(String name) throws IOException {
        try (InputStream in = MutationCorpus.class.getResourceAsStream("/corpus-seeds/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static List<Mutant> all() throws IOException {
        List<Mutant> out = new ArrayList<>();
        for (String seed : SEEDS) {
            String text = seed(seed);
            out.add(new Mutant(seed, "as written", text));
            Object tree = load(text);
            walk(tree, new ArrayList<>(), (label, mutated) -> out.add(new Mutant(seed, label, dump(mutated))), tree);
        }
        out.addAll(targeted());
        return out;
    }

    /** The rules that lived only in Java, each broken on its own in an otherwise valid file. */
    static List<Mutant> targeted() throws IOException {
        List<Mutant> out = new ArrayList<>();
        Map<String, Object> d = map(load(seed("everything.yaml")));
        Map<String, Object> s = map(d.get("schedule"));
        s.remove("interval");
        s.put("cron", "0 * * * *");
        out.add(new Mutant("everything.yaml", "offset without interval", dump(d)));

        d = map(load(seed("cron.yaml")));
        map(d.get("schedule")).put("deleteAfterRun", true);
        out.add(new Mutant("cron.yaml", "deleteAfterRun without at", dump(d)));

        d = map(load(seed("cron.yaml")));
        map(d.get("schedule")).put("workflowId", "w".repeat(980));
        out.add(new Mutant("cron.yaml", "workflowId over Temporal's limit", dump(d)));

        d = map(load(seed("everything.yaml")));
        map(d.get("input")).put("1bad", "x");
        out.add(new Mutant("everything.yaml", "an input name that is not one", dump(d)));

        d = map(load(seed("everything.yaml")));
        map(d.get("defaults")).put("timeout", "PT0M");
        out.add(new Mutant("everything.yaml", "an ISO zero timeout", dump(d)));

        d = map(load(seed("schedule-only.yaml")));
        d.put("input", Map.of("topic", "x"));
        out.add(new Mutant("schedule-only.yaml", "a schedule-only file with input", dump(d)));

        d = map(load(seed("everything.yaml")));
        List<Object> steps = list(d.get("steps"));
        while (steps.size() <= 100) {
            steps.add(Map.of("id", "more" + steps.size(), "wait", "1s"));
        }
        out.add(new Mutant("everything.yaml", "101 steps", dump(d)));
        return out;
    }

    private interface Sink {
        void accept(String label, Object mutated);
    }

    /** Calls {@code sink} with a copy of {@code root} for every mutation of the node at {@code path}, then recurses. */
    private static void walk(Object node, List<Object> path, Sink sink, Object root) {
        String at = path.isEmpty() ? "(top)" : path.toString();
        if (node instanceof Map<?, ?> m) {
            sink.accept(at + " + unknown key", replaced(root, path, withKey(m, "bogus", 1)));
            for (Object key : m.keySet()) {
                Map<Object, Object> without = new LinkedHashMap<>(m);
                without.remove(key);
                sink.accept(at + " - " + key, replaced(root, path, without));
                Map<Object, Object> renamed = new LinkedHashMap<>();
                m.forEach((k, v) -> renamed.put(k.equals(key) ? typo(String.valueOf(k)) : k, v));
                sink.accept(at + " misspelt " + key, replaced(root, path, renamed));
            }
        } else if (node instanceof List<?> l && !l.isEmpty()) {
            sink.accept(at + " = []", replaced(root, path, List.of()));
        } else if (node instanceof String s && !s.isEmpty()) {
            sink.accept(at + " misspelt value", replaced(root, path, typo(s)));
        }
        if (!path.isEmpty()) {
            for (Object r : REPLACEMENTS) {
                if (!r.equals(node)) {
                    sink.accept(at + " = " + r, replaced(root, path, r));
                }
            }
            sink.accept(at + " = null", replaced(root, path, null));
        }
        if (node instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                List<Object> p = new ArrayList<>(path);
                p.add(e.getKey());
                walk(e.getValue(), p, sink, root);
            }
        } else if (node instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                List<Object> p = new ArrayList<>(path);
                p.add(i);
                walk(l.get(i), p, sink, root);
            }
        }
    }

    /** A misspelling: the last two letters swapped, or a letter added to a short word. */
    static String typo(String s) {
        if (s.length() < 4) {
            return s + "x";
        }
        int n = s.length();
        return s.substring(0, n - 2) + s.charAt(n - 1) + s.charAt(n - 2);
    }

    private static Map<Object, Object> withKey(Map<?, ?> m, Object key, Object value) {
        Map<Object, Object> copy = new LinkedHashMap<>(m);
        copy.put(key, value);
        return copy;
    }

    /** A deep copy of {@code root} with the node at {@code path} replaced. */
    private static Object replaced(Object root, List<Object> path, Object value) {
        if (path.isEmpty()) {
            return value;
        }
        Object head = path.get(0);
        List<Object> rest = path.subList(1, path.size());
        if (root instanceof Map<?, ?> m) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(k, k.equals(head) ? replaced(v, rest, value) : v));
            return copy;
        }
        List<Object> copy = new ArrayList<>((List<?>) root);
        int i = (Integer) head;
        copy.set(i, replaced(copy.get(i), rest, value));
        return copy;
    }

    static Object load(String text) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    }

    static String dump(Object tree) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setWidth(1000);
        return new Yaml(new Representer(o), o).dump(tree);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }
}

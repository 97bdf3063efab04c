package ai.clawfactory.core.definition;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

import java.io.StringReader;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The bottom layer of a file's reader: composes the YAML and offers small typed accessors that
 * record a problem, with its line and column, instead of stopping at the first.
 */
abstract class YamlReader {
    final String file;
    final String text;
    final String defaultTimezone;
    final List<Problem> problems = new ArrayList<>();
    /** The mapping each key map was read from, for the position of a missing key. */
    final Map<Map<String, Node>, MappingNode> owners = new java.util.IdentityHashMap<>();

    YamlReader(String file, String text, String defaultTimezone) {
        this.file = file;
        this.text = text;
        this.defaultTimezone = defaultTimezone;
    }

    Node compose() {
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            options.setCodePointLimit(1024 * 1024);
            return new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark();
            problems.add(new Problem(file, m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1, "",
                    "not valid YAML: " + e.getProblem()));
            return null;
        } catch (YAMLException e) {
            problems.add(new Problem(file, 0, 0, "", "not valid YAML: " + e.getMessage()));
            return null;
        }
    }

    void zone(Node at, String path, String tz) {
        try {
            ZoneId.of(tz);
        } catch (DateTimeException e) {
            problem(at, path, "'" + tz + "' is not an IANA timezone (e.g. UTC, Europe/Berlin, America/New_York)");
        }
    }

    /** A problem {@code offset} characters into a scalar; the column is exact for one-line scalars without escapes. */
    void problemAt(Node at, int offset, String path, String message) {
        int quote = at instanceof ScalarNode s && s.getScalarStyle() == org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN ? 0 : 1;
        if (at instanceof ScalarNode s && s.getStartMark().getLine() == s.getEndMark().getLine()
                && s.getEndMark().getColumn() - s.getStartMark().getColumn() - 2 * quote == s.getValue().length()) {
            problems.add(new Problem(file, line(at), at.getStartMark().getColumn() + 1 + quote + offset, path, message));
        } else {
            problem(at, path, message);
        }
    }

    // ---- small typed accessors that record problems with positions ----

    MappingNode mapping(Node n, String path) {
        if (n instanceof MappingNode m) {
            return m;
        }
        problem(n, path.isEmpty() ? "" : path, "must be a mapping of key: value lines"
                + (path.isEmpty() ? " (a definition starts with name:, steps:)" : ""));
        return null;
    }

    Map<String, Node> keys(MappingNode m, String path, String... allowed) {
        Set<String> allowedSet = new LinkedHashSet<>(List.of(allowed));
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String key = scalarText(t.getKeyNode());
            String keyPath = path.isEmpty() ? key : path + "." + key;
            if (key == null) {
                problem(t.getKeyNode(), path, "keys must be plain words");
            } else if (!allowedSet.contains(key)) {
                String hint = closest(key, allowedSet);
                problem(t.getKeyNode(), keyPath, "unknown key" + (hint == null ? "" : " (did you mean '" + hint + "'?)")
                        + "; allowed here: " + String.join(", ", allowedSet));
            } else if (out.put(key, t.getValueNode()) != null) {
                problem(t.getKeyNode(), keyPath, "appears twice");
            }
        }
        owners.put(out, m);
        return out;
    }

    String requiredString(Map<String, Node> k, String key, String path, Pattern pattern, String rule) {
        String p = path.isEmpty() ? key : path + "." + key;
        if (!k.containsKey(key)) {
            MappingNode owner = owners.get(k);
            if (owner == null) {
                problems.add(new Problem(file, 0, 0, p, "missing"));
            } else {
                problem(owner, p, "missing");
            }
            return null;
        }
        String v = scalar(k.get(key), p);
        if (v != null && !pattern.matcher(v).matches()) {
            problem(k.get(key), p, "'" + v + "' is not allowed: " + rule);
            return null;
        }
        return v;
    }

    String optionalString(Map<String, Node> k, String key, String path) {
        if (!k.containsKey(key)) {
            return null;
        }
        return scalar(k.get(key), path.isEmpty() ? key : path + "." + key);
    }

    String scalar(Node n, String path) {
        if (n instanceof ScalarNode s && !isNull(s)) {
            return s.getValue();
        }
        problem(n, path, n instanceof ScalarNode ? "must not be empty" : "must be a single value, not a list or mapping");
        return null;
    }

    boolean bool(Map<String, Node> k, String key, String path, boolean fallback) {
        if (!k.containsKey(key)) {
            return fallback;
        }
        String v = scalar(k.get(key), path + "." + key);
        if ("true".equals(v)) {
            return true;
        }
        if ("false".equals(v)) {
            return false;
        }
        problem(k.get(key), path + "." + key, "'" + v + "' must be true or false");
        return fallback;
    }

    Duration duration(Map<String, Node> k, String key, String path, Duration fallback) {
        if (!k.containsKey(key)) {
            return fallback;
        }
        String p = path.isEmpty() ? key : path + "." + key;
        String v = scalar(k.get(key), p);
        if (v == null) {
            return fallback;
        }
        try {
            return Durations.parse(v);
        } catch (IllegalArgumentException e) {
            problem(k.get(key), p, e.getMessage());
            return fallback;
        }
    }

    Duration positiveDuration(Map<String, Node> k, String key, String path, Duration fallback) {
        Duration d = duration(k, key, path, fallback);
        if (d != null && k.containsKey(key) && (d.isZero() || d.isNegative())) {
            problem(k.get(key), path + "." + key, "must be longer than zero");
            return fallback;
        }
        return d;
    }

    void problem(Node at, String path, String message) {
        problems.add(new Problem(file, line(at), at == null ? 0 : at.getStartMark().getColumn() + 1, path, message));
    }

    static int line(Node n) {
        return n == null ? 0 : n.getStartMark().getLine() + 1;
    }

    static boolean isNull(ScalarNode s) {
        return s.getTag().getValue().endsWith(":null");
    }

    static String scalarText(Node n) {
        return n instanceof ScalarNode s ? s.getValue() : null;
    }

    static String closest(String key, Set<String> allowed) {
        String best = null;
        int bestDistance = 3;
        for (String a : allowed) {
            int d = distance(key.toLowerCase(), a.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = a;
            }
        }
        return best;
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}

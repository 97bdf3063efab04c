package ai.clawfactory.core.definition;

import java.io.StringReader;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The bottom layer of a file's reader: composes the YAML and offers small typed accessors that
 * record a problem, with its line and column, instead of stopping at the first.
 */
abstract class YamlReader {
    final String file;
    final String text;
    final String defaultTimezone;
    final List<Problem> problems = new ArrayList<>();

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
            Yaml yaml = new Yaml(new SafeConstructor(options));
            if (aliasInsideItsAnchor(yaml)) {
                return null;
            }
            return yaml.compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark();
            problems.add(new Problem(
                    file,
                    m == null ? 0 : m.getLine() + 1,
                    m == null ? 0 : m.getColumn() + 1,
                    "",
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

    /**
     * Records a problem and returns true when an alias stands inside the anchor it names
     * ({@code steps: &a [*a]}): composed, that is a node containing itself, and every walk over
     * it (the schema check, the readers) would recurse until the stack overflows. Found on the
     * parser's events, before composing, at the alias's own line and column. An anchor's name
     * may be defined again: an alias means the latest definition.
     */
    private boolean aliasInsideItsAnchor(Yaml yaml) {
        Map<String, Integer> latest = new HashMap<>(); // anchor -> the collection that defines it (0: a scalar)
        Set<Integer> open = new HashSet<>();
        Deque<Integer> nesting = new ArrayDeque<>();
        int collections = 0;
        for (Event e : yaml.parse(new StringReader(text))) {
            if (e instanceof CollectionStartEvent start) {
                int id = ++collections;
                nesting.push(id);
                if (start.getAnchor() != null) {
                    latest.put(start.getAnchor(), id);
                    open.add(id);
                }
            } else if (e instanceof CollectionEndEvent) {
                open.remove(nesting.pop());
            } else if (e instanceof ScalarEvent scalar && scalar.getAnchor() != null) {
                latest.put(scalar.getAnchor(), 0);
            } else if (e instanceof AliasEvent alias && open.contains(latest.get(alias.getAnchor()))) {
                Mark m = alias.getStartMark();
                problems.add(new Problem(
                        file,
                        m.getLine() + 1,
                        m.getColumn() + 1,
                        "",
                        "a YAML alias refers to itself: *" + alias.getAnchor() + " is inside the anchor &"
                                + alias.getAnchor() + " it repeats (write the value out)"));
                return true;
            }
        }
        return false;
    }

    /** A problem {@code offset} characters into a scalar; the column is exact for one-line scalars without escapes. */
    void problemAt(Node at, int offset, String path, String message) {
        int quote =
                at instanceof ScalarNode s && s.getScalarStyle() == org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN
                        ? 0
                        : 1;
        if (at instanceof ScalarNode s
                && s.getStartMark().getLine() == s.getEndMark().getLine()
                && s.getEndMark().getColumn() - s.getStartMark().getColumn() - 2 * quote
                        == s.getValue().length()) {
            problems.add(
                    new Problem(file, line(at), at.getStartMark().getColumn() + 1 + quote + offset, path, message));
        } else {
            problem(at, path, message);
        }
    }

    // ---- small typed accessors ----
    // Structure (which keys, which types, what is required) is the schema's to report
    // (DefinitionSchema): these read what is there and give up quietly on what is not.

    /** The structural problems the schema found; a problem the reader reports at the same path wins (it says more). */
    void mergeStructural(List<Problem> structural) {
        Set<String> paths = new java.util.HashSet<>();
        problems.forEach(p -> paths.add(p.path()));
        structural.stream().filter(p -> !paths.contains(p.path())).forEach(problems::add);
        problems.sort(java.util.Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
    }

    /** A mapping, or null; only a document that is not one is reported here (the alerts defaults file has no schema of its own). */
    MappingNode mapping(Node n, String path) {
        if (n instanceof MappingNode m) {
            return m;
        }
        if (path.isEmpty()) {
            problem(n, "", "must be a mapping of key: value lines (a definition starts with name:, steps:)");
        }
        return null;
    }

    /** The keys of a mapping that are among {@code allowed} (the schema reports any other). */
    Map<String, Node> keys(MappingNode m, String path, String... allowed) {
        Set<String> allowedSet = new LinkedHashSet<>(List.of(allowed));
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String key = scalarText(t.getKeyNode());
            if (key != null && allowedSet.contains(key)) {
                out.put(key, t.getValueNode());
            }
        }
        return out;
    }

    /** Like {@link #keys}, reporting any other key: for a mapping no schema covers (the alerts defaults file's top). */
    Map<String, Node> checkedKeys(MappingNode m, String path, String... allowed) {
        Set<String> allowedSet = new LinkedHashSet<>(List.of(allowed));
        for (NodeTuple t : m.getValue()) {
            String key = scalarText(t.getKeyNode());
            if (key == null || !allowedSet.contains(key)) {
                String hint = key == null ? null : SchemaMessages.closest(key, allowedSet);
                problem(
                        t.getKeyNode(),
                        key == null ? path : (path.isEmpty() ? key : path + "." + key),
                        "unknown key" + (hint == null ? "" : " (did you mean '" + hint + "'?)") + "; allowed here: "
                                + String.join(", ", allowedSet));
            }
        }
        return keys(m, path, allowed);
    }

    /** A required text that matches {@code pattern}, or null (the schema reports it missing or malformed). */
    String requiredString(Map<String, Node> k, String key, String path, Pattern pattern) {
        String v = k.containsKey(key) ? scalar(k.get(key), path) : null;
        return v != null && pattern.matcher(v).matches() ? v : null;
    }

    String optionalString(Map<String, Node> k, String key, String path) {
        if (!k.containsKey(key)) {
            return null;
        }
        return scalar(k.get(key), path.isEmpty() ? key : path + "." + key);
    }

    /** The text of a single value, or null for an empty value, a list or a mapping. */
    String scalar(Node n, String path) {
        return n instanceof ScalarNode s && !isNull(s) ? s.getValue() : null;
    }

    boolean bool(Map<String, Node> k, String key, String path, boolean fallback) {
        String v = k.containsKey(key) ? scalar(k.get(key), path) : null;
        return "true".equals(v) || (!"false".equals(v) && fallback);
    }

    /** A whole number, or null when it is not one (the schema says what it must be). */
    static Integer whole(String v) {
        try {
            return v == null ? null : Integer.valueOf(v);
        } catch (NumberFormatException e) {
            return null;
        }
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
        problems.add(
                new Problem(file, line(at), at == null ? 0 : at.getStartMark().getColumn() + 1, path, message));
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
}

package ai.clawfactory.core.definition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A place in a composed YAML file: a node, its path ({@code steps[0](execute).agentTurn}) and the
 * file's problems sink. The small readers take one and read what is there through typed
 * accessors; structure (which keys, which types, what is required) is the schema's to report
 * ({@link DefinitionSchema}), so an accessor gives up quietly (null, or the fallback) on what is
 * not the expected shape, and reports only what it alone can see (a duration it cannot parse).
 */
final class YamlCursor {
    private final Node node;
    private final String path;
    private final Problems problems;
    private Map<String, Node> keys;

    YamlCursor(Node node, String path, Problems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    Node node() {
        return node;
    }

    String path() {
        return path;
    }

    Problems problems() {
        return problems;
    }

    /** This place under another path (a step's path gains its id once the id is read). */
    YamlCursor renamed(String newPath) {
        return new YamlCursor(node, newPath, problems);
    }

    /** A single value (text, number, true/false, or empty), not a list or a mapping. */
    boolean isScalar() {
        return node instanceof ScalarNode;
    }

    boolean isMapping() {
        return node instanceof MappingNode;
    }

    /** The keys of a mapping and their values, in file order (empty for anything else). */
    private Map<String, Node> keys() {
        if (keys == null) {
            keys = new LinkedHashMap<>();
            if (node instanceof MappingNode m) {
                for (NodeTuple t : m.getValue()) {
                    if (t.getKeyNode() instanceof ScalarNode k) {
                        keys.put(k.getValue(), t.getValueNode());
                    }
                }
            }
        }
        return keys;
    }

    boolean has(String key) {
        return keys().containsKey(key);
    }

    /** The value under {@code key}, or null when the mapping has no such key. */
    YamlCursor get(String key) {
        Node v = keys().get(key);
        return v == null ? null : new YamlCursor(v, join(path, key), problems);
    }

    /** A key of a mapping and its value. */
    record Entry(String key, Node keyNode, YamlCursor value) {}

    /** Every key of a mapping with a text key, in file order; a value's path is {@code path.key}. */
    List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k) {
                    out.add(new Entry(
                            k.getValue(),
                            t.getKeyNode(),
                            new YamlCursor(t.getValueNode(), join(path, k.getValue()), problems)));
                }
            }
        }
        return out;
    }

    /** The items of a list, or this value alone when it is a single one ({@code cron: "0 4 * * *"}); each keeps this path. */
    List<YamlCursor> items() {
        if (node instanceof SequenceNode seq) {
            return seq.getValue().stream()
                    .map(n -> new YamlCursor(n, path, problems))
                    .toList();
        }
        return List.of(this);
    }

    /** The text of a single value, or null for an empty value, a list or a mapping. */
    String text() {
        return node instanceof ScalarNode s && !isNull(s) ? s.getValue() : null;
    }

    /** The text under {@code key}, or null. */
    String text(String key) {
        YamlCursor c = get(key);
        return c == null ? null : c.text();
    }

    /** true or false under {@code key}; the fallback when it is missing or not a boolean. */
    boolean bool(String key, boolean fallback) {
        String v = text(key);
        return "true".equals(v) || (!"false".equals(v) && fallback);
    }

    /** true or false under {@code key}, null when the key is missing (the fallback when it is neither). */
    Boolean optionalBool(String key, boolean fallback) {
        return has(key) ? bool(key, fallback) : null;
    }

    /** A whole number under {@code key}, or null when missing or not one (the schema says what it must be). */
    Integer whole(String key) {
        return wholeNumber(text(key));
    }

    /** A whole number, or null when {@code v} is null or not one. */
    static Integer wholeNumber(String v) {
        try {
            return v == null ? null : Integer.valueOf(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A number under {@code key}, or null when missing or not one. */
    Double number(String key) {
        String v = text(key);
        try {
            return v == null ? null : Double.valueOf(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A duration under {@code key}; the fallback when missing or empty; a problem (and the fallback) when it cannot be read. */
    Duration duration(String key, Duration fallback) {
        YamlCursor c = get(key);
        String v = c == null ? null : c.text();
        if (v == null) {
            return fallback;
        }
        try {
            return Durations.parse(v);
        } catch (IllegalArgumentException e) {
            c.problem(e.getMessage());
            return fallback;
        }
    }

    /**
     * A duration the schema requires to be longer than zero ({@code $defs/positiveDuration}); a
     * zero one is the schema's to report, and reads as the fallback so that no rule built on it
     * (an interval's minimum, a retry's intervals) reports it a second time.
     */
    Duration positiveDuration(String key, Duration fallback) {
        Duration d = duration(key, fallback);
        return d != null && d.isZero() ? fallback : d;
    }

    /** The text of a single value as written, even an empty one ({@code ~}, {@code null}); null for a list or mapping. */
    String written() {
        return node instanceof ScalarNode s ? s.getValue() : null;
    }

    /** A problem at this node and path. */
    void problem(String message) {
        problems.add(node, path, message);
    }

    /** A problem at this node under another path (a rule about a key this node lacks or holds). */
    void problem(String atPath, String message) {
        problems.add(node, atPath, message);
    }

    /** A problem {@code offset} characters into this scalar. */
    void problemAt(int offset, String message) {
        problems.addAt(node, offset, path, message);
    }

    int line() {
        return Problems.line(node);
    }

    int column() {
        return node == null ? 0 : node.getStartMark().getColumn() + 1;
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static boolean isNull(ScalarNode s) {
        return s.getTag().getValue().endsWith(":null");
    }
}

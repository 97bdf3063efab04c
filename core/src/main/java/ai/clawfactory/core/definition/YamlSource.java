package ai.clawfactory.core.definition;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
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
import org.yaml.snakeyaml.nodes.Node;

/** Composes a file's YAML into nodes (with their lines and columns), or reports why it cannot. */
final class YamlSource {

    private YamlSource() {}

    /** The document's root node, or null (a problem reported, or an empty file: the caller says what it needed). */
    static Node compose(String text, Problems problems) {
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            options.setCodePointLimit(1024 * 1024);
            Yaml yaml = new Yaml(new SafeConstructor(options));
            if (aliasInsideItsAnchor(yaml, text, problems)) {
                return null;
            }
            return yaml.compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark();
            problems.add(
                    m == null ? 0 : m.getLine() + 1,
                    m == null ? 0 : m.getColumn() + 1,
                    "not valid YAML: " + e.getProblem());
            return null;
        } catch (YAMLException e) {
            problems.add(0, 0, "not valid YAML: " + e.getMessage());
            return null;
        }
    }

    /**
     * Records a problem and returns true when an alias stands inside the anchor it names
     * ({@code steps: &a [*a]}): composed, that is a node containing itself, and every walk over
     * it (the schema check, the readers) would recurse until the stack overflows. Found on the
     * parser's events, before composing, at the alias's own line and column. An anchor's name
     * may be defined again: an alias means the latest definition.
     */
    private static boolean aliasInsideItsAnchor(Yaml yaml, String text, Problems problems) {
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
                problems.add(
                        m.getLine() + 1,
                        m.getColumn() + 1,
                        "a YAML alias refers to itself: *" + alias.getAnchor() + " is inside the anchor &"
                                + alias.getAnchor() + " it repeats (write the value out)");
                return true;
            }
        }
        return false;
    }
}

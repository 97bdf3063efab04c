package ai.clawfactory.core.definition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The one sink every reader of a file reports into: each problem with its file, line, column and
 * path, collected instead of stopping at the first.
 */
final class Problems {
    private final String file;
    private final List<Problem> list = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    /** A problem at a node (its first character), or at line 0 when there is none. */
    void add(Node at, String path, String message) {
        list.add(new Problem(file, line(at), at == null ? 0 : at.getStartMark().getColumn() + 1, path, message));
    }

    /** A problem {@code offset} characters into a scalar; the column is exact for one-line scalars without escapes. */
    void addAt(Node at, int offset, String path, String message) {
        int quote = at instanceof ScalarNode s && s.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN ? 0 : 1;
        if (at instanceof ScalarNode s
                && s.getStartMark().getLine() == s.getEndMark().getLine()
                && s.getEndMark().getColumn() - s.getStartMark().getColumn() - 2 * quote
                        == s.getValue().length()) {
            list.add(new Problem(file, line(at), at.getStartMark().getColumn() + 1 + quote + offset, path, message));
        } else {
            add(at, path, message);
        }
    }

    /** A problem at a known line and column (or 0, 0), for what has no node: the file as a whole. */
    void add(int line, int column, String message) {
        list.add(new Problem(file, line, column, "", message));
    }

    /** The structural problems the schema found; a problem a reader reported at the same path wins (it says more). */
    void mergeStructural(List<Problem> structural) {
        Set<String> paths = new HashSet<>();
        list.forEach(p -> paths.add(p.path()));
        structural.stream().filter(p -> !paths.contains(p.path())).forEach(list::add);
        list.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
    }

    int size() {
        return list.size();
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    List<Problem> list() {
        return List.copyOf(list);
    }

    static int line(Node n) {
        return n == null ? 0 : n.getStartMark().getLine() + 1;
    }
}

package ai.clawfactory.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The worker's package seams, read from the main sources: every reference to another worker
 * package (import, static import or fully qualified name, comments included) counts, by its full
 * package name ({@code step.agentturn} is not {@code step}; {@code ""} is the root package). The
 * interpreter and the step activities meet only in {@code step}; the gateway kinds sit on plain
 * {@code http}, which knows nothing of them; and no package depends on itself through others.
 */
class PackageSeamsTest {

    /** A worker package named in source: lower-case segments after {@code ai.clawfactory.worker}. */
    private static final Pattern REFERENCE = Pattern.compile("\\bai\\.clawfactory\\.worker((?:\\.[a-z][a-z0-9]*)*)\\b");

    /** Package → worker packages it must not reference. */
    private static final Map<String, Set<String>> FORBIDDEN = Map.of(
            "step", Set.of("interpreter", "turn", "gateway", "http", "alert", "temporal"),
            "interpreter", Set.of("turn", "gateway", "http"),
            "turn", Set.of("interpreter"),
            "gateway", Set.of("interpreter", "turn", "step"),
            "http", Set.of("interpreter", "turn", "step", "gateway"));

    @Test
    void interpreterTurnGatewayAndHttpDoNotReferenceEachOtherAcrossTheirSeams() {
        Map<String, Set<String>> deps = dependencies(sources());
        List<String> broken = new ArrayList<>();
        FORBIDDEN.forEach((from, banned) -> deps.getOrDefault(from, Set.of()).stream()
                .filter(banned::contains)
                .forEach(to -> broken.add(from + " -> " + to)));
        assertTrue(
                broken.isEmpty(),
                "Package seams broken (move the shared type into ai.clawfactory.worker.step, or "
                        + "plain HTTP into ai.clawfactory.worker.http): " + broken + "; all dependencies: " + deps);
    }

    @Test
    void noPackageOfTheWorkerDependsOnItselfThroughOthers() {
        Map<String, Set<String>> deps = dependencies(sources());
        List<List<String>> cycles = cycles(deps);
        assertTrue(
                cycles.isEmpty(),
                "Package cycles (move the shared type to the package both can depend on): " + cycles
                        + "; all dependencies: " + deps);
    }

    @Test
    void theScanSeesEveryPackageOfTheSeamAndItsAllowedDependencies() {
        Map<String, Set<String>> deps = dependencies(sources());
        for (String p : FORBIDDEN.keySet()) {
            assertTrue(
                    deps.containsKey(p),
                    "no sources found for package " + p + " (the scan reads " + sources() + "); found "
                            + deps.keySet());
        }
        // Known edges: if the scan stopped seeing references, the checks above would pass vacuously.
        assertTrue(deps.get("interpreter").contains("step"), "interpreter -> step not seen: " + deps);
        assertTrue(deps.get("turn").contains("step"), "turn -> step not seen: " + deps);
        assertTrue(deps.get("turn").contains("gateway"), "turn -> gateway not seen: " + deps);
        assertTrue(deps.get("gateway").contains("http"), "gateway -> http not seen: " + deps);
        assertTrue(deps.get("turn").contains("http"), "turn -> http not seen: " + deps);
        assertTrue(deps.get("").contains("interpreter"), "the wiring (root) -> interpreter not seen: " + deps);
    }

    @Test
    void aReferenceInAnImportOrAFullyQualifiedNameIsSeen() {
        Map<String, Set<String>> deps = new TreeMap<>();
        collect(
                "step",
                "package ai.clawfactory.worker.step;\nimport ai.clawfactory.worker.turn.AttemptRunner;\n"
                        + "import static ai.clawfactory.worker.step.wait.WaitRunner.sleep;\n",
                deps);
        collect(
                "step",
                "/** {@link ai.clawfactory.worker.gateway.GatewayClient} */ class X { ai.clawfactory.worker.http.X x; "
                        + "ai.clawfactory.worker.Application a; }",
                deps);
        assertEquals(Map.of("step", Set.of("turn", "step.wait", "gateway", "http", "")), deps);
    }

    @Test
    void aCycleThroughSeveralPackagesIsFoundAndAnAcyclicGraphHasNone() {
        Map<String, Set<String>> deps = Map.of(
                "a", Set.of("b"),
                "b", Set.of("c", "d"),
                "c", Set.of("a"),
                "d", Set.of());
        assertEquals(List.of(List.of("a", "b", "c", "a")), cycles(deps));
        assertEquals(List.of(), cycles(Map.of("a", Set.of("b", "c"), "b", Set.of("c"), "c", Set.of())));
    }

    private static Path sources() {
        Path module = Path.of(System.getProperty("basedir", "."));
        Path src = module.resolve("src/main/java/ai/clawfactory/worker");
        if (!Files.isDirectory(src)) {
            src = module.resolve("worker/src/main/java/ai/clawfactory/worker");
        }
        if (!Files.isDirectory(src)) {
            fail("worker main sources not found under " + module.toAbsolutePath() + " (run from the worker module)");
        }
        return src;
    }

    private static Map<String, Set<String>> dependencies(Path src) {
        Map<String, Set<String>> deps = new TreeMap<>();
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Path dir = src.relativize(f).getParent();
                String pkg = dir == null
                        ? ""
                        : Stream.iterate(0, i -> i + 1)
                                .limit(dir.getNameCount())
                                .map(i -> dir.getName(i).toString())
                                .collect(Collectors.joining("."));
                collect(pkg, Files.readString(f), deps);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return deps;
    }

    private static void collect(String pkg, String source, Map<String, Set<String>> deps) {
        Set<String> to = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
        Matcher m = REFERENCE.matcher(source);
        while (m.find()) {
            String referenced = m.group(1).isEmpty() ? "" : m.group(1).substring(1);
            if (!referenced.equals(pkg)) {
                to.add(referenced);
            }
        }
    }

    /** One cycle per strongly connected group of packages (depth-first), each from its first package back to it. */
    private static List<List<String>> cycles(Map<String, Set<String>> deps) {
        List<List<String>> found = new ArrayList<>();
        Map<String, Integer> state = new HashMap<>(); // 1: on the path, 2: done
        Deque<String> path = new ArrayDeque<>();
        for (String start : new TreeSet<>(deps.keySet())) {
            visit(start, deps, state, path, found);
        }
        return found;
    }

    private static void visit(
            String p,
            Map<String, Set<String>> deps,
            Map<String, Integer> state,
            Deque<String> path,
            List<List<String>> found) {
        Integer s = state.get(p);
        if (s != null && s == 2) {
            return;
        }
        if (s != null) {
            List<String> cycle = new ArrayList<>();
            boolean in = false;
            for (java.util.Iterator<String> it = path.descendingIterator(); it.hasNext(); ) {
                String q = it.next();
                in |= q.equals(p);
                if (in) {
                    cycle.add(q);
                }
            }
            cycle.add(p);
            found.add(cycle);
            return;
        }
        state.put(p, 1);
        path.push(p);
        for (String q : new TreeSet<>(deps.getOrDefault(p, Set.of()))) {
            visit(q, deps, state, path, found);
        }
        path.pop();
        state.put(p, 2);
    }
}

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
 * interpreter meets the step kinds only through their contract ({@code step}) and the map of their
 * runners ({@code step.kinds}); each kind is a slice of its own; the gateway kinds sit on plain
 * {@code http}, which knows nothing of them; and no package depends on itself through others.
 */
class PackageSeamsTest {

    /** A worker package named in source: lower-case segments after {@code ai.clawfactory.worker}. */
    private static final Pattern REFERENCE = Pattern.compile("\\bai\\.clawfactory\\.worker((?:\\.[a-z][a-z0-9]*)*)\\b");

    /** The step kinds' slices: each its activity (interface, implementation, input) and its runner. */
    private static final Set<String> SLICES =
            Set.of("step.agentturn", "step.httpcall", "step.wake", "step.wait", "step.command", "step.approval");

    /**
     * Package → worker packages it must not reference ({@code p.*}: {@code p} and every package
     * under it). The interpreter reaches the kinds only through {@code step} (the runner contract)
     * and {@code step.kinds} (the map); the alert workflow likewise; a slice knows no other slice
     * and nothing that runs it; what every activity attempt does ({@code step.attempt}) knows no
     * kind; the gateway kinds and plain HTTP know no step.
     */
    private static final Map<String, Set<String>> FORBIDDEN = Map.of(
            "step",
            Set.of("step.*", "interpreter", "alert", "temporal", "gateway", "http", "ledger"),
            "interpreter",
            Set.of(
                    "step.attempt",
                    "step.activity",
                    "step.agentturn",
                    "step.httpcall",
                    "step.wake",
                    "step.wait",
                    "gateway",
                    "http",
                    "ledger"),
            "alert",
            Set.of("step.attempt", "step.agentturn", "step.httpcall", "step.wake", "step.wait", "gateway", "http"),
            "step.activity",
            Set.of(
                    "step.attempt",
                    "step.agentturn",
                    "step.httpcall",
                    "step.wake",
                    "step.kinds",
                    "interpreter",
                    "alert",
                    "gateway",
                    "http",
                    "ledger"),
            "step.attempt",
            Set.of(
                    "step.activity",
                    "step.agentturn",
                    "step.httpcall",
                    "step.wake",
                    "step.wait",
                    "step.kinds",
                    "interpreter",
                    "alert",
                    "temporal"),
            "gateway",
            Set.of("step.*", "interpreter", "alert"),
            "http",
            Set.of("step.*", "interpreter", "gateway"));

    @Test
    void theInterpreterTheStepKindsTheGatewayAndHttpMeetOnlyAcrossTheirSeams() {
        Map<String, Set<String>> deps = dependencies(sources());
        Map<String, Set<String>> forbidden = new TreeMap<>(FORBIDDEN);
        for (String slice : SLICES) {
            Set<String> banned = new TreeSet<>(SLICES);
            banned.remove(slice);
            banned.addAll(Set.of("step.kinds", "interpreter", "alert", "temporal"));
            forbidden.put(slice, banned);
        }
        List<String> broken = new ArrayList<>();
        forbidden.forEach((from, banned) -> deps.getOrDefault(from, Set.of()).stream()
                .filter(to -> banned(banned, to))
                .forEach(to -> broken.add(from + " -> " + to)));
        assertTrue(
                broken.isEmpty(),
                "Package seams broken (a type both sides need goes into ai.clawfactory.worker.step, plain HTTP into "
                        + "ai.clawfactory.worker.http): " + broken + "; all dependencies: " + deps);
    }

    private static boolean banned(Set<String> banned, String to) {
        return banned.contains(to)
                || banned.stream()
                        .filter(b -> b.endsWith(".*"))
                        .map(b -> b.substring(0, b.length() - 2))
                        .anyMatch(p -> to.equals(p) || to.startsWith(p + "."));
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
        for (String p : SLICES) {
            assertTrue(deps.containsKey(p), "no sources found for the slice " + p + "; found " + deps.keySet());
        }
        // Known edges: if the scan stopped seeing references, the checks above would pass vacuously.
        for (String edge : List.of(
                "interpreter -> step",
                "interpreter -> step.kinds",
                "alert -> step.kinds",
                "step.kinds -> step.wait",
                "step.agentturn -> step.attempt",
                "step.agentturn -> step.activity",
                "step.agentturn -> gateway",
                "step.httpcall -> http",
                "step.activity -> step.wait",
                "gateway -> http",
                " -> interpreter")) {
            String[] e = edge.split(" -> ");
            assertTrue(deps.getOrDefault(e[0].trim(), Set.of()).contains(e[1]), edge + " not seen: " + deps);
        }
    }

    @Test
    void aReferenceInAnImportOrAFullyQualifiedNameIsSeen() {
        Map<String, Set<String>> deps = new TreeMap<>();
        collect(
                "step",
                "package ai.clawfactory.worker.step;\nimport ai.clawfactory.worker.step.attempt.AttemptRunner;\n"
                        + "import static ai.clawfactory.worker.step.wait.WaitRunner.sleep;\n",
                deps);
        collect(
                "step",
                "/** {@link ai.clawfactory.worker.gateway.GatewayClient} */ class X { ai.clawfactory.worker.http.X x; "
                        + "ai.clawfactory.worker.Application a; }",
                deps);
        assertEquals(Map.of("step", Set.of("step.attempt", "step.wait", "gateway", "http", "")), deps);
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

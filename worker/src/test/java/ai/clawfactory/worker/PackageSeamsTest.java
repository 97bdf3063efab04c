package ai.clawfactory.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The worker's package seams, read from the main sources: every reference to another worker
 * package (import, static import or fully qualified name, comments included) counts. The
 * interpreter and the step activities meet only in {@code step}; the gateway kinds sit on plain
 * {@code http}, which knows nothing of them.
 */
class PackageSeamsTest {

    private static final String ROOT = "ai.clawfactory.worker.";
    private static final Pattern REFERENCE = Pattern.compile("\\bai\\.clawfactory\\.worker\\.([a-z][a-z0-9]*)\\b");

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
    void theScanSeesEveryPackageOfTheSeamAndItsAllowedDependencies() {
        Map<String, Set<String>> deps = dependencies(sources());
        for (String p : FORBIDDEN.keySet()) {
            assertTrue(
                    deps.containsKey(p),
                    "no sources found for package " + ROOT + p + " (the scan reads " + sources() + "); found "
                            + deps.keySet());
        }
        // Known edges: if the scan stopped seeing references, the seam check above would pass vacuously.
        assertTrue(deps.get("interpreter").contains("step"), "interpreter -> step not seen: " + deps);
        assertTrue(deps.get("turn").contains("step"), "turn -> step not seen: " + deps);
        assertTrue(deps.get("turn").contains("gateway"), "turn -> gateway not seen: " + deps);
        assertTrue(deps.get("gateway").contains("http"), "gateway -> http not seen: " + deps);
        assertTrue(deps.get("turn").contains("http"), "turn -> http not seen: " + deps);
    }

    @Test
    void aReferenceInAnImportOrAFullyQualifiedNameIsSeen() {
        Map<String, Set<String>> deps = new TreeMap<>();
        collect(
                "step",
                "package ai.clawfactory.worker.step;\nimport ai.clawfactory.worker.turn.AttemptRunner;\n",
                deps);
        collect(
                "step",
                "/** {@link ai.clawfactory.worker.gateway.GatewayClient} */ class X { ai.clawfactory.worker.http.X x; }",
                deps);
        assertEquals(Map.of("step", Set.of("turn", "gateway", "http")), deps);
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
                Path rel = src.relativize(f);
                String pkg = rel.getNameCount() == 1 ? "" : rel.getName(0).toString();
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
            if (!m.group(1).equals(pkg)) {
                to.add(m.group(1));
            }
        }
    }
}

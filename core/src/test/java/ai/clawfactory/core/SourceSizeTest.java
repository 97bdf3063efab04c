package ai.clawfactory.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** No main source file of any module over 500 lines (as formatted by the build's formatter). */
class SourceSizeTest {
    static final int LIMIT = 500;

    @Test
    void noMainSourceFileIsOverTheLimit() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<Path> sources;
        try (Stream<Path> walk = Files.walk(root)) {
            sources = walk.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> root.relativize(p).toString().contains("src/main/java/"))
                    .filter(p -> !root.relativize(p).startsWith(".tools"))
                    .toList();
        }
        assertTrue(sources.size() > 100, "found the modules' sources under " + root + ": " + sources.size());
        List<String> over = sources.stream()
                .filter(p -> lines(p) > LIMIT)
                .map(p -> root.relativize(p) + " (" + lines(p) + " lines)")
                .toList();
        assertEquals(List.of(), over, "split these along their seams");
    }

    private static long lines(Path p) {
        try (Stream<String> s = Files.lines(p)) {
            return s.count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

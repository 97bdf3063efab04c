package ai.clawfactory.worker.ledger;

import ai.clawfactory.worker.config.CommandsConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The execution bundles a ledger row points at (a command step's attempt: {@code manifest.json}
 * and its logs), as {@code turns --full} shows them and {@code turns prune} removes them. A row's
 * path is data: only a folder under COMMANDS_BUNDLES_DIR (by real path) with a manifest is read or
 * removed; a bundle on another host (an agent's) is left to that host.
 */
@Singleton
public class BundleFiles {

    /** How much of each log's end {@code turns --full} prints. */
    static final int TAIL_BYTES = 2048;

    private static final Logger LOG = LoggerFactory.getLogger(BundleFiles.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;

    public BundleFiles(CommandsConfig config) {
        this.root = config.bundlesPath();
    }

    /** The bundle folder at {@code path} when it is one of ours, else null. */
    private Path ours(String path) {
        if (path == null) {
            return null;
        }
        try {
            Path r = root.toRealPath();
            Path b = Path.of(path).toRealPath();
            return b.startsWith(r) && !b.equals(r) && Files.isRegularFile(b.resolve("manifest.json")) ? b : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Lines describing the bundle: how it ended, each command with its exit, and the tails of its logs. */
    List<String> describe(String path) {
        List<String> lines = new ArrayList<>();
        Path b = ours(path);
        if (b == null) {
            lines.add("bundle:  " + path + " (not readable here)");
            return lines;
        }
        lines.add("bundle:  " + b);
        try {
            JsonNode m = JSON.readTree(b.resolve("manifest.json").toFile());
            lines.add("  " + m.path("how").asText() + ", " + m.path("started").asText() + " → "
                    + m.path("ended").asText() + " on " + m.path("host").asText()
                    + (m.path("error").isTextual() ? ": " + m.path("error").asText() : ""));
            for (JsonNode c : m.path("commands")) {
                lines.add("  cmd-" + String.format("%03d", c.path("index").asInt()) + " "
                        + c.path("how").asText()
                        + " exit "
                        + (c.path("exitCode").isNull()
                                ? "-"
                                : c.path("exitCode").asText())
                        + (c.path("signal").isTextual()
                                ? " after SIG" + c.path("signal").asText()
                                : "") + ": "
                        + String.join(" ", texts(c.path("argv"))));
                for (String stream : List.of("stdout", "stderr")) {
                    JsonNode log = c.path(stream);
                    if (log.isObject()) {
                        lines.add("    " + stream + " (" + log.path("bytes").asLong() + " bytes"
                                + (log.path("truncated").asBoolean() ? ", truncated" : "") + ", sha256 "
                                + log.path("sha256")
                                        .asText()
                                        .substring(
                                                0,
                                                Math.min(
                                                        12,
                                                        log.path("sha256")
                                                                .asText()
                                                                .length()))
                                + "…):");
                        lines.add(tail(b.resolve(log.path("file").asText())));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            lines.add("  (manifest unreadable: " + e.getMessage() + ")");
        }
        return lines;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The last {@link #TAIL_BYTES} bytes of a log. */
    private static String tail(Path log) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(0, f.length() - TAIL_BYTES);
            byte[] b = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(b);
            return (start > 0 ? "…" : "") + new String(b, StandardCharsets.UTF_8);
        }
    }

    /** Removes these bundles (only ours) and the folders above them left empty; returns how many. */
    int remove(List<String> paths) {
        int n = 0;
        for (String p : paths) {
            Path b = ours(p);
            if (b == null) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(b)) {
                for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
                n++;
                Path real = root.toRealPath();
                for (Path up = b.getParent();
                        up != null && up.startsWith(real) && !up.equals(real);
                        up = up.getParent()) {
                    try (Stream<Path> left = Files.list(up)) {
                        if (left.findAny().isPresent()) {
                            break;
                        }
                    }
                    Files.delete(up);
                }
            } catch (IOException e) {
                LOG.warn("Could not remove bundle {}: {}", b, e.toString());
            }
        }
        return n;
    }
}

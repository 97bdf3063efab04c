package ai.clawfactory.worker.definition;

import ai.clawfactory.core.definition.DefinitionException;
import ai.clawfactory.core.definition.DefinitionLoader;
import ai.clawfactory.core.definition.WorkflowDefinition;
import ai.clawfactory.worker.config.DefinitionsConfig;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The workflow definitions the worker serves. Loaded at start (invalid files stop the worker);
 * re-read whenever a file in the folder changes, so new runs see edits without a restart. An
 * invalid edit is reported and the last good set stays in force: nothing half-loads.
 */
@Singleton
public class DefinitionRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(DefinitionRegistry.class);

    private final Path dir;
    private final DefinitionLoader loader = new DefinitionLoader();
    private volatile Map<String, WorkflowDefinition> definitions;
    private volatile String fingerprint;
    private volatile String rejectedFingerprint;

    public DefinitionRegistry(DefinitionsConfig config) {
        this.dir = Path.of(config.dir()).toAbsolutePath().normalize();
        this.fingerprint = fingerprint();
        this.definitions = loader.loadDirectory(dir);
        if (definitions.isEmpty()) {
            LOG.warn("No workflow definitions in {} (add *.yaml files; see docs/DEFINITIONS.md)", dir);
        } else {
            LOG.info("Loaded {} workflow definition(s) from {}: {}", definitions.size(), dir, String.join(", ", definitions.keySet()));
        }
    }

    /** The definition of a workflow type, reloading first if the folder changed; null when unknown. */
    public WorkflowDefinition find(String type) {
        refresh();
        return definitions.get(type);
    }

    /** The known workflow types, sorted. */
    public List<String> knownTypes() {
        refresh();
        return List.copyOf(definitions.keySet());
    }

    /** Re-reads the folder if any definition file was added, removed or modified. */
    public synchronized void refresh() {
        String now = fingerprint();
        if (now.equals(fingerprint) || now.equals(rejectedFingerprint)) {
            return;
        }
        try {
            Map<String, WorkflowDefinition> loaded = loader.loadDirectory(dir);
            definitions = loaded;
            fingerprint = now;
            rejectedFingerprint = null;
            LOG.info("Reloaded workflow definitions from {}: {}", dir, String.join(", ", loaded.keySet()));
        } catch (DefinitionException e) {
            rejectedFingerprint = now;
            LOG.error("Definitions changed but are invalid; new runs keep using the previous set. {}", e.getMessage());
        }
    }

    /** Names, sizes and modification times of the folder's files: cheap to compute on every start. */
    private String fingerprint() {
        if (!Files.isDirectory(dir)) {
            return "missing";
        }
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            files.sorted().forEach(f -> {
                try {
                    sb.append(f.getFileName()).append(':').append(Files.size(f)).append(':')
                            .append(Files.getLastModifiedTime(f).toMillis()).append(';');
                } catch (IOException e) {
                    sb.append(f.getFileName()).append(":?;");
                }
            });
        } catch (IOException e) {
            return "unreadable";
        }
        return sb.toString();
    }
}

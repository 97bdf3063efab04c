package ai.clawfactory.core.definition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder of workflow definitions as the worker and the API serve it, read with the same settings
 * as the schedules CLI (the worker's {@code DefinitionRegistry} and the API's catalog are this).
 *
 * <p>Each file stands on its own: a bad file is logged loudly (every problem with file:line:col)
 * and set aside while the others are served, so one typo cannot take every workflow down. Runs
 * already under way need no file at all (their definition is pinned in their history); a new run
 * of a type whose file is bad fails at once with that file's problems. The folder is re-read
 * whenever a file in it changes, so new runs see edits without a restart.
 */
public class DefinitionFolder {

    private static final Logger LOG = LoggerFactory.getLogger(DefinitionFolder.class);

    private final Path dir;
    private final DefinitionLoader loader;
    private volatile Map<String, WorkflowDefinition> definitions;
    private volatile List<ScheduleDefinition> schedules;
    private volatile Map<String, List<Problem>> refused;
    private volatile String fingerprint;
    private volatile String folderProblem;

    private volatile List<Problem> problems;

    /** Reads {@code dir} now; {@code defaultTimezone} as SCHEDULES_DEFAULT_TIMEZONE (null: UTC). */
    public DefinitionFolder(String dir, String defaultTimezone) {
        this.dir = Path.of(dir).toAbsolutePath().normalize();
        this.loader = new DefinitionLoader(defaultTimezone);
        this.fingerprint = fingerprint();
        load(false);
    }

    /** The definition of a workflow type, reloading first if the folder changed; null when unknown or refused. */
    public WorkflowDefinition find(String type) {
        refresh();
        return definitions.get(type);
    }

    /**
     * Why a type is not served although a file declares it (its problems, one per line), or null
     * when no bad file declares it.
     */
    public String refusal(String type) {
        refresh();
        List<Problem> problems = refused.get(type);
        return problems == null
                ? null
                : problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
    }

    /** Why the folder itself could not be read on the last look, or null when it was. */
    public String folderProblem() {
        refresh();
        return folderProblem;
    }

    /** Types declared by files with problems, sorted. */
    public List<String> refusedTypes() {
        refresh();
        return List.copyOf(refused.keySet());
    }

    /** The known (served) workflow types, sorted. */
    public List<String> knownTypes() {
        refresh();
        return List.copyOf(definitions.keySet());
    }

    /** The schedules the valid files declare (their own and schedule-only files'), sorted by id. */
    public List<ScheduleDefinition> schedules() {
        refresh();
        return schedules;
    }

    /** Every problem of the files set aside on the last read, in file order. */
    public List<Problem> problems() {
        refresh();
        return problems;
    }

    /** The folder, absolute. */
    public Path dir() {
        return dir;
    }

    /** Re-reads the folder if any definition file was added, removed or modified. */
    public synchronized void refresh() {
        String now = fingerprint();
        if (now.equals(fingerprint)) {
            return;
        }
        fingerprint = now;
        try {
            load(true);
            folderProblem = null;
        } catch (DefinitionException e) {
            // The folder itself went away or cannot be listed: keep serving what was read last.
            folderProblem = "the definitions folder " + dir + " cannot be read: "
                    + e.problems().get(0).message();
            LOG.error("Cannot re-read the definitions; new runs keep using the previous set. {}", e.getMessage());
        }
    }

    /** Throws only when the folder itself is missing or unreadable (a configuration error). */
    private void load(boolean reload) {
        DefinitionLoader.LoadReport report = loader.loadEach(dir);
        definitions = report.valid().workflows();
        schedules = report.valid().schedules();
        refused = report.refused();
        problems = report.problems();
        if (!report.problems().isEmpty()) {
            LOG.error(
                    "{} problem(s) in the workflow definitions in {}; the files with problems are not served "
                            + "(new runs of {} fail until they are fixed; runs under way are not affected). "
                            + "Check with ./clawfactory validate:\n  {}",
                    report.problems().size(),
                    dir,
                    refused.isEmpty() ? "their types" : String.join(", ", refused.keySet()),
                    report.problems().stream().map(Problem::toString).collect(Collectors.joining("\n  ")));
        }
        if (definitions.isEmpty()) {
            LOG.warn("No valid workflow definitions in {} (add *.yaml files; see docs/DEFINITIONS.md)", dir);
        } else {
            LOG.info(
                    "{} {} workflow definition(s) from {}: {}",
                    reload ? "Reloaded" : "Loaded",
                    definitions.size(),
                    dir,
                    String.join(", ", definitions.keySet()));
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
                    sb.append(f.getFileName())
                            .append(':')
                            .append(Files.size(f))
                            .append(':')
                            .append(Files.getLastModifiedTime(f).toMillis())
                            .append(';');
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

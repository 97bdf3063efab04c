package ai.clawfactory.schedules.importer;

import ai.clawfactory.core.definition.DefinitionException;
import ai.clawfactory.core.definition.DefinitionLoader;
import ai.clawfactory.core.definition.Problem;
import ai.clawfactory.core.definition.ScheduleDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Decides which file each imported job goes to and whether it changes, then writes all changed
 * files at once: into a temporary folder first, validated together with the folder's other files
 * by the {@link DefinitionLoader}, and moved into place only when the whole set is valid.
 */
final class ImportFiles {

    /** Header line naming the source job: how a later import finds the file again. */
    static final String JOB_ID_MARK = "openclaw-job-id: ";
    /** Header line of a file whose job this import disabled in OpenClaw ({@code --disable-source}). */
    static final String SOURCE_DISABLED_MARK = "openclaw-job-disabled-by-import: ";
    /** Header line with the hash of the file as written: a file whose hash differs was edited by hand. */
    static final String HASH_MARK = "import-hash: ";

    private static final Pattern JOB_ID_LINE =
            Pattern.compile("(?m)^# " + Pattern.quote(JOB_ID_MARK) + "(" + JobMapper.JOB_ID.pattern() + ")[ \\t]*$");
    private static final Pattern HASH_LINE =
            Pattern.compile("(?m)^# " + Pattern.quote(HASH_MARK) + "([0-9a-f]+)\\s*\\n");

    enum Action {
        CREATE,
        UPDATE,
        UNCHANGED,
        KEEP_EDITED,
        OVERWRITE_EDITED
    }

    /**
     * One job's file.
     *
     * @param name    the workflow type and schedule id (the file's base name)
     * @param file    where it goes
     * @param content what it holds after the import
     */
    record Planned(Draft draft, String name, Path file, Action action, String content) {
        boolean writes() {
            return action == Action.CREATE || action == Action.UPDATE || action == Action.OVERWRITE_EDITED;
        }
    }

    /** The folder could not take the files: every problem, with paths as in the target folder. */
    static final class InvalidResult extends RuntimeException {
        private final transient List<Problem> problems;

        InvalidResult(List<Problem> problems) {
            super(problems.size() + " problem" + (problems.size() == 1 ? "" : "s"));
            this.problems = List.copyOf(problems);
        }

        List<Problem> problems() {
            return problems;
        }
    }

    private final Path out;
    private final DefinitionLoader loader;

    ImportFiles(Path out, DefinitionLoader loader) {
        this.out = out;
        this.loader = loader;
    }

    /** Ids of the jobs whose files say this import disabled them in OpenClaw. Reads only. */
    Set<String> disabledByImport() {
        Set<String> ids = new HashSet<>();
        for (Path f : yamlFiles(out)) {
            String text = read(f);
            Matcher m = JOB_ID_LINE.matcher(text);
            if (m.find() && text.contains("\n# " + SOURCE_DISABLED_MARK)) {
                ids.add(m.group(1));
            }
        }
        return ids;
    }

    /** Where each importable draft goes, and what happens to the file. Reads only. */
    List<Planned> plan(List<Draft> drafts, boolean force) {
        Map<String, Path> byJob = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        for (Path f : yamlFiles(out)) {
            String base = baseName(f);
            taken.add(base);
            Matcher m = JOB_ID_LINE.matcher(read(f));
            if (m.find()) {
                byJob.putIfAbsent(m.group(1), f);
            }
        }
        try {
            DefinitionLoader.DefinitionSet existing = loader.loadAll(out);
            taken.addAll(existing.workflows().keySet());
            for (ScheduleDefinition s : existing.schedules()) {
                taken.add(s.id());
            }
        } catch (DefinitionException e) {
            // Reported by the validation of the result; file names alone keep new names apart here.
        }
        List<Planned> plan = new ArrayList<>();
        for (Draft d : drafts) {
            Path existing = byJob.get(d.jobId());
            if (existing != null) {
                String name = baseName(existing);
                String content = withHash(d.render(name));
                String old = read(existing);
                Action a;
                if (old.equals(content)) {
                    a = Action.UNCHANGED;
                } else if (edited(old)) {
                    a = force ? Action.OVERWRITE_EDITED : Action.KEEP_EDITED;
                } else {
                    a = Action.UPDATE;
                }
                plan.add(new Planned(d, name, existing, a, a == Action.KEEP_EDITED ? old : content));
                continue;
            }
            String base = kebab(d.jobName(), d.jobId());
            String name = base;
            for (int i = 2; taken.contains(name); i++) {
                name = base + "-" + i;
            }
            taken.add(name);
            plan.add(new Planned(d, name, out.resolve(name + ".yaml"), Action.CREATE, withHash(d.render(name))));
        }
        return plan;
    }

    /**
     * Writes every planned change, or nothing: the new set of files is validated as a whole first.
     *
     * @throws InvalidResult when the folder with the new files would not load
     */
    void write(List<Planned> plan) {
        List<Planned> writes = plan.stream().filter(Planned::writes).toList();
        if (writes.isEmpty()) {
            validateInPlace();
            return;
        }
        Path parent = out.toAbsolutePath().getParent();
        Path tmp;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, ".clawfactory-import-");
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create a temporary folder next to " + out + ": " + e.getMessage(), e);
        }
        try {
            Set<String> replaced = new HashSet<>();
            for (Planned p : writes) {
                replaced.add(p.file().getFileName().toString());
            }
            for (Path f : yamlFiles(out)) {
                if (!replaced.contains(f.getFileName().toString())) {
                    Files.copy(f, tmp.resolve(f.getFileName()));
                }
            }
            for (Planned p : writes) {
                Files.writeString(tmp.resolve(p.file().getFileName()), p.content(), StandardCharsets.UTF_8);
            }
            try {
                loader.loadAll(tmp);
            } catch (DefinitionException e) {
                List<Problem> mapped = new ArrayList<>();
                for (Problem pr : e.problems()) {
                    String file = pr.file().startsWith(tmp.toString())
                            ? out.resolve(Path.of(pr.file()).getFileName()).toString()
                            : pr.file();
                    mapped.add(new Problem(file, pr.line(), pr.column(), pr.path(), pr.message()));
                }
                throw new InvalidResult(mapped);
            }
            Files.createDirectories(out);
            for (Planned p : writes) {
                Path from = tmp.resolve(p.file().getFileName());
                try {
                    Files.move(from, p.file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(from, p.file(), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write into " + out + ": " + e.getMessage(), e);
        } finally {
            deleteTree(tmp);
        }
    }

    /** Replaces one file's content atomically (a header-only change of a file this import wrote and validated). */
    void rewrite(Path file, String content) {
        try {
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".clawfactory-import-", ".tmp");
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** Nothing to write: the folder as it is must still load (before, e.g., disabling the source jobs). */
    private void validateInPlace() {
        if (!Files.isDirectory(out)) {
            return;
        }
        try {
            loader.loadAll(out);
        } catch (DefinitionException e) {
            throw new InvalidResult(e.problems());
        }
    }

    /** True when the file no longer matches the hash it was written with. */
    static boolean edited(String text) {
        Matcher m = HASH_LINE.matcher(text);
        if (!m.find()) {
            return true;
        }
        String rest = text.substring(0, m.start()) + text.substring(m.end());
        return !hash(rest).equals(m.group(1));
    }

    /** Adds the hash line after the job-id line. */
    static String withHash(String text) {
        Matcher m = JOB_ID_LINE.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("rendered definition lacks the job id line");
        }
        int at = m.end() + 1;
        return text.substring(0, at) + "# " + HASH_MARK + hash(text) + "\n" + text.substring(at);
    }

    static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A file name from a job name: lower-case words joined by '-', starting with a letter. */
    static String kebab(String jobName, String jobId) {
        String s = jobName == null
                ? ""
                : jobName.toLowerCase(java.util.Locale.ROOT)
                        .replaceAll("[^a-z0-9]+", "-")
                        .replaceAll("^-+|-+$", "");
        if (s.length() > 60) {
            s = s.substring(0, 60).replaceAll("-+$", "");
        }
        if (s.isEmpty()) {
            s = "job-"
                    + jobId.toLowerCase(java.util.Locale.ROOT)
                            .replaceAll("[^a-z0-9]", "")
                            .substring(
                                    0,
                                    Math.min(
                                            8,
                                            jobId.replaceAll("[^A-Za-z0-9]", "").length()));
        } else if (!Character.isLetter(s.charAt(0))) {
            s = "job-" + s;
        }
        return s;
    }

    private static List<Path> yamlFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try {
            return DefinitionLoader.definitionFiles(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String baseName(Path f) {
        String n = f.getFileName().toString();
        return n.substring(0, n.lastIndexOf('.'));
    }

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a leftover hidden temporary folder is harmless and ignored by the loader
        }
    }
}

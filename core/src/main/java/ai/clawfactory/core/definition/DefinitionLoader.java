package ai.clawfactory.core.definition;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads and validates definition files. Every file is checked and every problem reported with
 * its file, line, path and reason; if any is found nothing is returned (all or nothing).
 *
 * <p>A file's structure (keys, types, required keys, enums, patterns, ranges) is checked against
 * the committed JSON Schema, {@code definitions/clawfactory.definition.schema.json}
 * ({@link DefinitionSchema}, messages by {@link SchemaMessages}); the readers
 * ({@link FileReader} and the small readers it hands the file to: {@link StepReader} and each
 * kind's {@link StepKindSlice}, {@link ScheduleReader}, {@link AlertsReader}) check what a schema cannot say (references between steps,
 * durations, zones, cron, one-shot times, the caps) and build the model; this class adds the
 * checks across the files of a folder (unique names and schedule ids, schedule-only files).
 */
public final class DefinitionLoader {

    /** Step timeout when neither the step nor the file's defaults set one (the original's), as the schema's default says. */
    public static final Duration DEFAULT_TIMEOUT =
            Durations.parse(DefinitionSchema.defaultAt("step", "/properties/timeout"));
    /** Catch-up window when a schedule sets none (the server's own default is one year), as the schema's default says. */
    public static final Duration DEFAULT_CATCHUP_WINDOW =
            Durations.parse(DefinitionSchema.defaultAt("scheduleFields", "/properties/catchupWindow"));
    /** Overlap policies a schedule may name, as the schema's {@code scheduleFields.overlap} lists them. */
    public static final List<String> OVERLAP_POLICIES =
            DefinitionSchema.enumAt("scheduleFields", "/properties/overlap");

    /** A workflow type's name, as the schema's {@code $defs/name} says. */
    static final Pattern NAME = DefinitionSchema.pattern("name");

    private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    /** Largest definition file: its resolved form is pinned into every run's history (Temporal warns at 512 KiB, refuses 2 MiB). */
    public static final int MAX_FILE_BYTES = 128 * 1024;
    /** Most steps one workflow may have, as the schema's {@code $defs/steps} says. */
    public static final int MAX_STEPS =
            DefinitionSchema.def("steps").path("maxItems").asInt();
    /** Environment variable both the worker and the CLI read: the zone of schedules that name none. */
    public static final String DEFAULT_TIMEZONE_ENV = "SCHEDULES_DEFAULT_TIMEZONE";

    private final String defaultTimezone;

    /** @param defaultTimezone the zone a schedule without {@code timezone} uses; null or blank means it is required */
    public DefinitionLoader(String defaultTimezone) {
        this.defaultTimezone = defaultTimezone == null || defaultTimezone.isBlank() ? null : defaultTimezone.trim();
    }

    public DefinitionLoader() {
        this(null);
    }

    /** The loader every process uses: configured from {@value #DEFAULT_TIMEZONE_ENV}. */
    public static DefinitionLoader fromEnvironment() {
        return new DefinitionLoader(System.getenv(DEFAULT_TIMEZONE_ENV));
    }

    /**
     * What a folder declares: the workflows, and every schedule (each workflow's own and those of
     * schedule-only files), sorted by id.
     */
    public record DefinitionSet(Map<String, WorkflowDefinition> workflows, List<ScheduleDefinition> schedules) {}

    /**
     * What a folder holds when bad files are set aside rather than refusing the lot (the worker's
     * view: one bad file must not stop the types defined in the others).
     *
     * @param valid    the workflows and schedules of the files without problems
     * @param problems every problem found, in file order
     * @param refused  workflow types that a bad file declares (or that two files both declare),
     *                 with the problems that refused them: a new run of such a type fails with these
     */
    public record LoadReport(DefinitionSet valid, List<Problem> problems, Map<String, List<Problem>> refused) {}

    /** Loads every {@code *.yaml} / {@code *.yml} file of a folder, or refuses them all. */
    public Map<String, WorkflowDefinition> loadDirectory(Path dir) {
        return loadAll(dir).workflows();
    }

    /**
     * Loads every file of a folder: workflow definitions and schedule-only files (a file holding
     * just a {@code schedule} block whose {@code workflow} names a type defined in the folder).
     * Any problem in any file refuses them all (the CLI's view: nothing is half-applied).
     */
    public DefinitionSet loadAll(Path dir) {
        LoadReport report = loadEach(dir);
        if (!report.problems().isEmpty()) {
            throw new DefinitionException(report.problems());
        }
        return report.valid();
    }

    /**
     * The definition files of a folder, in name order: its regular {@code *.yaml} and {@code *.yml}
     * files, hidden ones (an editor's {@code .x.yaml.swp}, say) left out. The one rule for which
     * files are definitions, shared by the loader and the importer.
     */
    public static List<Path> definitionFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                        String n = p.getFileName().toString();
                        return Files.isRegularFile(p)
                                && !n.startsWith(".")
                                && (n.endsWith(".yaml") || n.endsWith(".yml"));
                    })
                    .sorted()
                    .toList();
        }
    }

    /**
     * Loads every file of a folder on its own: a file with a problem is left out (and its problems
     * reported) while the others load. Only a folder that cannot be listed throws.
     */
    public LoadReport loadEach(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DefinitionException(List.of(new Problem(
                    dir.toString(),
                    0,
                    0,
                    "",
                    "no such folder (set DEFINITIONS_DIR or pass the folder holding your *.yaml definitions)")));
        }
        List<Path> files;
        try {
            files = definitionFiles(dir);
        } catch (IOException e) {
            throw new DefinitionException(
                    List.of(new Problem(dir.toString(), 0, 0, "", "cannot list folder: " + e.getMessage())));
        }
        List<Problem> problems = new ArrayList<>();
        Map<String, WorkflowDefinition> byName = new TreeMap<>();
        Map<String, List<Problem>> refused = new TreeMap<>();
        List<FileRead> scheduleOnly = new ArrayList<>();
        Map<ScheduleDefinition, FileRead.Position> schedulePositions = new IdentityHashMap<>();
        for (Path f : files) {
            FileRead r = readFile(f);
            problems.addAll(r.problems());
            if (r.schedule() != null) {
                schedulePositions.put(r.schedule().definition(), r.schedule().idAt());
            }
            if (r.standalone() != null) {
                scheduleOnly.add(r);
            }
            if (r.workflow() == null) {
                if (r.declaredName() != null && !r.problems().isEmpty()) {
                    refused.computeIfAbsent(r.declaredName(), n -> new ArrayList<>())
                            .addAll(r.problems());
                }
                continue;
            }
            WorkflowDefinition d = r.workflow();
            WorkflowDefinition prior = byName.putIfAbsent(d.name(), d);
            if (prior != null) {
                Problem twice = new Problem(
                        f.toString(),
                        r.nameAt().line(),
                        r.nameAt().column(),
                        "name",
                        "workflow '" + d.name() + "' is already defined in " + prior.source()
                                + " (names must be unique)");
                problems.add(twice);
                refused.computeIfAbsent(d.name(), n -> new ArrayList<>()).add(twice);
            }
        }
        // A type declared by a bad file, or by two files, is refused whole: which copy was meant is unknown.
        for (String name : refused.keySet()) {
            byName.remove(name);
        }
        Map<String, String> scheduleOwners = new LinkedHashMap<>();
        List<ScheduleDefinition> schedules = new ArrayList<>();
        for (WorkflowDefinition d : byName.values()) {
            if (d.schedule() != null) {
                schedules.add(d.schedule());
            }
        }
        for (FileRead r : scheduleOnly) {
            ScheduleDefinition s = r.standalone();
            WorkflowDefinition target = byName.get(s.workflow());
            if (target == null) {
                String why = refused.containsKey(s.workflow())
                        ? "'" + s.workflow() + "' is defined in a file with problems (see above)"
                        : "'" + s.workflow() + "' is not a workflow type defined in this folder ("
                                + (byName.isEmpty() ? "none is" : "defined: " + String.join(", ", byName.keySet()))
                                + ")";
                FileRead.Position at = r.schedule().workflowAt();
                problems.add(new Problem(s.source(), at.line(), at.column(), "schedule.workflow", why));
                continue;
            }
            boolean ok = true;
            Map<String, String> lists = StepGraph.listInputs(target);
            for (Map.Entry<String, FileRead.Position> in : r.schedule().inputs().entrySet()) {
                String why = lists.containsKey(in.getKey())
                        ? FileReader.scheduleListInput(in.getKey(), lists.get(in.getKey()))
                        : target.input().containsKey(in.getKey())
                                ? null
                                : "'" + in.getKey() + "' is not a declared input of " + target.name() + " (declared: "
                                        + (target.input().isEmpty()
                                                ? "none"
                                                : String.join(
                                                        ", ", target.input().keySet()))
                                        + ")";
                if (why != null) {
                    ok = false;
                    problems.add(new Problem(
                            s.source(),
                            in.getValue().line(),
                            in.getValue().column(),
                            "schedule.input." + in.getKey(),
                            why));
                }
            }
            if (ok) {
                schedules.add(s);
            }
        }
        List<ScheduleDefinition> unique = new ArrayList<>();
        for (ScheduleDefinition s : schedules.stream()
                .sorted((a, b) -> a.source().compareTo(b.source()))
                .toList()) {
            String owner = scheduleOwners.putIfAbsent(s.id(), s.source());
            if (owner != null) {
                FileRead.Position at = schedulePositions.getOrDefault(s, FileRead.Position.UNKNOWN);
                problems.add(new Problem(
                        s.source(),
                        at.line(),
                        at.column(),
                        "schedule.id",
                        "schedule id '" + s.id() + "' is already used by " + owner));
            } else {
                unique.add(s);
            }
        }
        unique.sort((a, b) -> a.id().compareTo(b.id()));
        Map<String, List<Problem>> refusedView = new LinkedHashMap<>();
        refused.forEach((k, v) -> refusedView.put(k, List.copyOf(v)));
        return new LoadReport(
                new DefinitionSet(Collections.unmodifiableMap(byName), List.copyOf(unique)),
                List.copyOf(problems),
                Collections.unmodifiableMap(refusedView));
    }

    /**
     * Reads and checks one file; nothing it meets (I/O, size, a parser's exception, a stack
     * overflow) escapes as anything but a problem.
     */
    private FileRead readFile(Path f) {
        String name = f.toString();
        try {
            long size = Files.size(f);
            if (size > MAX_FILE_BYTES) {
                return FileRead.failed(List.of(new Problem(
                        name,
                        1,
                        1,
                        "",
                        "the file is " + size / 1024 + " KiB; a definition may be at most "
                                + MAX_FILE_BYTES / 1024
                                + " KiB (it is pinned into every run's history). Split it, or keep large "
                                + "texts out of the file")));
            }
            String text = Files.readString(f, StandardCharsets.UTF_8);
            try {
                return new FileReader(name, text, defaultTimezone).read();
            } catch (RuntimeException | StackOverflowError e) {
                // A backstop: a file must never take the folder (or the worker's /health thread) down with it.
                return FileRead.failed(List.of(new Problem(
                        name,
                        1,
                        1,
                        "",
                        "could not be read (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                                + "); please report this with the file")));
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return FileRead.failed(List.of(new Problem(
                    name,
                    0,
                    0,
                    "",
                    "cannot read file: " + e.getMessage()
                            + (e.getCause() instanceof java.nio.charset.CharacterCodingException
                                    ? " (save it as UTF-8)"
                                    : ""))));
        }
    }

    /** Parses one document (for tests and single-file checks). */
    public WorkflowDefinition parse(String fileName, String text) {
        FileRead r = new FileReader(fileName, text, defaultTimezone).read();
        if (!r.problems().isEmpty()) {
            throw new DefinitionException(r.problems());
        }
        return r.workflow();
    }

    /**
     * Reads a file holding just an {@code alerts:} block (the worker's defaults for every
     * definition without one, {@code ALERTS_DEFAULT_FILE}); its templates may read
     * {@code workflow.*} and {@code failure.*} (no inputs: they differ between types).
     */
    public AlertsDefinition parseAlertsFile(String fileName, String text) {
        FileReader.AlertsFile r = new FileReader(fileName, text, defaultTimezone).readAlertsOnly();
        if (!r.problems().isEmpty()) {
            throw new DefinitionException(r.problems());
        }
        return r.alerts();
    }

    /** Checks a 5-field cron expression (or @daily, @hourly, ...); returns an error message or null. */
    public static String checkCron(String expr) {
        String e = expr.trim();
        if (e.startsWith("@")) {
            return Set.of("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")
                            .contains(e)
                    ? null
                    : "'" + e + "' is not a known macro (use @yearly, @monthly, @weekly, @daily or @hourly)";
        }
        if (e.startsWith("CRON_TZ=") || e.startsWith("TZ=")) {
            return "put the timezone in schedule.timezone, not inside the cron expression";
        }
        try {
            CRON.parse(e).validate();
            return null;
        } catch (IllegalArgumentException ex) {
            return "'" + e
                    + "' is not a valid cron expression (5 fields: minute hour day-of-month month day-of-week, e.g. '0 4 * * *'): "
                    + ex.getMessage();
        }
    }

    /** An unmodifiable copy that keeps the order the file wrote (Map.copyOf does not). */
    static <K, V> Map<K, V> ordered(Map<K, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    static String version(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

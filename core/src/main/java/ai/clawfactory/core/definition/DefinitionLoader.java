package ai.clawfactory.core.definition;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads and validates definition files. Every file is checked and every problem reported with
 * its file, line, path and reason; if any is found nothing is returned (all or nothing).
 */
public final class DefinitionLoader {

    /** Step timeout when neither the step nor the file's defaults set one (the original's). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    /** Catch-up window when a schedule sets none (the server's own default is one year). */
    public static final Duration DEFAULT_CATCHUP_WINDOW = Duration.ofHours(1);
    /** Overlap policies a schedule may name. */
    public static final List<String> OVERLAP_POLICIES =
            List.of("skip", "bufferOne", "bufferAll", "cancelOther", "terminateOther", "allowAll");

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,199}");
    private static final Pattern STEP_ID = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    private static final Pattern INPUT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    private static final Pattern SCHEDULE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,199}");
    private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    /** Largest definition file: its resolved form is pinned into every run's history (Temporal warns at 512 KiB, refuses 2 MiB). */
    public static final int MAX_FILE_BYTES = 128 * 1024;
    /** Most steps one workflow may have. */
    public static final int MAX_STEPS = 100;
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
    public record DefinitionSet(Map<String, WorkflowDefinition> workflows, List<ScheduleDefinition> schedules) {
    }

    /**
     * What a folder holds when bad files are set aside rather than refusing the lot (the worker's
     * view: one bad file must not stop the types defined in the others).
     *
     * @param valid    the workflows and schedules of the files without problems
     * @param problems every problem found, in file order
     * @param refused  workflow types that a bad file declares (or that two files both declare),
     *                 with the problems that refused them: a new run of such a type fails with these
     */
    public record LoadReport(DefinitionSet valid, List<Problem> problems, Map<String, List<Problem>> refused) {
    }

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
     * Loads every file of a folder on its own: a file with a problem is left out (and its problems
     * reported) while the others load. Only a folder that cannot be listed throws.
     */
    public LoadReport loadEach(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DefinitionException(List.of(new Problem(dir.toString(), 0, 0, "",
                    "no such folder (set DEFINITIONS_DIR or pass the folder holding your *.yaml definitions)")));
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> {
                String n = p.getFileName().toString();
                return Files.isRegularFile(p) && !n.startsWith(".") && (n.endsWith(".yaml") || n.endsWith(".yml"));
            }).sorted().toList();
        } catch (IOException e) {
            throw new DefinitionException(List.of(new Problem(dir.toString(), 0, 0, "", "cannot list folder: " + e.getMessage())));
        }
        List<Problem> problems = new ArrayList<>();
        Map<String, WorkflowDefinition> byName = new TreeMap<>();
        Map<String, List<Problem>> refused = new TreeMap<>();
        List<FileReader> scheduleOnly = new ArrayList<>();
        Map<ScheduleDefinition, int[]> schedulePositions = new java.util.IdentityHashMap<>();
        for (Path f : files) {
            FileReader r = readFile(f);
            problems.addAll(r.problems);
            if (r.scheduleDefinition != null) {
                schedulePositions.put(r.scheduleDefinition, r.scheduleIdPosition);
            }
            if (r.standalone != null) {
                scheduleOnly.add(r);
            }
            if (r.result == null) {
                if (r.declaredName != null && !r.problems.isEmpty()) {
                    refused.computeIfAbsent(r.declaredName, n -> new ArrayList<>()).addAll(r.problems);
                }
                continue;
            }
            WorkflowDefinition d = r.result;
            WorkflowDefinition prior = byName.putIfAbsent(d.name(), d);
            if (prior != null) {
                Problem twice = new Problem(f.toString(), r.nameLine, r.nameColumn, "name",
                        "workflow '" + d.name() + "' is already defined in " + prior.source() + " (names must be unique)");
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
        for (FileReader r : scheduleOnly) {
            ScheduleDefinition s = r.standalone;
            WorkflowDefinition target = byName.get(s.workflow());
            if (target == null) {
                String why = refused.containsKey(s.workflow())
                        ? "'" + s.workflow() + "' is defined in a file with problems (see above)"
                        : "'" + s.workflow() + "' is not a workflow type defined in this folder ("
                                + (byName.isEmpty() ? "none is" : "defined: " + String.join(", ", byName.keySet())) + ")";
                problems.add(new Problem(r.file, r.standaloneWorkflowLine, r.standaloneWorkflowColumn, "schedule.workflow", why));
                continue;
            }
            boolean ok = true;
            for (Map.Entry<String, int[]> in : r.standaloneInputs.entrySet()) {
                if (!target.input().containsKey(in.getKey())) {
                    ok = false;
                    problems.add(new Problem(r.file, in.getValue()[0], in.getValue()[1], "schedule.input." + in.getKey(),
                            "'" + in.getKey() + "' is not a declared input of " + target.name() + " (declared: "
                                    + (target.input().isEmpty() ? "none" : String.join(", ", target.input().keySet())) + ")"));
                }
            }
            if (ok) {
                schedules.add(s);
            }
        }
        List<ScheduleDefinition> unique = new ArrayList<>();
        for (ScheduleDefinition s : schedules.stream().sorted((a, b) -> a.source().compareTo(b.source())).toList()) {
            String owner = scheduleOwners.putIfAbsent(s.id(), s.source());
            if (owner != null) {
                int[] at = schedulePositions.getOrDefault(s, new int[] {0, 0});
                problems.add(new Problem(s.source(), at[0], at[1], "schedule.id",
                        "schedule id '" + s.id() + "' is already used by " + owner));
            } else {
                unique.add(s);
            }
        }
        unique.sort((a, b) -> a.id().compareTo(b.id()));
        Map<String, List<Problem>> refusedView = new LinkedHashMap<>();
        refused.forEach((k, v) -> refusedView.put(k, List.copyOf(v)));
        return new LoadReport(new DefinitionSet(Collections.unmodifiableMap(byName), List.copyOf(unique)),
                List.copyOf(problems), Collections.unmodifiableMap(refusedView));
    }

    /** Reads and checks one file; nothing it meets (I/O, size, a parser's exception) escapes as anything but a problem. */
    private FileReader readFile(Path f) {
        String name = f.toString();
        try {
            long size = Files.size(f);
            if (size > MAX_FILE_BYTES) {
                FileReader r = new FileReader(name, "", defaultTimezone);
                r.problems.add(new Problem(name, 1, 1, "", "the file is " + size / 1024 + " KiB; a definition may be at most "
                        + MAX_FILE_BYTES / 1024 + " KiB (it is pinned into every run's history). Split it, or keep large "
                        + "texts out of the file"));
                return r;
            }
            String text = Files.readString(f, StandardCharsets.UTF_8);
            FileReader r = new FileReader(name, text, defaultTimezone);
            try {
                r.result = r.read();
            } catch (RuntimeException e) {
                r.result = null;
                r.problems.add(new Problem(name, 1, 1, "", "could not be read (" + e.getClass().getSimpleName() + ": "
                        + e.getMessage() + "); please report this with the file"));
            }
            return r;
        } catch (IOException | java.io.UncheckedIOException e) {
            FileReader r = new FileReader(name, "", defaultTimezone);
            r.problems.add(new Problem(name, 0, 0, "", "cannot read file: " + e.getMessage()
                    + (e.getCause() instanceof java.nio.charset.CharacterCodingException ? " (save it as UTF-8)" : "")));
            return r;
        }
    }

    /** Parses one document (for tests and single-file checks). */
    public WorkflowDefinition parse(String fileName, String text) {
        FileReader r = new FileReader(fileName, text, defaultTimezone);
        WorkflowDefinition d = r.read();
        if (!r.problems.isEmpty()) {
            throw new DefinitionException(r.problems);
        }
        return d;
    }

    /**
     * Reads a file holding just an {@code alerts:} block (the worker's defaults for every
     * definition without one, {@code ALERTS_DEFAULT_FILE}); its templates may read
     * {@code workflow.*} and {@code failure.*} (no inputs: they differ between types).
     */
    public AlertsDefinition parseAlertsFile(String fileName, String text) {
        FileReader r = new FileReader(fileName, text, defaultTimezone);
        AlertsDefinition a = r.readAlertsOnly();
        if (!r.problems.isEmpty()) {
            throw new DefinitionException(r.problems);
        }
        return a;
    }

    /** Checks a 5-field cron expression (or @daily, @hourly, ...); returns an error message or null. */
    public static String checkCron(String expr) {
        String e = expr.trim();
        if (e.startsWith("@")) {
            return Set.of("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly").contains(e)
                    ? null : "'" + e + "' is not a known macro (use @yearly, @monthly, @weekly, @daily or @hourly)";
        }
        if (e.startsWith("CRON_TZ=") || e.startsWith("TZ=")) {
            return "put the timezone in schedule.timezone, not inside the cron expression";
        }
        try {
            CRON.parse(e).validate();
            return null;
        } catch (IllegalArgumentException ex) {
            return "'" + e + "' is not a valid cron expression (5 fields: minute hour day-of-month month day-of-week, e.g. '0 4 * * *'): "
                    + ex.getMessage();
        }
    }

    /** Reads one file; collects problems instead of stopping at the first. */
    private static final class FileReader {
        private final String file;
        private final String text;
        private final String defaultTimezone;
        private final List<Problem> problems = new ArrayList<>();
        /** The definition read, or null when the file has problems or holds only a schedule. */
        private WorkflowDefinition result;
        /** The workflow type the file declares, when its name could be read (even if other parts are bad). */
        private String declaredName;
        private ScheduleDefinition scheduleDefinition;
        private int[] scheduleIdPosition = {0, 0};
        private int nameLine;
        private int nameColumn;
        /** The mapping each key map was read from, for the position of a missing key. */
        private final Map<Map<String, Node>, MappingNode> owners = new java.util.IdentityHashMap<>();
        /** Set when the file holds just a schedule for a workflow defined elsewhere. */
        private ScheduleDefinition standalone;
        private int standaloneWorkflowLine;
        private int standaloneWorkflowColumn;
        private final Map<String, int[]> standaloneInputs = new LinkedHashMap<>();

        FileReader(String file, String text, String defaultTimezone) {
            this.file = file;
            this.text = text;
            this.defaultTimezone = defaultTimezone;
        }

        /** True while reading an {@code alerts} block: templates may also read {@code failure.*}. */
        private boolean inAlerts;

        AlertsDefinition readAlertsOnly() {
            Node root = compose();
            if (root == null) {
                if (problems.isEmpty()) {
                    problems.add(new Problem(file, 1, 1, "", "the file is empty (an alerts defaults file holds an 'alerts:' block)"));
                }
                return null;
            }
            MappingNode doc = mapping(root, "");
            if (doc == null) {
                return null;
            }
            Map<String, Node> top = keys(doc, "", "alerts");
            if (!top.containsKey("alerts")) {
                problem(doc, "alerts", "missing: an alerts defaults file holds an 'alerts:' block");
                return null;
            }
            AlertsDefinition a = alerts(top.get("alerts"), Map.of());
            return problems.isEmpty() ? a : null;
        }

        private Node compose() {
            try {
                LoaderOptions options = new LoaderOptions();
                options.setAllowDuplicateKeys(false);
                options.setMaxAliasesForCollections(10);
                options.setCodePointLimit(1024 * 1024);
                return new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
            } catch (MarkedYAMLException e) {
                Mark m = e.getProblemMark();
                problems.add(new Problem(file, m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1, "",
                        "not valid YAML: " + e.getProblem()));
                return null;
            } catch (YAMLException e) {
                problems.add(new Problem(file, 0, 0, "", "not valid YAML: " + e.getMessage()));
                return null;
            }
        }

        /**
         * {@code alerts: {after, cooldown, onFailure, onRecovery}}, or {@code alerts: false} (no
         * alerts, not even the worker's defaults: an {@link AlertsDefinition} with neither action).
         */
        private AlertsDefinition alerts(Node n, Map<String, String> input) {
            String path = "alerts";
            if (n instanceof ScalarNode s && "false".equals(s.getValue())) {
                return new AlertsDefinition(AlertsDefinition.DEFAULT_AFTER, AlertsDefinition.DEFAULT_COOLDOWN, null, null, file);
            }
            MappingNode m = mapping(n, path);
            if (m == null) {
                return null;
            }
            Map<String, Node> k = keys(m, path, "after", "cooldown", "onFailure", "onRecovery");
            int after = AlertsDefinition.DEFAULT_AFTER;
            if (k.containsKey("after")) {
                String v = scalar(k.get("after"), path + ".after");
                try {
                    after = Integer.parseInt(v);
                    if (after < 1 || after > 1000) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException | NullPointerException e) {
                    problem(k.get("after"), path + ".after", "'" + v + "' must be a whole number from 1 to 1000 "
                            + "(consecutive failed runs before the first alert)");
                    after = AlertsDefinition.DEFAULT_AFTER;
                }
            }
            Duration cooldown = duration(k, "cooldown", path, AlertsDefinition.DEFAULT_COOLDOWN);
            if (cooldown != null && cooldown.isNegative()) {
                problem(k.get("cooldown"), path + ".cooldown", "must not be negative");
            }
            if (!k.containsKey("onFailure") && !k.containsKey("onRecovery")) {
                problem(m, path, "needs onFailure (and optionally onRecovery): an agentTurn or http step that tells a person");
            }
            inAlerts = true;
            try {
                AlertAction onFailure = k.containsKey("onFailure") ? alertAction(k.get("onFailure"), path + ".onFailure", input) : null;
                AlertAction onRecovery = k.containsKey("onRecovery") ? alertAction(k.get("onRecovery"), path + ".onRecovery", input) : null;
                return new AlertsDefinition(after, cooldown, onFailure, onRecovery, file);
            } finally {
                inAlerts = false;
            }
        }

        private AlertAction alertAction(Node n, String path, Map<String, String> input) {
            MappingNode m = mapping(n, path);
            if (m == null) {
                return null;
            }
            Map<String, Node> k = keys(m, path, "agentTurn", "http");
            if (k.size() != 1) {
                problem(m, path, "an alert has exactly one of agentTurn or http");
                return null;
            }
            if (k.containsKey("agentTurn")) {
                AgentTurnDefinition t = agentTurn(k.get("agentTurn"), path + ".agentTurn", input, List.of(), List.of());
                if (t != null && t.expect() != null) {
                    problem(k.get("agentTurn"), path + ".agentTurn.expect", "an alert has no output check");
                }
                return new AlertAction(t, null);
            }
            return new AlertAction(null, httpCall(k.get("http"), path + ".http", input, List.of(), List.of()));
        }

        /** An error for a {@code failure.*} reference (in an alerts block only), or null when it is fine. */
        private String failureRef(String ref) {
            if (!inAlerts) {
                return "'" + ref + "': failure.* is only known in an alerts block";
            }
            String[] p = ref.split("\\.");
            if (p.length != 2 || !AlertsDefinition.FAILURE_FIELDS.contains(p[1])) {
                return "'" + ref + "' should be failure." + String.join("|", AlertsDefinition.FAILURE_FIELDS.stream().sorted().toList());
            }
            return null;
        }

        WorkflowDefinition read() {
            Node root = compose();
            if (root == null) {
                if (problems.isEmpty()) {
                    problems.add(new Problem(file, 1, 1, "", "the file is empty (a definition needs at least name and steps)"));
                }
                return null;
            }
            MappingNode doc = mapping(root, "");
            if (doc == null) {
                return null;
            }
            Map<String, Node> top = keys(doc, "", "name", "description", "input", "defaults", "steps", "schedule", "alerts");
            if (top.containsKey("schedule") && !top.containsKey("name") && !top.containsKey("steps")) {
                // A schedule-only file: starts a workflow defined in another file of the folder.
                for (String key : List.of("input", "defaults", "alerts")) {
                    if (top.containsKey(key)) {
                        problem(top.get(key), key, "a schedule-only file has no '" + key + "' (set schedule.input instead)");
                    }
                }
                ScheduleDefinition s = schedule(top.get("schedule"), null, null);
                if (problems.isEmpty()) {
                    standalone = s;
                }
                return null;
            }

            String name = requiredString(top, "name", "", NAME,
                    "letters, digits, '_', '.', '-', starting with a letter (it is the Temporal workflow type)");
            if (top.containsKey("name")) {
                nameLine = line(top.get("name"));
                nameColumn = top.get("name").getStartMark().getColumn() + 1;
            }
            declaredName = name;
            String description = optionalString(top, "description", "");

            Map<String, String> input = new LinkedHashMap<>();
            if (top.containsKey("input")) {
                MappingNode in = mapping(top.get("input"), "input");
                if (in != null) {
                    for (NodeTuple t : in.getValue()) {
                        String key = scalarText(t.getKeyNode());
                        String path = "input." + key;
                        if (key == null || !INPUT_NAME.matcher(key).matches()) {
                            problem(t.getKeyNode(), path, "input names are letters, digits, '_' or '-', starting with a letter");
                            continue;
                        }
                        Node v = t.getValueNode();
                        if (v instanceof ScalarNode s) {
                            input.put(key, isNull(s) ? "" : s.getValue());
                        } else {
                            problem(v, path, "an input's default must be a single value (text, number or true/false)");
                        }
                    }
                }
            }

            Duration defaultTimeout = DEFAULT_TIMEOUT;
            RetryDefinition defaultRetry = RetryDefinition.DEFAULT;
            if (top.containsKey("defaults")) {
                MappingNode dm = mapping(top.get("defaults"), "defaults");
                if (dm != null) {
                    Map<String, Node> dk = keys(dm, "defaults", "timeout", "retry");
                    defaultTimeout = positiveDuration(dk, "timeout", "defaults", DEFAULT_TIMEOUT);
                    defaultRetry = retry(dk.get("retry"), "defaults.retry", RetryDefinition.DEFAULT);
                }
            }

            List<StepDefinition> steps = new ArrayList<>();
            if (!top.containsKey("steps")) {
                problem(doc, "steps", "missing: a workflow needs at least one step");
            } else {
                Node sn = top.get("steps");
                if (!(sn instanceof SequenceNode seq)) {
                    problem(sn, "steps", "must be a list of steps (each line starting with '- ')");
                } else if (seq.getValue().isEmpty()) {
                    problem(sn, "steps", "is empty: a workflow needs at least one step");
                } else if (seq.getValue().size() > MAX_STEPS) {
                    problem(seq.getValue().get(MAX_STEPS), "steps[" + MAX_STEPS + "]", "a workflow has at most " + MAX_STEPS
                            + " steps, this one " + seq.getValue().size() + " (split it into workflows of their own)");
                } else {
                    List<String> ids = new ArrayList<>();
                    for (Node n : seq.getValue()) {
                        String path = "steps[" + ids.size() + "]";
                        String id = stepId(n, path);
                        ids.add(id == null ? "" : id);
                    }
                    List<String> seen = new ArrayList<>();
                    int i = 0;
                    for (Node n : seq.getValue()) {
                        String path = "steps[" + i + "]";
                        String id = ids.get(i);
                        if (!id.isEmpty() && seen.contains(id)) {
                            problem(n, path + ".id", "'" + id + "' is used by an earlier step (step ids must be unique)");
                        }
                        StepDefinition s = step(n, path, input, seen, ids, defaultTimeout, defaultRetry);
                        if (s != null) {
                            steps.add(s);
                        }
                        if (!id.isEmpty()) {
                            seen.add(id);
                        }
                        i++;
                    }
                }
            }

            ScheduleDefinition schedule = null;
            if (top.containsKey("schedule")) {
                schedule = schedule(top.get("schedule"), name, input);
            }
            AlertsDefinition alerts = top.containsKey("alerts") ? alerts(top.get("alerts"), input) : null;
            if (!problems.isEmpty()) {
                return null;
            }
            return new WorkflowDefinition(name, description, file, version(text), ordered(input), List.copyOf(steps), schedule,
                    alerts);
        }

        private String stepId(Node n, String path) {
            if (!(n instanceof MappingNode m)) {
                return null;
            }
            for (NodeTuple t : m.getValue()) {
                if ("id".equals(scalarText(t.getKeyNode())) && t.getValueNode() instanceof ScalarNode s) {
                    return s.getValue();
                }
            }
            return null;
        }

        private StepDefinition step(Node n, String path, Map<String, String> input, List<String> earlier,
                                    List<String> all, Duration defaultTimeout, RetryDefinition defaultRetry) {
            MappingNode m = mapping(n, path);
            if (m == null) {
                return null;
            }
            String declaredId = stepId(n, path);
            String bare = path;
            if (declaredId != null && STEP_ID.matcher(declaredId).matches()) {
                path = path + "(" + declaredId + ")";
            }
            Map<String, Node> k = keys(m, path, "id", "when", "timeout", "retry", "continueOnFailure",
                    "agentTurn", "wait", "http", "wake");
            int before = problems.size();
            String id = requiredString(k, "id", bare, STEP_ID, "letters, digits, '_' or '-', starting with a letter");
            String when = optionalString(k, "when", path);
            if (when != null) {
                try {
                    for (String ref : Expressions.conditionRefs(when)) {
                        String err = Expressions.checkRef(ref, input, earlier, all, true);
                        if (err != null) {
                            problem(k.get("when"), path + ".when", err);
                        }
                    }
                } catch (IllegalArgumentException e) {
                    problem(k.get("when"), path + ".when", e.getMessage());
                }
            }
            Duration timeout = positiveDuration(k, "timeout", path, defaultTimeout);
            RetryDefinition retry = retry(k.get("retry"), path + ".retry", defaultRetry);
            boolean continueOnFailure = bool(k, "continueOnFailure", path, false);

            List<String> kinds = Stream.of("agentTurn", "wait", "http", "wake").filter(k::containsKey).toList();
            if (kinds.size() != 1) {
                problem(m, path, kinds.isEmpty()
                        ? "a step needs exactly one of agentTurn, wait, http or wake"
                        : "a step has exactly one of agentTurn, wait, http or wake, not " + String.join(" and ", kinds));
                return null;
            }
            AgentTurnDefinition turn = null;
            WaitDefinition wait = null;
            HttpCallDefinition http = null;
            WakeDefinition wake = null;
            switch (kinds.get(0)) {
                case "agentTurn" -> turn = agentTurn(k.get("agentTurn"), path + ".agentTurn", input, earlier, all);
                case "wait" -> wait = waitStep(k.get("wait"), path + ".wait");
                case "wake" -> wake = wake(k.get("wake"), path + ".wake", input, earlier, all);
                default -> http = httpCall(k.get("http"), path + ".http", input, earlier, all);
            }
            if (problems.size() > before) {
                return null;
            }
            return new StepDefinition(id, when, timeout, retry, continueOnFailure, turn, wait, http, wake);
        }

        /** A wake of the main session ({@code POST /hooks/wake}): {@code text} (templated) and {@code mode}. */
        private WakeDefinition wake(Node n, String path, Map<String, String> input, List<String> earlier, List<String> all) {
            MappingNode m = mapping(n, path);
            if (m == null) {
                return null;
            }
            Map<String, Node> k = keys(m, path, "text", "mode");
            String text = optionalString(k, "text", path);
            if (text == null) {
                problem(m, path + ".text", "missing: what the main session is told");
            } else {
                templates(k.get("text"), path + ".text", text, input, earlier, all);
            }
            String mode = optionalString(k, "mode", path);
            if (mode != null && !List.of("now", "next-heartbeat").contains(mode)) {
                problem(k.get("mode"), path + ".mode", "'" + mode + "' is not one of now, next-heartbeat");
            }
            return new WakeDefinition(text, mode);
        }

        private AgentTurnDefinition agentTurn(Node n, String path, Map<String, String> input, List<String> earlier, List<String> all) {
            MappingNode m = mapping(n, path);
            if (m == null) {
                return null;
            }
            Map<String, Node> k = keys(m, path, "message", "name", "agentId", "sessionKey", "sessionMode", "model",
                    "thinking", "timeoutSeconds", "deliver", "channel", "to", "wakeMode", "jobId", "expect");
            String message = optionalString(k, "message", path);
            String jobId = optionalString(k, "jobId", path);
            if (message == null && jobId == null) {
                problem(m, path + ".message", "missing: what the agent should do (jobId alone is only for the legacy cron-fire gateway)");
            }
            if (message != null) {
                templates(k.get("message"), path + ".message", message, input, earlier, all);
            }
            String sessionMode = optionalString(k, "sessionMode", path);
            if (sessionMode != null && !List.of("isolated", "persistent").contains(sessionMode)) {
                problem(k.get("sessionMode"), path + ".sessionMode", "'" + sessionMode + "' is not one of isolated, persistent");
            }
            String wakeMode = optionalString(k, "wakeMode", path);
            if (wakeMode != null && !List.of("now", "next-heartbeat").contains(wakeMode)) {
                problem(k.get("wakeMode"), path + ".wakeMode", "'" + wakeMode + "' is not one of now, next-heartbeat");
            }
            Integer timeoutSeconds = null;
            if (k.containsKey("timeoutSeconds")) {
                String t = scalar(k.get("timeoutSeconds"), path + ".timeoutSeconds");
                try {
                    timeoutSeconds = t == null ? null : Integer.parseInt(t);
                    if (timeoutSeconds != null && timeoutSeconds <= 0) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    problem(k.get("timeoutSeconds"), path + ".timeoutSeconds", "'" + t + "' is not a positive whole number of seconds");
                }
            }
            Boolean deliver = k.containsKey("deliver") ? bool(k, "deliver", path, true) : null;
            String channel = optionalString(k, "channel", path);
            String to = optionalString(k, "to", path);
            if ((channel == null) != (to == null)) {
                problem(m, path, "channel and to go together: set both or neither");
            }
            OutputCheck expect = k.containsKey("expect") ? expect(k.get("expect"), path + ".expect") : null;
            return new AgentTurnDefinition(message, optionalString(k, "name", path), optionalString(k, "agentId", path),
                    optionalString(k, "sessionKey", path), sessionMode, optionalString(k, "model", path),
                    optionalString(k, "thinking", path), timeoutSeconds, deliver, channel, to, wakeMode, jobId, expect);
        }

        /** {@code expect: {contains, matches, json, reply}}: at least one; a regex must compile. */
        private OutputCheck expect(Node n, String path) {
            MappingNode m = mapping(n, path);
            if (m == null) {
                return null;
            }
            Map<String, Node> k = keys(m, path, "contains", "matches", "json", "reply");
            String contains = optionalString(k, "contains", path);
            String matches = optionalString(k, "matches", path);
            if (matches != null) {
                try {
                    java.util.regex.Pattern.compile(matches);
                } catch (java.util.regex.PatternSyntaxException e) {
                    problem(k.get("matches"), path + ".matches", "'" + matches + "' is not a regular expression: "
                            + e.getDescription() + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
                }
            }
            Boolean json = k.containsKey("json") ? bool(k, "json", path, false) : null;
            Boolean reply = k.containsKey("reply") ? bool(k, "reply", path, false) : null;
            if (contains == null && matches == null && !Boolean.TRUE.equals(json) && !Boolean.TRUE.equals(reply)) {
                problem(m, path, "declares no check: set contains, matches, json: true or reply: true");
            }
            return new OutputCheck(contains, matches, json, reply);
        }

        private WaitDefinition waitStep(Node n, String path) {
            if (n instanceof ScalarNode s) {
                try {
                    Duration d = Durations.parse(s.getValue());
                    if (d.isNegative() || d.isZero()) {
                        problem(n, path, "a wait must be longer than zero");
                        return null;
                    }
                    return new WaitDefinition(d, null, null);
                } catch (IllegalArgumentException e) {
                    problem(n, path, e.getMessage());
                    return null;
                }
            }
            MappingNode m = mapping(n, path);
            if (m == null) {
                return null;
            }
            Map<String, Node> k = keys(m, path, "duration", "until", "timezone");
            if (k.containsKey("duration") == k.containsKey("until")) {
                problem(m, path, "a wait has either duration (e.g. 2h) or until (HH:mm with a timezone)");
                return null;
            }
            if (k.containsKey("duration")) {
                return new WaitDefinition(positiveDuration(k, "duration", path, null), null, null);
            }
            String until = optionalString(k, "until", path);
            try {
                LocalTime.parse(until);
            } catch (DateTimeParseException | NullPointerException e) {
                problem(k.get("until"), path + ".until", "'" + until + "' is not a time of day (write HH:mm, e.g. 06:30)");
            }
            String tz = optionalString(k, "timezone", path);
            if (tz == null) {
                problem(m, path + ".timezone", "missing: until needs an IANA timezone, e.g. Europe/Berlin or UTC");
            } else {
                zone(k.get("timezone"), path + ".timezone", tz);
            }
            return new WaitDefinition(null, until, tz);
        }

        private HttpCallDefinition httpCall(Node n, String path, Map<String, String> input, List<String> earlier, List<String> all) {
            MappingNode m = mapping(n, path);
            if (m == null) {
                return null;
            }
            Map<String, Node> k = keys(m, path, "method", "url", "headers", "body", "expectStatus");
            String method = optionalString(k, "method", path);
            method = method == null ? "POST" : method.toUpperCase();
            if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD").contains(method)) {
                problem(k.get("method"), path + ".method", "'" + method + "' is not one of GET, POST, PUT, PATCH, DELETE, HEAD");
            }
            String url = optionalString(k, "url", path);
            if (url == null) {
                problem(m, path + ".url", "missing: the URL to call");
            } else {
                httpTemplates(k.get("url"), path + ".url", url, input, earlier, all);
                for (HttpTemplates.Issue issue : HttpTemplates.checkUrl(url)) {
                    problemAt(k.get("url"), issue.offset(), path + ".url", issue.message());
                }
            }
            Map<String, String> headers = new LinkedHashMap<>();
            if (k.containsKey("headers")) {
                MappingNode hm = mapping(k.get("headers"), path + ".headers");
                if (hm != null) {
                    for (NodeTuple t : hm.getValue()) {
                        String hk = scalarText(t.getKeyNode());
                        String hv = scalar(t.getValueNode(), path + ".headers." + hk);
                        if (hk != null && hv != null) {
                            httpTemplates(t.getValueNode(), path + ".headers." + hk, hv, input, earlier, all);
                            for (HttpTemplates.Issue issue : HttpTemplates.checkHeader(hk, hv)) {
                                problemAt(t.getValueNode(), issue.offset(), path + ".headers." + hk, issue.message());
                            }
                            headers.put(hk, hv);
                        }
                    }
                }
            }
            String body = optionalString(k, "body", path);
            if (body != null) {
                httpTemplates(k.get("body"), path + ".body", body, input, earlier, all);
                for (HttpTemplates.Issue issue : HttpTemplates.checkBody(body)) {
                    problemAt(k.get("body"), issue.offset(), path + ".body", issue.message());
                }
            }
            List<Integer> expect = new ArrayList<>();
            if (k.containsKey("expectStatus")) {
                Node e = k.get("expectStatus");
                List<Node> items = e instanceof SequenceNode seq ? seq.getValue() : List.of(e);
                for (Node item : items) {
                    String v = scalar(item, path + ".expectStatus");
                    try {
                        int code = Integer.parseInt(v);
                        if (code < 100 || code > 599) {
                            throw new NumberFormatException();
                        }
                        expect.add(code);
                    } catch (NumberFormatException | NullPointerException ex) {
                        problem(item, path + ".expectStatus", "'" + v + "' is not an HTTP status (100-599)");
                    }
                }
            }
            return new HttpCallDefinition(method, url, ordered(headers), body, List.copyOf(expect));
        }

        /** An http step's template: like any other, and {@code secret.NAME} references are allowed. */
        private void httpTemplates(Node at, String path, String template, Map<String, String> input,
                                   List<String> earlier, List<String> all) {
            if (template.contains("{{") && Expressions.templateRefs(template).isEmpty()) {
                problem(at, path, "has '{{' without a matching '}}'");
            }
            for (Expressions.Placeholder p : Expressions.placeholders(template)) {
                String err = HttpTemplates.isSecretRef(p.ref()) ? HttpTemplates.checkSecretRef(p.ref())
                        : p.ref().startsWith("failure.") ? failureRef(p.ref())
                        : Expressions.checkRef(p.ref(), input, earlier, all, false);
                if (err != null) {
                    problemAt(at, p.start(), path, err);
                }
            }
        }

        /** A problem {@code offset} characters into a scalar; the column is exact for one-line scalars without escapes. */
        private void problemAt(Node at, int offset, String path, String message) {
            int quote = at instanceof ScalarNode s && s.getScalarStyle() == org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN ? 0 : 1;
            if (at instanceof ScalarNode s && s.getStartMark().getLine() == s.getEndMark().getLine()
                    && s.getEndMark().getColumn() - s.getStartMark().getColumn() - 2 * quote == s.getValue().length()) {
                problems.add(new Problem(file, line(at), at.getStartMark().getColumn() + 1 + quote + offset, path, message));
            } else {
                problem(at, path, message);
            }
        }

        /**
         * A schedule block. {@code workflowName} null means a schedule-only file: then
         * {@code workflow} and {@code id} are required and inputs are checked once the folder is read.
         */
        private ScheduleDefinition schedule(Node n, String workflowName, Map<String, String> workflowInput) {
            String path = "schedule";
            MappingNode m = mapping(n, path);
            if (m == null) {
                return null;
            }
            Map<String, Node> k = keys(m, path, "id", "workflow", "cron", "calendar", "interval", "offset", "timezone", "overlap",
                    "catchupWindow", "jitter", "pauseOnFailure", "paused", "workflowId", "input", "note", "at", "deleteAfterRun",
                    "alertOnSkip");
            boolean scheduleOnly = workflowInput == null;
            String workflow = workflowName;
            if (scheduleOnly) {
                workflow = requiredString(k, "workflow", path, NAME, "the workflow type this schedule starts, as named in its definition");
                if (k.containsKey("workflow")) {
                    standaloneWorkflowLine = line(k.get("workflow"));
                    standaloneWorkflowColumn = k.get("workflow").getStartMark().getColumn() + 1;
                }
                if (!k.containsKey("id")) {
                    problem(m, path + ".id", "missing: a schedule-only file needs its own schedule id");
                }
            } else if (k.containsKey("workflow")) {
                problem(k.get("workflow"), path + ".workflow", "only a schedule-only file names a workflow; this schedule "
                        + "starts " + workflowName + " (move it to a file of its own to start another workflow)");
            }
            String id = optionalString(k, "id", path);
            if (id == null && workflowName != null) {
                id = ai.clawfactory.core.WorkflowIds.defaultScheduleId(workflowName);
            } else if (id != null && !SCHEDULE_ID.matcher(id).matches()) {
                problem(k.get("id"), path + ".id", "'" + id + "' is not a schedule id (letters, digits, '_', '.', '-')");
            }
            List<String> cron = new ArrayList<>();
            if (k.containsKey("cron")) {
                Node c = k.get("cron");
                List<Node> items = c instanceof SequenceNode seq ? seq.getValue() : List.of(c);
                for (Node item : items) {
                    String expr = scalar(item, path + ".cron");
                    if (expr != null) {
                        String err = checkCron(expr);
                        if (err != null) {
                            problem(item, path + ".cron", err);
                        }
                        cron.add(expr.trim());
                    }
                }
            }
            if (k.containsKey("calendar")) {
                String expr = calendar(k.get("calendar"), path + ".calendar");
                if (expr != null) {
                    cron.add(expr);
                }
            }
            Duration interval = k.containsKey("interval") ? positiveDuration(k, "interval", path, null) : null;
            Duration offset = k.containsKey("offset") ? duration(k, "offset", path, null) : null;
            if (offset != null && interval == null) {
                problem(k.get("offset"), path + ".offset", "offset only goes with interval");
            }
            boolean hasCron = k.containsKey("cron") || k.containsKey("calendar");
            boolean hasAt = k.containsKey("at");
            if (hasAt && (hasCron || k.containsKey("interval"))) {
                problem(k.get("at"), path + ".at", "at is a one-shot: it goes without cron, calendar or interval");
            } else if (!hasAt && hasCron == (interval != null || k.containsKey("interval"))) {
                problem(m, path, hasCron
                        ? "say when either with cron/calendar or with interval, not both"
                        : "missing: when it runs (cron: \"0 4 * * *\", calendar: {hour: 4}, interval: 30m, "
                        + "or at: 2027-01-01T09:00:00Z)");
            }
            if (k.containsKey("deleteAfterRun") && !hasAt) {
                problem(k.get("deleteAfterRun"), path + ".deleteAfterRun", "deleteAfterRun only goes with at (a one-shot)");
            }
            String tz = optionalString(k, "timezone", path);
            String atText = hasAt ? optionalString(k, "at", path) : null;
            java.time.Instant at = null;
            if (atText != null) {
                try {
                    at = java.time.OffsetDateTime.parse(atText).toInstant();
                    if (tz == null) {
                        tz = "UTC";
                    }
                } catch (DateTimeParseException e) {
                    try {
                        java.time.LocalDateTime local = java.time.LocalDateTime.parse(atText);
                        String zone = tz != null ? tz : defaultTimezone;
                        if (zone == null) {
                            problem(k.get("at"), path + ".at", "'" + atText + "' has no offset: add one (e.g. Z or +01:00) "
                                    + "or set schedule.timezone");
                        } else {
                            at = local.atZone(ZoneId.of(zone)).toInstant();
                        }
                    } catch (DateTimeException e2) {
                        problem(k.get("at"), path + ".at", "'" + atText + "' is not a date and time (write ISO 8601, "
                                + "e.g. 2027-01-01T09:00:00Z or 2027-01-01T09:00 with schedule.timezone)");
                    }
                }
            }
            if (tz == null) {
                if (defaultTimezone == null) {
                    problem(m, path + ".timezone", "missing: an IANA timezone such as UTC or Europe/Berlin "
                            + "(required so the host's zone is never used by accident; or set SCHEDULES_DEFAULT_TIMEZONE)");
                } else {
                    tz = defaultTimezone;
                    try {
                        ZoneId.of(tz);
                    } catch (DateTimeException e) {
                        problem(m, path + ".timezone", "none is set, and the default from " + DEFAULT_TIMEZONE_ENV + ", '" + tz
                                + "', is not an IANA timezone (e.g. UTC, Europe/Berlin)");
                    }
                }
            } else {
                zone(k.get("timezone"), path + ".timezone", tz);
            }
            String overlap = optionalString(k, "overlap", path);
            if (overlap == null) {
                overlap = "skip";
            } else if (!OVERLAP_POLICIES.contains(overlap)) {
                problem(k.get("overlap"), path + ".overlap", "'" + overlap + "' is not one of " + String.join(", ", OVERLAP_POLICIES));
            }
            Duration catchup = positiveDuration(k, "catchupWindow", path, DEFAULT_CATCHUP_WINDOW);
            if (catchup != null && catchup.compareTo(Duration.ofSeconds(10)) < 0) {
                problem(k.get("catchupWindow"), path + ".catchupWindow", "must be at least 10s (Temporal's minimum)");
            }
            Duration jitter = k.containsKey("jitter") ? duration(k, "jitter", path, null) : null;
            Map<String, String> input = new LinkedHashMap<>();
            if (k.containsKey("input")) {
                MappingNode im = mapping(k.get("input"), path + ".input");
                if (im != null) {
                    for (NodeTuple t : im.getValue()) {
                        String key = scalarText(t.getKeyNode());
                        String v = scalar(t.getValueNode(), path + ".input." + key);
                        if (scheduleOnly) {
                            standaloneInputs.put(key, new int[] {line(t.getKeyNode()), t.getKeyNode().getStartMark().getColumn() + 1});
                            if (v != null) {
                                input.put(key, v);
                            }
                        } else if (key != null && !workflowInput.containsKey(key)) {
                            problem(t.getKeyNode(), path + ".input." + key, "'" + key
                                    + "' is not a declared input of this workflow (declared: "
                                    + (workflowInput.isEmpty() ? "none" : String.join(", ", workflowInput.keySet())) + ")");
                        } else if (v != null) {
                            input.put(key, v);
                        }
                    }
                }
            }
            String workflowId = optionalString(k, "workflowId", path);
            if (workflowId == null) {
                workflowId = id;
            }
            Node idNode = k.containsKey("id") ? k.get("id") : m;
            scheduleIdPosition = new int[] {line(idNode), idNode.getStartMark().getColumn() + 1};
            scheduleDefinition = new ScheduleDefinition(id, List.copyOf(cron), interval, offset, tz, overlap, catchup, jitter,
                    bool(k, "pauseOnFailure", path, false), bool(k, "paused", path, false), workflowId,
                    ordered(input), optionalString(k, "note", path), workflow, file, at,
                    at != null && bool(k, "deleteAfterRun", path, true), bool(k, "alertOnSkip", path, false));
            return scheduleDefinition;
        }

        /** A calendar block, turned into the equivalent cron expression. */
        private String calendar(Node n, String path) {
            MappingNode m = mapping(n, path);
            if (m == null) {
                return null;
            }
            Map<String, Node> k = keys(m, path, "minute", "hour", "dayOfMonth", "month", "dayOfWeek");
            Function<String, String> field = key -> {
                if (!k.containsKey(key)) {
                    return key.equals("minute") ? "0" : "*";
                }
                String v = scalar(k.get(key), path + "." + key);
                return v == null ? "*" : v.replace(" ", "");
            };
            String expr = String.join(" ", field.apply("minute"), field.apply("hour"), field.apply("dayOfMonth"),
                    field.apply("month"), field.apply("dayOfWeek"));
            String err = checkCron(expr);
            if (err != null) {
                problem(m, path, "calendar " + err);
                return null;
            }
            return expr;
        }

        private RetryDefinition retry(Node n, String path, RetryDefinition fallback) {
            if (n == null) {
                return fallback;
            }
            MappingNode m = mapping(n, path);
            if (m == null) {
                return fallback;
            }
            Map<String, Node> k = keys(m, path, "initialInterval", "backoffCoefficient", "maximumInterval", "maximumAttempts");
            Duration initial = positiveDuration(k, "initialInterval", path, fallback.initialInterval());
            Duration max = positiveDuration(k, "maximumInterval", path, fallback.maximumInterval());
            double coefficient = fallback.backoffCoefficient();
            if (k.containsKey("backoffCoefficient")) {
                String v = scalar(k.get("backoffCoefficient"), path + ".backoffCoefficient");
                try {
                    coefficient = Double.parseDouble(v);
                    if (coefficient < 1.0 || Double.isNaN(coefficient) || coefficient > 100) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException | NullPointerException e) {
                    problem(k.get("backoffCoefficient"), path + ".backoffCoefficient", "'" + v + "' must be a number from 1.0 to 100");
                }
            }
            int attempts = fallback.maximumAttempts();
            if (k.containsKey("maximumAttempts")) {
                String v = scalar(k.get("maximumAttempts"), path + ".maximumAttempts");
                try {
                    attempts = Integer.parseInt(v);
                    if (attempts < 1 || attempts > 100) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException | NullPointerException e) {
                    problem(k.get("maximumAttempts"), path + ".maximumAttempts", "'" + v + "' must be a whole number from 1 to 100 (1 = no retry)");
                }
            }
            if (initial != null && max != null && max.compareTo(initial) < 0) {
                problem(m, path + ".maximumInterval", "must not be shorter than initialInterval");
            }
            return new RetryDefinition(initial, coefficient, max, attempts);
        }

        private void templates(Node at, String path, String template, Map<String, String> input, List<String> earlier, List<String> all) {
            if (template.contains("{{") && Expressions.templateRefs(template).isEmpty()) {
                problem(at, path, "has '{{' without a matching '}}'");
            }
            for (String ref : Expressions.templateRefs(template)) {
                String err = ref.startsWith("failure.") || (inAlerts && ref.equals("failure")) ? failureRef(ref)
                        : Expressions.checkRef(ref, input, earlier, all, false);
                if (err != null) {
                    problem(at, path, err);
                }
            }
        }

        private void zone(Node at, String path, String tz) {
            try {
                ZoneId.of(tz);
            } catch (DateTimeException e) {
                problem(at, path, "'" + tz + "' is not an IANA timezone (e.g. UTC, Europe/Berlin, America/New_York)");
            }
        }

        // ---- small typed accessors that record problems with positions ----

        private MappingNode mapping(Node n, String path) {
            if (n instanceof MappingNode m) {
                return m;
            }
            problem(n, path.isEmpty() ? "" : path, "must be a mapping of key: value lines"
                    + (path.isEmpty() ? " (a definition starts with name:, steps:)" : ""));
            return null;
        }

        private Map<String, Node> keys(MappingNode m, String path, String... allowed) {
            Set<String> allowedSet = new LinkedHashSet<>(List.of(allowed));
            Map<String, Node> out = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                String key = scalarText(t.getKeyNode());
                String keyPath = path.isEmpty() ? key : path + "." + key;
                if (key == null) {
                    problem(t.getKeyNode(), path, "keys must be plain words");
                } else if (!allowedSet.contains(key)) {
                    String hint = closest(key, allowedSet);
                    problem(t.getKeyNode(), keyPath, "unknown key" + (hint == null ? "" : " (did you mean '" + hint + "'?)")
                            + "; allowed here: " + String.join(", ", allowedSet));
                } else if (out.put(key, t.getValueNode()) != null) {
                    problem(t.getKeyNode(), keyPath, "appears twice");
                }
            }
            owners.put(out, m);
            return out;
        }

        private String requiredString(Map<String, Node> k, String key, String path, Pattern pattern, String rule) {
            String p = path.isEmpty() ? key : path + "." + key;
            if (!k.containsKey(key)) {
                MappingNode owner = owners.get(k);
                if (owner == null) {
                    problems.add(new Problem(file, 0, 0, p, "missing"));
                } else {
                    problem(owner, p, "missing");
                }
                return null;
            }
            String v = scalar(k.get(key), p);
            if (v != null && !pattern.matcher(v).matches()) {
                problem(k.get(key), p, "'" + v + "' is not allowed: " + rule);
                return null;
            }
            return v;
        }

        private String optionalString(Map<String, Node> k, String key, String path) {
            if (!k.containsKey(key)) {
                return null;
            }
            return scalar(k.get(key), path.isEmpty() ? key : path + "." + key);
        }

        private String scalar(Node n, String path) {
            if (n instanceof ScalarNode s && !isNull(s)) {
                return s.getValue();
            }
            problem(n, path, n instanceof ScalarNode ? "must not be empty" : "must be a single value, not a list or mapping");
            return null;
        }

        private boolean bool(Map<String, Node> k, String key, String path, boolean fallback) {
            if (!k.containsKey(key)) {
                return fallback;
            }
            String v = scalar(k.get(key), path + "." + key);
            if ("true".equals(v)) {
                return true;
            }
            if ("false".equals(v)) {
                return false;
            }
            problem(k.get(key), path + "." + key, "'" + v + "' must be true or false");
            return fallback;
        }

        private Duration duration(Map<String, Node> k, String key, String path, Duration fallback) {
            if (!k.containsKey(key)) {
                return fallback;
            }
            String p = path.isEmpty() ? key : path + "." + key;
            String v = scalar(k.get(key), p);
            if (v == null) {
                return fallback;
            }
            try {
                return Durations.parse(v);
            } catch (IllegalArgumentException e) {
                problem(k.get(key), p, e.getMessage());
                return fallback;
            }
        }

        private Duration positiveDuration(Map<String, Node> k, String key, String path, Duration fallback) {
            Duration d = duration(k, key, path, fallback);
            if (d != null && k.containsKey(key) && (d.isZero() || d.isNegative())) {
                problem(k.get(key), path + "." + key, "must be longer than zero");
                return fallback;
            }
            return d;
        }

        private void problem(Node at, String path, String message) {
            problems.add(new Problem(file, line(at), at == null ? 0 : at.getStartMark().getColumn() + 1, path, message));
        }

        private static int line(Node n) {
            return n == null ? 0 : n.getStartMark().getLine() + 1;
        }

        private static boolean isNull(ScalarNode s) {
            return s.getTag().getValue().endsWith(":null");
        }

        private static String scalarText(Node n) {
            return n instanceof ScalarNode s ? s.getValue() : null;
        }

        private static String closest(String key, Set<String> allowed) {
            String best = null;
            int bestDistance = 3;
            for (String a : allowed) {
                int d = distance(key.toLowerCase(), a.toLowerCase());
                if (d < bestDistance) {
                    bestDistance = d;
                    best = a;
                }
            }
            return best;
        }

        private static int distance(String a, String b) {
            int[] prev = new int[b.length() + 1];
            int[] cur = new int[b.length() + 1];
            for (int j = 0; j <= b.length(); j++) {
                prev[j] = j;
            }
            for (int i = 1; i <= a.length(); i++) {
                cur[0] = i;
                for (int j = 1; j <= b.length(); j++) {
                    int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                    cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                }
                int[] t = prev;
                prev = cur;
                cur = t;
            }
            return prev[b.length()];
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

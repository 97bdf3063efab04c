package ai.clawfactory.schedules.importer;

import ai.clawfactory.core.ExitCode;
import ai.clawfactory.core.definition.DefinitionException;
import ai.clawfactory.core.definition.DefinitionLoader;
import ai.clawfactory.core.definition.Problem;
import ai.clawfactory.core.definition.YamlText;
import ai.clawfactory.core.logging.LogText;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code import openclaw}: reads OpenClaw's cron jobs and writes one definition file per job, so
 * {@code schedules sync} turns them into Temporal Schedules that send the same turns.
 */
@Command(
        name = "openclaw",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Import OpenClaw cron jobs as definition files (one per job).",
            "Reads `openclaw cron list --all --json` ($OPENCLAW_BIN or openclaw on PATH), a saved copy of it or a "
                    + "legacy jobs.json (--jobs-file), or the gateway's state folder read-only (--state-dir).",
            "A second import with nothing changed rewrites nothing; a file edited since its import is left alone "
                    + "unless --force."
        },
        footer = {
            "",
            "Exit codes: 0 done, 1 a source job could not be disabled, 2 unreadable source, invalid result "
                    + "or a job that could not be imported (the others are written)."
        })
final class OpenClawImportCommand implements Callable<Integer> {

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = "${env:DEFINITIONS_DIR:-definitions}",
            description = "Folder to write the definitions to (default: $DEFINITIONS_DIR or definitions).")
    Path out;

    @Option(names = "--dry-run", description = "Show what would be written, job by job; write nothing.")
    boolean dryRun;

    @Option(
            names = "--jobs-file",
            paramLabel = "FILE",
            description =
                    "Read the jobs from a saved `openclaw cron list --all --json` or a legacy ~/.openclaw/cron/jobs.json.")
    Path jobsFile;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description =
                    "Read the jobs from the gateway's state folder ($OPENCLAW_STATE_DIR, e.g. ~/.openclaw), read-only; "
                            + "for when the gateway is down.")
    Path stateDir;

    @Option(
            names = "--default-timezone",
            paramLabel = "ZONE",
            description =
                    "Zone for cron jobs without tz (they ran in the gateway host's zone; default: this host's zone).")
    String defaultTimezone;

    @Option(
            names = "--include-builtin",
            description = "Also import the gateway's own jobs (those with a declarationKey).")
    boolean includeBuiltin;

    @Option(names = "--force", description = "Overwrite files edited since their import.")
    boolean force;

    @Option(
            names = "--disable-source",
            description =
                    "Disable each imported job in OpenClaw (openclaw cron disable -- ID) once its file is written and valid.")
    boolean disableSource;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Overridable in tests. */
    Instant now = Instant.now();
    /** Overridable in tests. */
    String openclawBin = System.getenv(OpenClawCli.BIN_ENV);
    /** This process's environment, of which the openclaw CLI gets only what it needs; overridable in tests. */
    Map<String, String> environment = System.getenv();

    @Override
    public Integer call() {
        // Every line goes out through LogText.oneLine: job data may hold escape sequences and line breaks.
        Report o = new Report(spec.commandLine().getOut());
        Report err = new Report(spec.commandLine().getErr());
        if (jobsFile != null && stateDir != null) {
            err.println("Choose one source: --jobs-file or --state-dir (or neither, to ask the openclaw CLI).");
            return ExitCode.INVALID.code();
        }
        if (defaultTimezone != null) {
            try {
                ZoneId.of(defaultTimezone);
            } catch (DateTimeException e) {
                err.println("--default-timezone '" + defaultTimezone
                        + "' is not an IANA timezone (e.g. UTC, Europe/Berlin).");
                return ExitCode.INVALID.code();
            }
        }
        OpenClawCli cli = new OpenClawCli(openclawBin, environment);
        JobSource.Jobs jobs;
        try {
            jobs = jobsFile != null
                    ? JobSource.fromFile(jobsFile)
                    : stateDir != null ? JobSource.fromStateDir(stateDir) : JobSource.fromCli(cli);
        } catch (JobSource.SourceException e) {
            err.println(e.getMessage());
            return ExitCode.INVALID.code();
        }
        o.printf("Read %d job%s from %s.", jobs.jobs().size(), jobs.jobs().size() == 1 ? "" : "s", jobs.origin());
        for (String w : jobs.warnings()) {
            o.println("warning: " + w);
        }

        DefinitionLoader loader = new DefinitionLoader(System.getenv("SCHEDULES_DEFAULT_TIMEZONE"));
        JobMapper mapper = new JobMapper(defaultTimezone, includeBuiltin, now);
        ImportFiles files = new ImportFiles(out, loader);
        Set<String> disabledByUs = files.disabledByImport();
        List<Draft> importable = new ArrayList<>();
        List<Draft> others = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode job : jobs.jobs()) {
            Draft d = draft(mapper, job, disabledByUs);
            if (d.outcome() == Draft.Outcome.IMPORT && !seen.add(d.jobId())) {
                d = d.refused("job id " + YamlText.quoted(d.jobId()) + " appears more than once in the source: only "
                        + "the first is imported; look at the jobs with `openclaw cron list --all --json`");
            }
            if (d.outcome() == Draft.Outcome.IMPORT) {
                // Each file on its own first, so a job the loader refuses is reported and the rest still go in.
                String probe = ImportFiles.withHash(d.render(ImportFiles.kebab(d.jobName(), d.jobId())));
                try {
                    loader.parse(d.jobId() + ".yaml", probe);
                } catch (DefinitionException e) {
                    List<String> why = new ArrayList<>();
                    for (Problem p : e.problems()) {
                        why.add((p.path() == null || p.path().isEmpty() ? "" : p.path() + ": ") + p.message());
                    }
                    d = d.refused("the definition it maps to is invalid: " + String.join("; ", why));
                }
            }
            (d.outcome() == Draft.Outcome.IMPORT ? importable : others).add(d);
        }

        List<ImportFiles.Planned> plan = files.plan(importable, force);
        Map<ImportFiles.Action, Integer> counts = new EnumMap<>(ImportFiles.Action.class);
        for (ImportFiles.Planned p : plan) {
            counts.merge(p.action(), 1, Integer::sum);
            printPlanned(o, p);
        }
        Map<Draft.Outcome, Integer> notImported = new EnumMap<>(Draft.Outcome.class);
        for (Draft d : others) {
            notImported.merge(d.outcome(), 1, Integer::sum);
            String label = switch (d.outcome()) {
                case SKIP -> "skip";
                case UNSUPPORTED -> "unsupported";
                default -> "error";
            };
            o.printf("%-11s %-28s job %s \"%s\": %s", label, "-", shortId(d.jobId()), d.jobName(), d.reason());
            for (String n : d.notes()) {
                o.println("              note: " + n);
            }
        }

        if (!dryRun) {
            try {
                files.write(plan);
            } catch (ImportFiles.InvalidResult e) {
                for (Problem p : e.problems()) {
                    err.println(p);
                }
                err.println("The imported definitions would not load together with " + out + " (" + e.getMessage()
                        + "); nothing was written.");
                return ExitCode.INVALID.code();
            } catch (java.io.UncheckedIOException e) {
                err.println("Nothing was written: " + e.getMessage());
                return ExitCode.INVALID.code();
            }
        }
        String verb = dryRun ? "Dry run: would create %d, update %d" : "Created %d, updated %d";
        int refused = notImported.getOrDefault(Draft.Outcome.ERROR, 0);
        o.printf(
                verb + "; %d unchanged, %d kept (edited since import), %d skipped, %d not importable, %d error%s.%s",
                counts.getOrDefault(ImportFiles.Action.CREATE, 0),
                counts.getOrDefault(ImportFiles.Action.UPDATE, 0)
                        + counts.getOrDefault(ImportFiles.Action.OVERWRITE_EDITED, 0),
                counts.getOrDefault(ImportFiles.Action.UNCHANGED, 0),
                counts.getOrDefault(ImportFiles.Action.KEEP_EDITED, 0),
                notImported.getOrDefault(Draft.Outcome.SKIP, 0),
                notImported.getOrDefault(Draft.Outcome.UNSUPPORTED, 0),
                refused,
                refused == 1 ? "" : "s",
                dryRun ? " Nothing written." : "");
        int code = refused > 0 ? ExitCode.INVALID.code() : ExitCode.OK.code();
        if (disableSource) {
            int failed = disableSources(o, err, cli, files, plan);
            if (failed > 0 && code == ExitCode.OK.code()) {
                code = ExitCode.FAILED.code();
            }
        }
        if (!dryRun && !plan.isEmpty()) {
            o.println("Next: ./clawfactory validate " + out + " and ./clawfactory schedules sync --dry-run");
        }
        return code;
    }

    /** The draft of one job; one that an earlier --disable-source disabled in OpenClaw keeps the enabled job it was. */
    private static Draft draft(JobMapper mapper, JsonNode job, Set<String> disabledByUs) {
        String id = JobMapper.text(job, "id");
        if (id == null || !disabledByUs.contains(id) || job.path("enabled").asBoolean(true)) {
            return mapper.map(job);
        }
        ObjectNode copy = ((ObjectNode) job).deepCopy();
        copy.put("enabled", true);
        Draft d = mapper.map(copy);
        return new Draft(
                d.jobId(), d.jobName(), false, d.outcome(), d.reason(), d.notes(), d.summary(), d.definition(), true);
    }

    private int disableSources(
            Report o, Report err, OpenClawCli cli, ImportFiles files, List<ImportFiles.Planned> plan) {
        int failed = 0;
        for (ImportFiles.Planned p : plan) {
            if (!p.draft().enabled()) {
                continue;
            }
            if (p.action() == ImportFiles.Action.KEEP_EDITED) {
                o.printf(
                        "not disabling OpenClaw job %s \"%s\": %s was edited since its import and not rewritten "
                                + "(check it, then: openclaw cron disable -- %s)",
                        p.draft().jobId(),
                        p.draft().jobName(),
                        p.file(),
                        p.draft().jobId());
                continue;
            }
            if (dryRun) {
                o.printf(
                        "would disable OpenClaw job %s \"%s\"",
                        p.draft().jobId(), p.draft().jobName());
                continue;
            }
            String why = cli.disable(p.draft().jobId());
            if (why == null) {
                // Only now does the file say so: a later import then treats the disabled job as the enabled one it was.
                try {
                    files.rewrite(
                            p.file(),
                            ImportFiles.withHash(
                                    p.draft().markedSourceDisabled().render(p.name())));
                } catch (java.io.UncheckedIOException e) {
                    err.printf(
                            "disabled OpenClaw job %s but could not note it in %s (%s): a re-import will see it paused",
                            p.draft().jobId(), p.file(), e.getMessage());
                }
                o.printf(
                        "disabled OpenClaw job %s \"%s\" (now %s)",
                        p.draft().jobId(), p.draft().jobName(), p.file());
            } else {
                failed++;
                err.printf(
                        "could not disable OpenClaw job %s \"%s\": %s; its file %s is written, disable it by hand: "
                                + "openclaw cron disable -- %s",
                        p.draft().jobId(),
                        p.draft().jobName(),
                        why,
                        p.file(),
                        p.draft().jobId());
            }
        }
        return failed;
    }

    private void printPlanned(Report o, ImportFiles.Planned p) {
        String action = switch (p.action()) {
            case CREATE -> "create";
            case UPDATE -> "update";
            case UNCHANGED -> "unchanged";
            case KEEP_EDITED -> "kept";
            case OVERWRITE_EDITED -> "overwrite";
        };
        Draft d = p.draft();
        o.printf(
                "%-11s %-28s job %s \"%s\": %s",
                action, p.file().getFileName(), shortId(d.jobId()), d.jobName(), d.summary());
        if (p.action() == ImportFiles.Action.KEEP_EDITED) {
            o.println("              edited since its import: left as it is (--force overwrites it)");
        }
        for (String n : d.notes()) {
            o.println("              note: " + n);
        }
        if (dryRun && p.writes()) {
            o.println("              --- " + p.file());
            for (String line : p.content().split("\n")) {
                o.println("              | " + line);
            }
        }
    }

    /** The id's first eight characters (a UUID's first group); an id that is not one says so. */
    private static String shortId(String id) {
        if (!JobMapper.JOB_ID.matcher(id).matches()) {
            return "-";
        }
        return id.length() > 8 ? id.substring(0, 8) : id;
    }

    /** Prints whole lines, each through {@link LogText#oneLine}: job data never drives the terminal or adds a line. */
    private record Report(PrintWriter w) {
        void println(Object line) {
            w.println(LogText.oneLine(String.valueOf(line)));
        }

        void printf(String format, Object... args) {
            println(String.format(format, args));
        }
    }
}

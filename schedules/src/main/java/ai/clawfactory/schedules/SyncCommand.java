package ai.clawfactory.schedules;

import ai.clawfactory.core.ExitCode;
import ai.clawfactory.core.Names;
import ai.clawfactory.schedules.Reconciler.Change;
import ai.clawfactory.schedules.Reconciler.Kind;
import io.temporal.client.schedules.ScheduleListDescription;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sync [DIR] [--dry-run]}: makes Temporal's schedules match the definition files. */
@Command(
        name = "sync",
        mixinStandardHelpOptions = true,
        description = {
            "Make Temporal's schedules match the definitions: create what is missing, update what "
                    + "changed, delete what this tool manages and the files no longer declare. Schedules made by hand "
                    + "are left alone. Every file is validated and the server is read before anything is applied.",
            "Exit codes: 0 done (or nothing to do), 1 a change failed (re-run: sync is idempotent), 2 invalid "
                    + "definitions or a conflict (nothing applied), 3 Temporal unreachable (nothing applied)."
        })
final class SyncCommand implements Callable<Integer> {

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "DIR",
            defaultValue = "${env:DEFINITIONS_DIR:-definitions}",
            description = "Folder of *.yaml definitions (default: $DEFINITIONS_DIR or definitions).")
    Path dir;

    @Option(
            names = {"-n", "--dry-run"},
            description = "Show the plan; change nothing.")
    boolean dryRun;

    @Option(
            names = "--task-queue",
            paramLabel = "NAME",
            defaultValue = "${env:TEMPORAL_TASK_QUEUE:-" + Names.TASK_QUEUE + "}",
            description = "Task queue the scheduled runs go to: the worker's (default: $TEMPORAL_TASK_QUEUE or "
                    + Names.TASK_QUEUE + ").")
    String taskQueue;

    @Mixin
    TemporalOptions temporal;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long started = System.nanoTime();
        // Logging set up here first: two threads logging for the first time at once make SLF4J print
        // three lines of its own ("logging calls during the initialization phase ... replayed").
        LoggerFactory.getILoggerFactory();
        // The server is read (connect, the hash attribute, one listing) while the files are read and
        // checked: network waits beside local work; the plan needs both. Files with problems still stop
        // everything (exit 2) and the connection is closed unused.
        CompletableFuture<Server> reading = CompletableFuture.supplyAsync(this::readServer);
        Map<String, DeclaredSchedule> declared;
        try {
            declared = Definitions.schedules(Definitions.load(dir, err), taskQueue);
        } catch (RuntimeException e) {
            reading.thenAccept(s -> s.conn().close());
            throw e;
        }
        Server server = join(reading);
        try (var conn = server.conn()) {
            boolean hashIndexed = server.hashIndexed();
            Reconciler reconciler = new Reconciler(conn, hashIndexed);
            List<Change> plan = reconciler.plan(declared, server.listed());
            List<Change> conflicts =
                    plan.stream().filter(c -> c.kind() == Kind.CONFLICT).toList();
            out.printf(
                    "%s schedules in %s against %s (namespace %s):%n",
                    dryRun ? "Plan for" : "Syncing", dir, conn.address(), conn.namespace());
            if (plan.isEmpty()) {
                out.println("  (no schedules declared, none on the server)");
            }
            for (Change c : plan) {
                out.printf("  %-8s %-32s %s%n", verb(c.kind()), c.id(), c.detail());
            }
            if (!conflicts.isEmpty()) {
                err.printf("%d conflict%s; nothing was applied.%n", conflicts.size(), conflicts.size() == 1 ? "" : "s");
                return ExitCode.INVALID.code();
            }
            Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
            plan.forEach(c -> counts.merge(c.kind(), 1, Integer::sum));
            if (dryRun) {
                out.println(summary(counts, true) + " Dry run: nothing was applied.");
                out.println(cost(conn, started, hashIndexed));
                return ExitCode.OK.code();
            }
            List<Change> changes = plan.stream()
                    .filter(c -> c.kind() == Kind.CREATE || c.kind() == Kind.UPDATE || c.kind() == Kind.DELETE)
                    .toList();
            // Applied Reconciler.PARALLEL at a time; after a failure nothing more is started.
            AtomicBoolean failed = new AtomicBoolean();
            List<RuntimeException> outcomes = Reconciler.inParallel(changes, c -> {
                if (failed.get()) {
                    return SKIPPED;
                }
                try {
                    reconciler.apply(c);
                    return null;
                } catch (RuntimeException e) {
                    failed.set(true);
                    return e;
                }
            });
            List<String> applied = new ArrayList<>();
            Change firstFailed = null;
            RuntimeException failure = null;
            for (int i = 0; i < changes.size(); i++) {
                RuntimeException e = outcomes.get(i);
                if (e == null) {
                    applied.add(
                            verb(changes.get(i).kind()) + " " + changes.get(i).id());
                } else if (e != SKIPPED && failure == null) {
                    firstFailed = changes.get(i);
                    failure = e;
                }
            }
            if (failure != null) {
                if (Failures.isUnavailable(failure)) {
                    throw failure;
                }
                err.printf(
                        "failed to %s %s: %s%n",
                        verb(firstFailed.kind()), firstFailed.id(), Failures.rootMessage(failure));
                err.printf(
                        "Applied before the failure: %s. Fix the cause and run sync again: it only changes "
                                + "what still differs.%n",
                        applied.isEmpty() ? "nothing" : String.join(", ", applied));
                return ExitCode.FAILED.code();
            }
            out.println(summary(counts, false));
            out.println(cost(conn, started, hashIndexed));
            return ExitCode.OK.code();
        }
    }

    /** What the server holds, read once: the connection, whether it has the hash attribute, its schedules. */
    private record Server(
            TemporalOptions.Connection conn, boolean hashIndexed, Map<String, ScheduleListDescription> listed) {}

    private Server readServer() {
        TemporalOptions.Connection conn = temporal.connect();
        try {
            boolean hashIndexed = temporal.keywordRegistered(conn, Names.SEARCH_ATTRIBUTE_SPEC_HASH);
            return new Server(conn, hashIndexed, Reconciler.list(conn));
        } catch (RuntimeException e) {
            conn.close();
            throw e;
        }
    }

    /** The server's reading, its failure rethrown as it was thrown (the exit codes depend on its type). */
    private static Server join(CompletableFuture<Server> reading) {
        try {
            return reading.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** A change not started because another failed first. */
    private static final RuntimeException SKIPPED = new RuntimeException("skipped");

    /**
     * What the sync cost: its calls to the server and its time in this process (reading the files
     * included, since the server is read meanwhile); with the hint that makes it cheaper.
     */
    private static String cost(TemporalOptions.Connection conn, long started, boolean hashIndexed) {
        String line = "%d calls to Temporal, %d ms."
                .formatted(conn.calls().total(), (System.nanoTime() - started) / 1_000_000);
        return hashIndexed
                ? line
                : line + " (The namespace has no " + Names.SEARCH_ATTRIBUTE_SPEC_HASH + " search attribute, so every "
                        + "schedule was described; register it for a faster sync: temporal operator search-attribute "
                        + "create --namespace " + conn.namespace() + " --name " + Names.SEARCH_ATTRIBUTE_SPEC_HASH
                        + " --type Keyword)";
    }

    private static String verb(Kind k) {
        return switch (k) {
            case KEEP -> "ok";
            case LEAVE -> "ignore";
            default -> k.name().toLowerCase(Locale.ROOT);
        };
    }

    private static String summary(Map<Kind, Integer> counts, boolean planned) {
        String s = (planned
                        ? "Would create %d, update %d, delete %d; %d unchanged."
                        : "Created %d, updated %d, deleted %d; %d unchanged.")
                .formatted(
                        counts.getOrDefault(Kind.CREATE, 0),
                        counts.getOrDefault(Kind.UPDATE, 0),
                        counts.getOrDefault(Kind.DELETE, 0),
                        counts.getOrDefault(Kind.KEEP, 0));
        int leave = counts.getOrDefault(Kind.LEAVE, 0);
        return leave == 0
                ? s
                : s + " " + leave + " schedule" + (leave == 1 ? "" : "s") + " not managed here left alone.";
    }
}

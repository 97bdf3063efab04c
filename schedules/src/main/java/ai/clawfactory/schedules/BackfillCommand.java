package ai.clawfactory.schedules;

import ai.clawfactory.core.ExitCode;
import ai.clawfactory.core.Names;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.schedules.ScheduleBackfill;
import io.temporal.client.schedules.ScheduleDescription;
import java.io.PrintWriter;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code backfill ID --from T --to T}: run the actions a time range would have run. */
@Command(
        name = "backfill",
        mixinStandardHelpOptions = true,
        description = {
            "Start the runs the schedule would have started in a past time range (e.g. after downtime "
                    + "longer than the catch-up window). Times are ISO-8601: 2026-11-01T04:00Z, 2026-11-01T04:00+01:00, "
                    + "or local to the schedule's timezone: 2026-11-01T04:00, 2026-11-01 (midnight).",
            "Exit codes: 0 requested, 1 failed, 2 bad range (nothing started), 3 Temporal unreachable, 4 no such schedule."
        })
final class BackfillCommand implements Callable<Integer> {

    private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Map<String, String> MACROS = Map.of(
            "@yearly",
            "0 0 1 1 *",
            "@annually",
            "0 0 1 1 *",
            "@monthly",
            "0 0 1 * *",
            "@weekly",
            "0 0 * * 0",
            "@daily",
            "0 0 * * *",
            "@midnight",
            "0 0 * * *",
            "@hourly",
            "0 * * * *");

    @Parameters(index = "0", paramLabel = "ID", description = "Schedule id.")
    String id;

    @Option(names = "--from", required = true, paramLabel = "TIME", description = "Start of the range (inclusive).")
    String from;

    @Option(names = "--to", required = true, paramLabel = "TIME", description = "End of the range (inclusive).")
    String to;

    @Option(
            names = "--overlap",
            paramLabel = "POLICY",
            converter = OverlapConverter.class,
            defaultValue = "allowAll",
            description =
                    "Overlap policy for the backfilled runs (default: ${DEFAULT-VALUE}: every run starts at once; "
                            + "bufferAll runs them one after another).")
    ScheduleOverlapPolicy overlap;

    @Option(
            names = "--max-runs",
            paramLabel = "N",
            defaultValue = "100",
            description = "Refuse a range that would start more runs than this (default: ${DEFAULT-VALUE}).")
    int maxRuns;

    @Option(
            names = "--wait",
            paramLabel = "SECONDS",
            defaultValue = "10",
            description = "How long to wait to see the runs start (default: ${DEFAULT-VALUE}).")
    int waitSeconds;

    @Mixin
    TemporalOptions temporal;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        try (var conn = temporal.connect()) {
            ScheduleDescription d = ScheduleLookup.require(conn, id);
            ZoneId zone = Display.zone(d.getSchedule().getSpec());
            Instant start = parse(from, zone, "--from");
            Instant end = parse(to, zone, "--to");
            if (!start.isBefore(end)) {
                throw new UserException(
                        ExitCode.INVALID.code(),
                        "--from (" + Display.time(start, zone) + ") must be before --to (" + Display.time(end, zone)
                                + "); nothing started.");
            }
            if (end.isAfter(Instant.now())) {
                throw new UserException(
                        ExitCode.INVALID.code(),
                        "--to (" + Display.time(end, zone) + ") is in the "
                                + "future; a backfill covers the past (use trigger to start a run now). Nothing started.");
            }
            OptionalLong expected = expectedRuns(d, start, end, zone);
            if (expected.isPresent() && expected.getAsLong() > maxRuns) {
                throw new UserException(
                        ExitCode.INVALID.code(),
                        "That range would start " + expected.getAsLong() + " runs, more than --max-runs " + maxRuns
                                + ". Narrow the range or raise --max-runs. Nothing started.");
            }
            long before = d.getInfo().getNumActions();
            var handle = conn.schedules().getHandle(id);
            handle.backfill(List.of(new ScheduleBackfill(start, end, overlap)));
            out.printf(
                    "Backfill of %s from %s to %s requested (overlap %s)%s.%n",
                    id,
                    Display.time(start, zone),
                    Display.time(end, zone),
                    DeclaredSchedule.overlapName(overlap),
                    expected.isPresent()
                            ? "; expecting " + expected.getAsLong() + " run" + (expected.getAsLong() == 1 ? "" : "s")
                            : "");
            long started = 0;
            long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
            while (System.nanoTime() < deadline) {
                started = handle.describe().getInfo().getNumActions() - before;
                if (expected.isPresent() && started >= expected.getAsLong()) {
                    break;
                }
                Thread.sleep(250);
            }
            out.printf(
                    "%d run%s started so far; `schedules describe %s` lists them.%n",
                    started, started == 1 ? "" : "s", id);
            return ExitCode.OK.code();
        }
    }

    /** Accepts an instant with offset, a local date-time or a date (both in the schedule's zone). */
    static Instant parse(String text, ZoneId zone, String option) {
        String t = text.trim();
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeException ignored) {
            // try the next form
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeException ignored) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(t).atZone(zone).toInstant();
        } catch (DateTimeException ignored) {
            // try the next form
        }
        try {
            return LocalDate.parse(t).atStartOfDay(zone).toInstant();
        } catch (DateTimeException e) {
            throw new UserException(
                    ExitCode.INVALID.code(),
                    option + " '" + text + "' is not a time: use e.g. " + "2026-11-01T04:00Z, 2026-11-01T04:00 (in "
                            + zone + ") or 2026-11-01. Nothing started.");
        }
    }

    /** How many runs the range holds, for specs we can count (our cron and interval forms). */
    static OptionalLong expectedRuns(ScheduleDescription d, Instant start, Instant end, ZoneId zone) {
        Map<String, String> declared = DeclaredSchedule.parseSpecText(Reconciler.actionMemo(d, Names.MEMO_SPEC));
        boolean managed = Names.MANAGED_BY_VALUE.equals(Reconciler.memo(d, Names.MEMO_MANAGED_BY));
        long count = 0;
        if (managed && declared.containsKey("cron")) {
            for (String expr : declared.get("cron").split(" \\| ")) {
                ExecutionTime times = ExecutionTime.forCron(CRON.parse(MACROS.getOrDefault(expr.trim(), expr.trim())));
                ZonedDateTime at = start.atZone(zone).minusSeconds(1);
                for (int guard = 0; guard < 100_000; guard++) {
                    Optional<ZonedDateTime> next = times.nextExecution(at);
                    if (next.isEmpty() || next.get().toInstant().isAfter(end)) {
                        break;
                    }
                    count++;
                    at = next.get();
                }
            }
            return OptionalLong.of(count);
        }
        var intervals = d.getSchedule().getSpec().getIntervals();
        var calendars = d.getSchedule().getSpec().getCalendars();
        if (intervals != null && !intervals.isEmpty() && (calendars == null || calendars.isEmpty())) {
            for (var i : intervals) {
                long every = i.getEvery().toMillis();
                long offset = i.getOffset() == null ? 0 : i.getOffset().toMillis();
                long first = Math.floorDiv(start.toEpochMilli() - offset + every - 1, every);
                long last = Math.floorDiv(end.toEpochMilli() - offset, every);
                count += Math.max(0, last - first + 1);
            }
            return OptionalLong.of(count);
        }
        return OptionalLong.empty();
    }
}

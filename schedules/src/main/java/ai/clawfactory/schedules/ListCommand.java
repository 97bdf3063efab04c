package ai.clawfactory.schedules;

import ai.clawfactory.core.ExitCode;
import ai.clawfactory.core.Names;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleListDescription;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code list}: every schedule with its spec, timezone, next runs, pause state and last result. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = {
            "List the schedules: id, spec, timezone, next runs, paused, last result, and whether "
                    + "clawfactory manages it.",
            "Exit codes: 0 listed, 1 failed, 3 Temporal unreachable."
        })
final class ListCommand implements Callable<Integer> {

    @Option(
            names = "--next",
            paramLabel = "N",
            defaultValue = "2",
            description = "How many next runs to show (default: ${DEFAULT-VALUE}).")
    int next;

    @Option(names = "--managed", description = "Only schedules managed by clawfactory-schedules.")
    boolean managedOnly;

    @Mixin
    TemporalOptions temporal;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (var conn = temporal.connect()) {
            Reconciler reader = new Reconciler(conn);
            List<String> ids = conn.schedules()
                    .listSchedules(100)
                    .map(ScheduleListDescription::getScheduleId)
                    .sorted(Comparator.naturalOrder())
                    .collect(Collectors.toList());
            String format = "%-30s %-24s %-16s %-36s %-6s %-22s %-22s %s%n";
            out.printf(
                    format,
                    "ID",
                    "SPEC",
                    "TIMEZONE",
                    "NEXT RUNS",
                    "PAUSED",
                    "LAST RESULT",
                    "SKIPPED/MISSED",
                    "MANAGED");
            int shown = 0;
            for (String id : ids) {
                // Describe each: the list comes from visibility, which may lag a moment behind a change.
                Optional<ScheduleDescription> d = reader.describe(id);
                if (d.isEmpty()) {
                    continue;
                }
                ScheduleDescription s = d.get();
                boolean managed = Names.MANAGED_BY_VALUE.equals(Reconciler.memo(s, Names.MEMO_MANAGED_BY));
                if (managedOnly && !managed) {
                    continue;
                }
                ZoneId zone = Display.zone(s.getSchedule().getSpec());
                String nextRuns = s.getInfo().getNextActionTimes().stream()
                        .limit(Math.max(next, 0))
                        .map(t -> Display.time(t, zone).substring(0, 16))
                        .collect(Collectors.joining(", "));
                List<ScheduleActionResult> recent = s.getInfo().getRecentActions();
                String last = recent.isEmpty()
                        ? "never ran"
                        : Display.runStatus(conn, recent.get(recent.size() - 1)) + " "
                                + Display.time(recent.get(recent.size() - 1).getScheduledAt(), zone)
                                        .substring(5, 16);
                out.printf(
                        format,
                        id,
                        Display.spec(s.getSchedule().getSpec()),
                        Display.timezone(s.getSchedule().getSpec()),
                        nextRuns.isEmpty() ? "-" : nextRuns,
                        s.getSchedule().getState().isPaused() ? "yes" : "no",
                        last,
                        Display.skipped(
                                s.getInfo().getNumActionsSkippedOverlap(),
                                s.getInfo().getNumActionsMissedCatchupWindow()),
                        managed ? "yes" : "no (hand-made)");
                shown++;
            }
            if (shown == 0) {
                out.println("(no schedules" + (managedOnly ? " managed by clawfactory" : "")
                        + "; `sync` creates the declared ones)");
            }
            return ExitCode.OK.code();
        }
    }
}

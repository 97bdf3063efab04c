package ai.clawfactory.schedules;

import ai.clawfactory.core.ExitCode;
import ai.clawfactory.core.Names;
import ai.clawfactory.core.definition.Durations;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleState;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code describe ID}: everything about one schedule. */
@Command(
        name = "describe",
        mixinStandardHelpOptions = true,
        description = {
            "Show one schedule: what it starts, when, its policies, state, recent runs and next runs.",
            "Exit codes: 0 shown, 1 failed, 3 Temporal unreachable, 4 no such schedule."
        })
final class DescribeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID", description = "Schedule id.")
    String id;

    @Mixin
    TemporalOptions temporal;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (var conn = temporal.connect()) {
            ScheduleDescription d = ScheduleLookup.require(conn, id);
            ZoneId zone = Display.zone(d.getSchedule().getSpec());
            String managedBy = Reconciler.memo(d, Names.MEMO_MANAGED_BY);
            out.printf("Schedule        %s%n", id);
            out.printf(
                    "Managed         %s%n",
                    Names.MANAGED_BY_VALUE.equals(managedBy)
                            ? "yes, declared in " + Reconciler.actionMemo(d, Names.MEMO_SOURCE) + " (spec hash "
                                    + Reconciler.actionMemo(d, Names.MEMO_SPEC_HASH) + ")"
                            : "no (made by hand; sync leaves it alone)");
            if (d.getSchedule().getAction() instanceof ScheduleActionStartWorkflow a) {
                out.printf(
                        "Starts          %s on task queue %s, workflow id %s-<time>%n",
                        a.getWorkflowType(),
                        a.getOptions().getTaskQueue(),
                        a.getOptions().getWorkflowId());
                if (a.getArguments() != null && a.getArguments().getSize() > 0) {
                    out.printf("Input           %s%n", a.getArguments().get(0, Object.class));
                }
            }
            out.printf("When            %s%n", Display.spec(d.getSchedule().getSpec()));
            out.printf("Timezone        %s%n", Display.timezone(d.getSchedule().getSpec()));
            if (d.getSchedule().getSpec().getJitter() != null
                    && !d.getSchedule().getSpec().getJitter().isZero()) {
                out.printf(
                        "Jitter          %s%n",
                        Durations.format(d.getSchedule().getSpec().getJitter()));
            }
            SchedulePolicy p = d.getSchedule().getPolicy();
            out.printf("Overlap         %s%n", DeclaredSchedule.overlapName(p.getOverlap()));
            out.printf(
                    "Catch-up window %s%n",
                    p.getCatchupWindow() == null ? "server default" : Durations.format(p.getCatchupWindow()));
            out.printf("Pause on fail   %s%n", p.isPauseOnFailure() ? "yes" : "no");
            ScheduleState st = d.getSchedule().getState();
            out.printf("Paused          %s%n", st.isPaused() ? "yes" : "no");
            out.printf(
                    "Note            %s%n", st.getNote() == null || st.getNote().isEmpty() ? "-" : st.getNote());
            out.printf("Created         %s%n", Display.time(d.getInfo().getCreatedAt(), zone));
            Instant updated = d.getInfo().getLastUpdatedAt();
            out.printf("Last updated    %s%n", updated == null ? "never" : Display.time(updated, zone));
            out.printf(
                    "Actions         %d taken, %d skipped (overlap), %d missed (catch-up window), %d running%n",
                    d.getInfo().getNumActions(),
                    d.getInfo().getNumActionsSkippedOverlap(),
                    d.getInfo().getNumActionsMissedCatchupWindow(),
                    d.getInfo().getRunningActions().size());
            List<ScheduleActionResult> recent = d.getInfo().getRecentActions();
            out.println("Recent runs" + (recent.isEmpty() ? "     none" : ":"));
            for (ScheduleActionResult r : recent) {
                out.printf(
                        "  %s  %-10s %s%n",
                        Display.time(r.getScheduledAt(), zone),
                        Display.runStatus(conn, r),
                        Display.workflowId(r.getAction()));
            }
            List<Instant> next = d.getInfo().getNextActionTimes();
            out.println("Next runs" + (next.isEmpty() ? "       none" + (st.isPaused() ? " (paused)" : "") : ":"));
            next.stream().limit(5).forEach(t -> out.printf("  %s%n", Display.time(t, zone)));
            return ExitCode.OK.code();
        }
    }
}

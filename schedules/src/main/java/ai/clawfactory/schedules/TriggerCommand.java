package ai.clawfactory.schedules;

import ai.clawfactory.core.ExitCode;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleDescription;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code trigger ID}: start the schedule's action now. */
@Command(
        name = "trigger",
        mixinStandardHelpOptions = true,
        description = {
            "Start the schedule's workflow now (once), and say which run it started.",
            "Exit codes: 0 started, 1 failed or skipped by the overlap policy, 3 Temporal unreachable, "
                    + "4 no such schedule."
        })
final class TriggerCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID", description = "Schedule id.")
    String id;

    @Option(
            names = "--overlap",
            paramLabel = "POLICY",
            converter = OverlapConverter.class,
            description = "Overlap policy for this run (skip, bufferOne, bufferAll, cancelOther, terminateOther, "
                    + "allowAll; default: the schedule's own).")
    ScheduleOverlapPolicy overlap;

    @Option(
            names = "--wait",
            paramLabel = "SECONDS",
            defaultValue = "10",
            description = "How long to wait to see the run start (default: ${DEFAULT-VALUE}).")
    int waitSeconds;

    @Mixin
    TemporalOptions temporal;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (var conn = temporal.connect()) {
            ScheduleDescription before = ScheduleLookup.require(conn, id);
            long actions = before.getInfo().getNumActions();
            long skipped = before.getInfo().getNumActionsSkippedOverlap();
            var handle = conn.schedules().getHandle(id);
            if (overlap == null) {
                handle.trigger();
            } else {
                handle.trigger(overlap);
            }
            long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
            while (System.nanoTime() < deadline) {
                ScheduleDescription now = handle.describe();
                if (now.getInfo().getNumActions() > actions) {
                    List<ScheduleActionResult> recent = now.getInfo().getRecentActions();
                    ScheduleActionResult last = recent.get(recent.size() - 1);
                    out.printf("Triggered %s: started %s%n", id, Display.workflowId(last.getAction()));
                    return ExitCode.OK.code();
                }
                if (now.getInfo().getNumActionsSkippedOverlap() > skipped) {
                    err.printf(
                            "Triggered %s, but the run was skipped: one is still running and the overlap policy "
                                    + "is %s. Use --overlap allowAll (or bufferOne) to start one anyway.%n",
                            id,
                            DeclaredSchedule.overlapName(
                                    overlap != null
                                            ? overlap
                                            : now.getSchedule().getPolicy().getOverlap()));
                    return ExitCode.FAILED.code();
                }
                Thread.sleep(200);
            }
            out.printf(
                    "Triggered %s; the run had not shown up after %d s (the server may be busy). "
                            + "Check with: schedules describe %s%n",
                    id, waitSeconds, id);
            return ExitCode.OK.code();
        }
    }
}

package ai.clawfactory.schedules;

import ai.clawfactory.core.ExitCode;
import ai.clawfactory.core.Names;
import ai.clawfactory.core.approval.Channels;
import ai.clawfactory.core.approval.Decision;
import ai.clawfactory.core.approval.DecisionResult;
import ai.clawfactory.core.approval.RefusalOf;
import ai.clawfactory.core.approval.Refusals;
import ai.clawfactory.core.logging.LogText;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code approve RUN_ID [--step S] [--reject] [--note TEXT]}: decides a pending {@code approval}
 * step through the run's {@code decide} Update, as channel {@code cli} and the OS user. The run
 * answers at once: the decision counted, or why not (one line, an exit code).
 */
@Command(
        name = "approve",
        mixinStandardHelpOptions = true,
        description = {
            "Approve (or with --reject, reject) a run's pending approval step. The run answers at once whether "
                    + "the decision counted; it is recorded with your user name, channel cli and the note.",
            "Exit codes: 0 counted, 1 failed, 2 refused (already decided, timed out, several pending, channel not "
                    + "allowed, bad note, run ended), 3 Temporal unreachable, 4 no such run or approval."
        })
final class ApproveCommand implements Callable<Integer> {

    /** Refusals that mean "nothing of that name": exit 4; every other refusal is exit 2. */
    private static final Set<String> NOT_FOUND = Set.of(Refusals.NO_SUCH_APPROVAL);

    @Parameters(index = "0", paramLabel = "RUN_ID", description = "Run id of the waiting run (the UI shows it).")
    String runId;

    @Option(
            names = "--step",
            paramLabel = "S",
            description = "The approval step to decide; needed only when several are pending.")
    String step;

    @Option(names = "--reject", description = "Reject instead of approve: the step fails.")
    boolean reject;

    @Option(names = "--note", paramLabel = "TEXT", description = "A note kept with the decision (at most 2 KiB).")
    String note;

    @Option(
            names = "--workflow-id",
            paramLabel = "ID",
            description = "The run's workflow id, where the run id alone is not found (a namespace without "
                    + "visibility for it).")
    String workflowId;

    @Mixin
    TemporalOptions temporal;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!RerunCommand.RUN_ID.matcher(runId).matches()) {
            throw new UserException(
                    ExitCode.INVALID.code(),
                    "'" + LogText.oneLine(runId) + "' is not a run id (letters, digits and '-', as the UI shows it).");
        }
        try (var conn = temporal.connect()) {
            WorkflowExecutionMetadata run = RerunCommand.find(conn, runId, workflowId);
            WorkflowExecution execution = run.getExecution();
            String which = LogText.oneLine(execution.getWorkflowId()) + " run " + execution.getRunId();
            Decision decision = new Decision(step, !reject, note, Channels.CLI, System.getProperty("user.name"));
            DecisionResult r;
            try {
                r = conn.workflows()
                        .newUntypedWorkflowStub(
                                execution.getWorkflowId(), Optional.of(execution.getRunId()), Optional.empty())
                        .update(Names.UPDATE_DECIDE, DecisionResult.class, decision);
            } catch (WorkflowUpdateException e) {
                ApplicationFailure refusal = RefusalOf.in(e);
                if (refusal == null) {
                    throw new UserException(
                            ExitCode.FAILED.code(),
                            "The decision did not count: " + LogText.oneLine(Failures.rootMessage(e)) + ".");
                }
                throw new UserException(
                        NOT_FOUND.contains(refusal.getType()) ? ExitCode.NOT_FOUND.code() : ExitCode.INVALID.code(),
                        "Refused (" + refusal.getType() + "): " + LogText.oneLine(refusal.getOriginalMessage()) + ".");
            } catch (WorkflowNotFoundException e) {
                throw new UserException(
                        ExitCode.INVALID.code(),
                        "Refused: " + which + " has ended; nothing is waiting for a decision.");
            }
            out.printf(
                    "%s step %s of %s (by %s via %s)%n",
                    "approved".equals(r.decision()) ? "Approved" : "Rejected",
                    LogText.oneLine(r.step()),
                    which,
                    LogText.oneLine(r.who()),
                    r.channel());
            return ExitCode.OK.code();
        }
    }
}

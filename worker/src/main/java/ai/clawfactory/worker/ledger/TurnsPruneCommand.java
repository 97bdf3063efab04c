package ai.clawfactory.worker.ledger;

import ai.clawfactory.core.ExitCode;
import ai.clawfactory.core.definition.DefinitionException;
import ai.clawfactory.core.definition.Durations;
import io.micronaut.context.ApplicationContext;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code clawfactory turns prune [--older-than 30d] [--dry-run]}: deletes ledger attempts that
 * started longer ago than the retention (LEDGER_RETENTION, default 30d), in short batches.
 * Run daily by clawfactory-ledger-prune.timer; safe to run on several hosts sharing one database.
 */
@Command(
        name = "prune",
        mixinStandardHelpOptions = true,
        description = "Delete turn attempts older than the retention (default: LEDGER_RETENTION, 30d).")
final class TurnsPruneCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    @Option(
            names = "--older-than",
            paramLabel = "DURATION",
            description = "Delete attempts that started longer ago than this (e.g. 30d, 12h; at least 1d).")
    String olderThan;

    @Option(
            names = {"-n", "--dry-run"},
            description = "Count what would be deleted; delete nothing.")
    boolean dryRun;

    @Option(
            names = "--ledger",
            paramLabel = "FILE",
            description = "The SQLite ledger file (default: LEDGER_DB, as the worker uses it).")
    Path ledger;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Duration age = null;
        if (olderThan != null) {
            try {
                age = Durations.parse(olderThan);
            } catch (DefinitionException | IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--older-than: " + e.getMessage());
            }
        }
        TurnsCommand.Target target = TurnsCommand.Target.resolve(ledger, !dryRun, err);
        if (target == null) {
            return ExitCode.FAILED.code();
        }
        try (ApplicationContext ctx = ApplicationContext.builder()
                .properties(target.props())
                .deduceEnvironment(false)
                .start()) {
            LedgerUpkeep upkeep = ctx.getBean(LedgerUpkeep.class);
            Duration effective = age != null ? age : upkeep.retention();
            Instant cutoff;
            try {
                cutoff = upkeep.cutoff(effective);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            String when =
                    "started before " + TIME.format(cutoff) + " UTC (older than " + Durations.format(effective) + ")";
            if (dryRun) {
                out.println("Would delete " + upkeep.countOlderThan(effective) + " attempt(s) " + when + " from "
                        + TerminalText.line(target.where()) + ".");
            } else {
                out.println("Deleted " + upkeep.prune(effective) + " attempt(s) " + when + " from "
                        + TerminalText.line(target.where()) + ".");
            }
            out.flush();
            return ExitCode.OK.code();
        } catch (CommandLine.ParameterException e) {
            throw e;
        } catch (RuntimeException e) {
            err.println("Cannot prune the turn ledger at " + TerminalText.line(target.where()) + ": "
                    + (LedgerFaults.isLedgerFault(e)
                            ? LedgerFaults.describe(e)
                            : TerminalText.line(TurnsCommand.rootMessage(e))));
            err.flush();
            return ExitCode.FAILED.code();
        }
    }
}

package ai.clawfactory.schedules;

import ai.clawfactory.core.ExitCode;
import ai.clawfactory.core.Names;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code delete ID [--force]}. */
@Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        description = {
            "Delete a schedule (runs it already started keep going). A schedule still declared in a "
                    + "file comes back at the next sync: remove it from the file to delete it for good.",
            "Exit codes: 0 deleted, 1 failed, 2 refused (not managed here; use --force), 3 Temporal unreachable, "
                    + "4 no such schedule."
        })
final class DeleteCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID", description = "Schedule id.")
    String id;

    @Option(names = "--force", description = "Also delete a schedule that clawfactory does not manage (made by hand).")
    boolean force;

    @Mixin
    TemporalOptions temporal;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try (var conn = temporal.connect()) {
            var d = ScheduleLookup.require(conn, id);
            boolean managed = Names.MANAGED_BY_VALUE.equals(Reconciler.memo(d, Names.MEMO_MANAGED_BY));
            if (!managed && !force) {
                throw new UserException(
                        ExitCode.INVALID.code(),
                        "Schedule " + id + " was not made by "
                                + "clawfactory-schedules (made by hand?); nothing deleted. Pass --force to delete it anyway.");
            }
            conn.schedules().getHandle(id).delete();
            var out = spec.commandLine().getOut();
            out.printf("Deleted %s.%n", id);
            if (managed) {
                out.printf(
                        "If %s still declares it, the next sync creates it again.%n",
                        Reconciler.actionMemo(d, Names.MEMO_SOURCE));
            }
            return ExitCode.OK.code();
        }
    }
}

package ai.clawfactory.schedules;

import ai.clawfactory.core.ExitCode;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code clawfactory-schedules}: validates definitions and keeps Temporal Schedules in line with
 * them. Exit codes: 0 done, 1 failed, 2 invalid input, usage or conflict (nothing applied),
 * 3 Temporal unreachable (nothing applied), 4 no such schedule.
 */
@Command(
        name = "clawfactory-schedules",
        mixinStandardHelpOptions = true,
        version = "clawfactory-schedules 0.1.0",
        description = "Workflow definitions and Temporal Schedules as code.",
        footer = {
            "",
            "Exit codes: 0 done, 1 failed, 2 invalid input or conflict (nothing applied), "
                    + "3 Temporal unreachable (nothing applied), 4 no such schedule.",
            "Environment: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, DEFINITIONS_DIR, SCHEDULES_DEFAULT_TIMEZONE."
        },
        subcommands = {
            ValidateCommand.class,
            GraphCommand.class,
            SyncCommand.class,
            ListCommand.class,
            DescribeCommand.class,
            TriggerCommand.class,
            PauseCommand.Pause.class,
            PauseCommand.Unpause.class,
            BackfillCommand.class,
            DeleteCommand.class,
            RerunCommand.class,
            ApproveCommand.class,
            ai.clawfactory.schedules.importer.ImportCommand.class
        })
public final class SchedulesCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with our exit-code conventions. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SchedulesCommand());
        cl.getCommandSpec().exitCodeOnInvalidInput(ExitCode.INVALID.code());
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            int code;
            String message;
            if (e instanceof UserException u) {
                code = u.exitCode();
                message = u.getMessage();
            } else if (e instanceof TemporalUnreachableException) {
                code = ExitCode.UNREACHABLE.code();
                message = e.getMessage();
            } else if (Failures.isUnavailable(e)) {
                code = ExitCode.UNREACHABLE.code();
                message = "Lost the Temporal server mid-way (" + Failures.rootMessage(e) + "). Run the command again "
                        + "once it is back; sync only changes what still differs.";
            } else if (Failures.isNotFound(e)) {
                code = ExitCode.NOT_FOUND.code();
                message = "Not found: " + Failures.rootMessage(e);
            } else {
                code = ExitCode.FAILED.code();
                message = "Failed: " + Failures.rootMessage(e);
                if (System.getenv("CLAWFACTORY_DEBUG") != null) {
                    e.printStackTrace(line.getErr());
                }
            }
            line.getErr().println(message);
            return code;
        });
        return cl;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "Missing command: choose one of "
                        + String.join(", ", spec.subcommands().keySet()));
    }
}

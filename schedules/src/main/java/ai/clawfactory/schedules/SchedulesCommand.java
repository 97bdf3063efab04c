package ai.clawfactory.schedules;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code clawfactory-schedules}: validates definitions and keeps Temporal Schedules in line with
 * them. Exit codes: 0 done, 1 failed (e.g. Temporal unreachable), 2 invalid input or usage.
 */
@Command(name = "clawfactory-schedules", mixinStandardHelpOptions = true, version = "clawfactory-schedules 0.1.0",
        description = "Workflow definitions and Temporal Schedules as code.",
        subcommands = {ValidateCommand.class})
public final class SchedulesCommand implements Runnable {

    /** Exit code: Temporal could not be reached or refused the change. */
    public static final int EXIT_FAILED = 1;
    /** Exit code: invalid definitions, arguments or usage. */
    public static final int EXIT_INVALID = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with our exit-code conventions. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SchedulesCommand());
        cl.setExitCodeExceptionMapper(e -> EXIT_FAILED);
        cl.getCommandSpec().exitCodeOnInvalidInput(EXIT_INVALID);
        return cl;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}

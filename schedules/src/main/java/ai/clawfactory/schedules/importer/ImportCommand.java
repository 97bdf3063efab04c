package ai.clawfactory.schedules.importer;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code import <source>}: turns another scheduler's jobs into definition files. */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = "Import jobs from another scheduler as definition files.",
        subcommands = {OpenClawImportCommand.class})
public final class ImportCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "Missing source: choose one of "
                        + String.join(", ", spec.subcommands().keySet()));
    }
}

package ai.clawfactory.schedules;

import ai.clawfactory.core.ExitCode;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pause ID --note TEXT} and {@code unpause ID --note TEXT}. */
final class PauseCommand {

    private PauseCommand() {}

    abstract static class Base implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ID", description = "Schedule id.")
        String id;

        @Option(names = "--note", paramLabel = "TEXT", description = "Why (shown in the UI and by describe).")
        String note;

        @Mixin
        TemporalOptions temporal;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        abstract boolean pause();

        @Override
        public Integer call() {
            try (var conn = temporal.connect()) {
                var before = ScheduleLookup.require(conn, id);
                String text = note != null
                        ? note
                        : (pause() ? "Paused" : "Unpaused") + " with clawfactory-schedules by "
                                + System.getProperty("user.name", "someone");
                var handle = conn.schedules().getHandle(id);
                if (pause()) {
                    handle.pause(text);
                } else {
                    handle.unpause(text);
                }
                var after = handle.describe();
                boolean was = before.getSchedule().getState().isPaused();
                spec.commandLine()
                        .getOut()
                        .printf(
                                "%s %s%s. Note: %s%n",
                                pause() ? "Paused" : "Unpaused",
                                id,
                                was == pause() ? " (it already was)" : "",
                                after.getSchedule().getState().getNote());
                if (after.getSchedule().getState().isPaused() != pause()) {
                    throw new UserException(
                            ExitCode.FAILED.code(),
                            "The server still reports " + id + " as "
                                    + (after.getSchedule().getState().isPaused() ? "paused" : "running") + ".");
                }
                return ExitCode.OK.code();
            }
        }
    }

    @Command(
            name = "pause",
            mixinStandardHelpOptions = true,
            description = {
                "Pause a schedule: no runs start until it is unpaused. Sync keeps a pause unless the "
                        + "file's own `paused` changes.",
                "Exit codes: 0 paused, 1 failed, 3 Temporal unreachable, 4 no such schedule."
            })
    static final class Pause extends Base {
        @Override
        boolean pause() {
            return true;
        }
    }

    @Command(
            name = "unpause",
            mixinStandardHelpOptions = true,
            description = {
                "Unpause a schedule.",
                "Exit codes: 0 unpaused, 1 failed, 3 Temporal unreachable, 4 no such schedule."
            })
    static final class Unpause extends Base {
        @Override
        boolean pause() {
            return false;
        }
    }
}

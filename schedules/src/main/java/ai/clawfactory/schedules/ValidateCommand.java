package ai.clawfactory.schedules;

import ai.clawfactory.core.ExitCode;
import ai.clawfactory.core.definition.AlertAction;
import ai.clawfactory.core.definition.AlertsDefinition;
import ai.clawfactory.core.definition.DefinitionException;
import ai.clawfactory.core.definition.DefinitionLoader;
import ai.clawfactory.core.definition.Describe;
import ai.clawfactory.core.definition.Durations;
import ai.clawfactory.core.definition.Problem;
import ai.clawfactory.core.definition.ScheduleDefinition;
import ai.clawfactory.core.definition.StepDefinition;
import ai.clawfactory.core.definition.WorkflowDefinition;
import ai.clawfactory.core.logging.LogText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code validate [dir]}: checks every definition file; lists each problem with file, line and path. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = "Check the workflow definitions in a folder. Exits 2 if any file has a problem.")
final class ValidateCommand implements Callable<Integer> {

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "DIR",
            defaultValue = "${env:DEFINITIONS_DIR:-definitions}",
            description = "Folder of *.yaml definitions (default: $DEFINITIONS_DIR or definitions).")
    Path dir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        // Every line through LogText.oneLine: a file's text (a turn's name an import took from a
        // cron job) may hold escape sequences or line breaks once read.
        Lines out = new Lines(spec.commandLine().getOut());
        Lines err = new Lines(spec.commandLine().getErr());
        Map<String, WorkflowDefinition> defs;
        DefinitionLoader.DefinitionSet set;
        try {
            set = DefinitionLoader.fromEnvironment().loadAll(dir);
            defs = set.workflows();
        } catch (DefinitionException e) {
            for (Problem p : e.problems()) {
                err.println(p.toString());
            }
            err.printf(
                    "%d problem%s; fix them and run validate again.%n",
                    e.problems().size(), e.problems().size() == 1 ? "" : "s");
            return ExitCode.INVALID.code();
        }
        if (defs.isEmpty()) {
            out.println("No definitions in " + dir + " (nothing to check).");
            return ExitCode.OK.code();
        }
        for (WorkflowDefinition d : defs.values()) {
            out.printf("ok  %-32s %s (version %s)%n", d.name(), d.source(), d.version());
            for (StepDefinition s : d.steps()) {
                out.printf("      %-14s %s%s%n", s.id(), describe(s), s.when() == null ? "" : "  when " + s.when());
            }
            if (d.schedule() != null) {
                out.printf(
                        "      schedule %s: %s %s%s%n",
                        d.schedule().id(),
                        when(d.schedule()),
                        d.schedule().timezone(),
                        d.schedule().alertOnSkip() ? ", alerts on skipped fires" : "");
            }
            if (d.alerts() != null) {
                out.printf("      alerts   %s%n", alerts(d.alerts()));
            }
        }
        for (ScheduleDefinition s : set.schedules()) {
            if (defs.get(s.workflow()).schedule() != s) {
                out.printf(
                        "ok  schedule %-23s %s: starts %s, %s %s%n",
                        s.id(), s.source(), s.workflow(), when(s), s.timezone());
            }
        }
        out.printf("%d definition%s valid.%n", defs.size(), defs.size() == 1 ? "" : "s");
        return ExitCode.OK.code();
    }

    /** One line: when an alert goes out and where to. */
    static String alerts(AlertsDefinition a) {
        if (a.onFailure() == null && a.onRecovery() == null) {
            return "off (not even the worker's defaults)";
        }
        return (a.onFailure() == null
                        ? "no alert"
                        : "after " + a.after() + " failed run(s), at most one per " + Durations.format(a.cooldown())
                                + ", " + action(a.onFailure()))
                + (a.onRecovery() == null ? "" : "; recovery notice " + action(a.onRecovery()));
    }

    private static String action(AlertAction a) {
        if (a.agentTurn() != null) {
            return "agentTurn"
                    + (a.agentTurn().channel() == null
                            ? ""
                            : " to " + a.agentTurn().channel() + " "
                                    + a.agentTurn().to());
        }
        return "http " + a.http().method() + " " + a.http().url();
    }

    private static String when(ScheduleDefinition s) {
        if (s.oneShot()) {
            return "once at " + s.at();
        }
        return s.cron().isEmpty() ? "every " + Durations.format(s.interval()) : String.join(" | ", s.cron());
    }

    private static String describe(StepDefinition s) {
        if (s.waitFor() != null) {
            return s.waitFor().duration() != null
                    ? "wait " + Durations.format(s.waitFor().duration())
                    : "wait until " + s.waitFor().until() + " " + s.waitFor().timezone();
        }
        if (s.agentTurn() != null) {
            String who = s.agentTurn().name() != null
                    ? s.agentTurn().name()
                    : s.agentTurn().agentId();
            return "agentTurn " + (who == null ? "" : who) + " (timeout " + Durations.format(s.timeout()) + ", "
                    + s.retry().maximumAttempts() + " attempts)";
        }
        if (s.wake() != null) {
            return "wake the main session ("
                    + (s.wake().mode() == null ? "now" : s.wake().mode()) + ")";
        }
        if (s.command() != null) {
            return Describe.what(s) + " (timeout " + Durations.format(s.timeout()) + ", "
                    + s.retry().maximumAttempts() + " attempts)";
        }
        return "http " + s.http().method() + " " + s.http().url();
    }

    /** Prints whole lines, each through {@link LogText#oneLine}. */
    private record Lines(PrintWriter w) {
        void println(String line) {
            w.println(LogText.oneLine(line));
        }

        /** A format that ends in {@code %n}, as every caller's does: println, so an autoflushing writer flushes. */
        void printf(String format, Object... args) {
            String text = String.format(format, args);
            println(
                    text.endsWith(System.lineSeparator())
                            ? text.substring(
                                    0, text.length() - System.lineSeparator().length())
                            : text);
        }
    }
}

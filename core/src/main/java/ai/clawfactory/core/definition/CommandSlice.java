package ai.clawfactory.core.definition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code command} step kind in core: a program run without a shell ({@link CommandDefinition}),
 * one command or an exec block. Structure is the schema's ({@code $defs/command}); here: each argv
 * element and env value is a template of its own ({@code {{secret.NAME}}} allowed, as in http
 * steps), the program is not templated, and a shell with a command string needs {@code shell: true}
 * (the worker also needs {@code COMMANDS_ALLOW_SHELL=true}).
 *
 * <p>Why {@code shell: true} rather than a check of {@code COMMANDS_ALLOW_SHELL}: validate runs
 * where the worker's settings are not (the schedules unit, a laptop), so a rule on them would pass
 * or fail by where it ran. The file says what it means instead, and the worker checks its gate.
 */
final class CommandSlice implements StepKindSlice<CommandDefinition> {

    /** The output cap when none is written, as the schema's default says. */
    static final int DEFAULT_MAX_OUTPUT =
            Integer.parseInt(DefinitionSchema.defaultAt("command", "/properties/maxOutput"));

    /** Variables a step may not set: they change how every program loads or how a shell starts. */
    static final Set<String> UNSETTABLE = Set.of("BASH_ENV", "ENV", "IFS", "PATH", "HOME");

    @Override
    public StepKind kind() {
        return StepKind.COMMAND;
    }

    @Override
    public CommandDefinition read(YamlCursor at, TemplateScope scope) {
        if (!at.isMapping()) {
            return null;
        }
        List<CommandEntry> commands = new ArrayList<>();
        YamlCursor block = at.get("commands");
        if (block != null) {
            int i = 0;
            for (YamlCursor item : block.items()) {
                YamlCursor c = item.renamed(block.path() + "[" + i++ + "]");
                if (c.isMapping()) {
                    commands.add(entry(c, scope));
                }
            }
        } else {
            commands.add(entry(at, scope));
        }
        Integer max = at.whole("maxOutput");
        return new CommandDefinition(at.text("host"), List.copyOf(commands), max == null ? DEFAULT_MAX_OUTPUT : max);
    }

    private static CommandEntry entry(YamlCursor at, TemplateScope scope) {
        List<String> argv = new ArrayList<>();
        YamlCursor a = at.get("argv");
        if (a != null) {
            int i = 0;
            for (YamlCursor item : a.items()) {
                String v = item.written();
                YamlCursor el = item.renamed(a.path() + "[" + i + "]");
                if (v == null) {
                    i++;
                    continue; // not text: the schema says so
                }
                if (i == 0 && v.contains("{{")) {
                    el.problem("the program is written literally, without placeholders: "
                            + "pass values as arguments of their own");
                } else if (i > 0) {
                    scope.checkHttp(el, v);
                }
                argv.add(v);
                i++;
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        YamlCursor e = at.get("env");
        if (e != null) {
            for (YamlCursor.Entry kv : e.entries()) {
                String value = kv.value().text();
                if (UNSETTABLE.contains(kv.key()) || kv.key().startsWith("LD_")) {
                    kv.value()
                            .problem("cannot be set by a step: the worker sets PATH, HOME and LANG itself "
                                    + "(see COMMANDS_ALLOW), and LD_*, BASH_ENV, ENV and IFS change what a program "
                                    + "loads or runs");
                } else if (value != null) {
                    scope.checkHttp(kv.value(), value);
                    env.put(kv.key(), value);
                }
            }
        }
        boolean shell = at.bool("shell", false);
        String shellString = CommandLines.shellString(argv);
        if (shellString != null && !shell && a != null) {
            a.problem("runs a shell with a command string (" + shellString + "): write the program and its "
                    + "arguments as argv instead, or add 'shell: true' to say it is meant (the worker then also "
                    + "needs COMMANDS_ALLOW_SHELL=true)");
        }
        Duration timeout = at.positiveDuration("timeout", null);
        List<Integer> ok = new ArrayList<>();
        YamlCursor codes = at.get("okExitCodes");
        if (codes != null) {
            for (YamlCursor item : codes.items()) {
                Integer code = YamlCursor.wholeNumber(item.text());
                if (code != null) {
                    ok.add(code);
                }
            }
        }
        return new CommandEntry(
                List.copyOf(argv),
                at.text("cwd"),
                DefinitionLoader.ordered(env),
                timeout,
                ok.isEmpty() ? List.of(0) : List.copyOf(ok),
                shell);
    }

    @Override
    public Object write(CommandDefinition c) {
        Map<String, Object> m = new LinkedHashMap<>();
        DefinitionWriter.put(m, "host", c.host());
        if (c.commands().size() == 1) {
            m.putAll(entry(c.commands().get(0)));
        } else {
            List<Object> list = new ArrayList<>();
            c.commands().forEach(e -> list.add(entry(e)));
            DefinitionWriter.put(m, "commands", list);
        }
        if (c.maxOutput() != DEFAULT_MAX_OUTPUT) {
            DefinitionWriter.put(m, "maxOutput", c.maxOutput());
        }
        return m;
    }

    private static Map<String, Object> entry(CommandEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        DefinitionWriter.put(m, "argv", e.argv());
        DefinitionWriter.put(m, "cwd", e.cwd());
        DefinitionWriter.put(m, "env", e.env());
        DefinitionWriter.put(m, "timeout", e.timeout());
        if (!e.okExitCodes().equals(List.of(0))) {
            DefinitionWriter.put(m, "okExitCodes", e.okExitCodes());
        }
        if (e.shell()) {
            m.put("shell", true);
        }
        return m;
    }

    @Override
    public String what(CommandDefinition c) {
        String program = c.commands().isEmpty() || c.commands().get(0).argv().isEmpty()
                ? "?"
                : CommandLines.baseName(c.commands().get(0).argv().get(0));
        String more = c.commands().size() > 1 ? " and " + (c.commands().size() - 1) + " more" : "";
        return "command " + program + more + (c.host() == null ? "" : " on " + c.host());
    }

    @Override
    public Map<String, SchemaText> schemaTexts() {
        SchemaText exit = SchemaText.of("is not an exit code (0-255)");
        return Map.ofEntries(
                Map.entry(
                        "commandSingle/required/argv",
                        SchemaText.of("missing: argv (the program and its arguments, a list), or commands: a list "
                                + "of such commands run in order")),
                Map.entry(
                        "commandSingle/not",
                        SchemaText.of("has both argv and commands: write one command, or an exec block (commands:)")),
                Map.entry(
                        "commandBlock/not",
                        SchemaText.of("an exec block (commands:) keeps argv, cwd, env, timeout, okExitCodes and shell "
                                + "inside each of its commands")),
                Map.entry(
                        "commandProgram/pattern",
                        SchemaText.of(
                                "is not a program: write an absolute path (/usr/bin/rsync) or a bare name (rsync), "
                                        + "without placeholders or spaces")),
                Map.entry("commandProgram/not", SchemaText.of("the program's path has no '.' or '..' elements")),
                Map.entry(
                        "commandCwd/pattern",
                        SchemaText.of(
                                "is not a folder cwd can be: an absolute path, written literally (no placeholders)")),
                Map.entry("commandCwd/not", SchemaText.of("cwd has no '.' or '..' elements")),
                Map.entry(
                        "commandEnvName/pattern",
                        SchemaText.of("is not an environment variable's name: letters, digits and '_', not starting "
                                + "with a digit")),
                Map.entry(
                        "commandHost/pattern",
                        SchemaText.of("is not an agent host's name: lower-case letters, digits and '-' (at most 63), "
                                + "as its task queue clawfactory-agent-NAME takes it")),
                Map.entry("commandExitCode/minimum", exit),
                Map.entry("commandExitCode/maximum", exit));
    }
}

package ai.clawfactory.core.definition;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What validation and the worker both know about a command line: whether it runs a shell with a
 * command string ({@code sh -c '...'}, {@code bash -lc '...'}, {@code /usr/bin/env sh -c '...'}),
 * and how its program is written. One source, so {@code validate} and the worker's gate agree.
 */
public final class CommandLines {

    /** Programs that run their {@code -c} argument as shell code. */
    static final Set<String> SHELLS =
            Set.of("sh", "bash", "dash", "zsh", "ksh", "ash", "mksh", "pdksh", "yash", "fish", "busybox");

    /** An agent host's name, as the schema's {@code $defs/commandHost} says (its task queue is {@code clawfactory-agent-NAME}). */
    public static final java.util.regex.Pattern HOST = DefinitionSchema.pattern("commandHost");

    private CommandLines() {}

    /** The last element of a path: {@code /usr/bin/bash} → {@code bash}. */
    public static String baseName(String program) {
        int slash = program.lastIndexOf('/');
        return program.substring(slash + 1);
    }

    /**
     * A short description of the shell string {@code argv} runs ({@code "bash -lc"}), or null when
     * it runs none. {@code env} and its options and {@code NAME=value} arguments are looked through;
     * a shell counts when any of its options before the first operand holds {@code c}.
     */
    public static String shellString(List<String> argv) {
        int i = 0;
        if (!argv.isEmpty() && "env".equals(baseName(argv.get(0)))) {
            i = 1;
            while (i < argv.size()) {
                String a = argv.get(i);
                if (a.equals("-u") || a.equals("--unset") || a.equals("-C") || a.equals("--chdir")) {
                    i += 2;
                } else if (a.startsWith("-") || (a.contains("=") && !a.startsWith("="))) {
                    i++;
                } else {
                    break;
                }
            }
        }
        if (i >= argv.size()) {
            return null;
        }
        String shell = baseName(argv.get(i)).toLowerCase(Locale.ROOT);
        if (!SHELLS.contains(shell)) {
            return null;
        }
        int j = i + 1;
        if (shell.equals("busybox")) {
            if (j >= argv.size() || !SHELLS.contains(argv.get(j))) {
                return null;
            }
            j++;
        }
        for (; j < argv.size(); j++) {
            String a = argv.get(j);
            if (a.equals("-o")
                    || a.equals("+o")
                    || a.equals("-O")
                    || a.equals("+O")
                    || a.equals("--rcfile")
                    || a.equals("--init-file")) {
                j++; // an option's own argument, not an operand
                continue;
            }
            if (a.equals("--") || !a.startsWith("-") && !a.startsWith("+")) {
                return null; // a script file, not a command string
            }
            if (!a.startsWith("--") && a.substring(1).indexOf('c') >= 0) {
                return shell + " " + a;
            }
        }
        return null;
    }
}

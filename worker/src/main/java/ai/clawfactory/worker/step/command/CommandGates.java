package ai.clawfactory.worker.step.command;

import ai.clawfactory.core.definition.CommandLines;
import ai.clawfactory.worker.config.CommandsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The worker's gates, checked before anything runs, whatever validation said (defence in depth):
 * commands are on ({@code COMMANDS_ALLOW} set), the program is on the allow-list by real path, a
 * shell with a command string only with {@code COMMANDS_ALLOW_SHELL=true}, and {@code cwd} lies
 * under {@code COMMANDS_ROOT} by real path (no {@code ..}, no symlink leading out). A refusal says
 * which gate and the setting that opens it.
 */
final class CommandGates {

    /** The PATH a bare program name is looked up in, and the one the command gets. */
    static final List<String> PATH = List.of("/usr/local/bin", "/usr/bin", "/bin");

    private final CommandsConfig config;

    CommandGates(CommandsConfig config) {
        this.config = config;
    }

    /** A command the gates let through: the program to run (absolute, as written or found on {@link #PATH}) and its folder. */
    record Passed(String program, Path cwd) {}

    /** A command a gate refused; the message names the gate and how to open it. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    Passed check(List<String> argv, String cwd) {
        List<String> allowed = config.allowed();
        if (allowed.isEmpty()) {
            throw new Refused("commands are off on this worker (gate COMMANDS_ALLOW): list the programs it may run, "
                    + "as absolute paths of programs or folders, in COMMANDS_ALLOW");
        }
        String written = argv.get(0);
        Path program = find(written);
        Path real;
        try {
            real = program.toRealPath();
        } catch (IOException e) {
            throw new Refused("program '" + written + "' is not there (gate COMMANDS_ALLOW)");
        }
        if (!Files.isRegularFile(real) || !Files.isExecutable(real)) {
            throw new Refused("program '" + written + "' (" + real + ") is not an executable file");
        }
        if (!allowed(real, allowed)) {
            throw new Refused("program '" + written + "'" + (real.toString().equals(written) ? "" : " (" + real + ")")
                    + " is not allowed (gate COMMANDS_ALLOW: " + String.join(", ", allowed)
                    + "); add it or its folder to COMMANDS_ALLOW");
        }
        List<String> asRun = new ArrayList<>(argv);
        asRun.set(0, real.toString());
        String shell = CommandLines.shellString(argv);
        if (shell == null) {
            shell = CommandLines.shellString(asRun);
        }
        if (shell != null && !config.allowShell()) {
            throw new Refused("runs a shell with a command string (" + shell
                    + "), refused (gate COMMANDS_ALLOW_SHELL): set COMMANDS_ALLOW_SHELL=true to allow it, "
                    + "or write the program and its arguments as argv");
        }
        return new Passed(program.toString(), folder(cwd));
    }

    /** The program as written when absolute, else the first executable of that name on {@link #PATH}. */
    private static Path find(String written) {
        if (written.startsWith("/")) {
            return Path.of(written);
        }
        for (String dir : PATH) {
            Path p = Path.of(dir, written);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                return p;
            }
        }
        throw new Refused("program '" + written + "' is not on the PATH commands get (" + String.join(":", PATH)
                + "); write its absolute path");
    }

    private static boolean allowed(Path real, List<String> allowed) {
        for (String entry : allowed) {
            Path e;
            try {
                e = Path.of(entry).toRealPath();
            } catch (IOException | RuntimeException missing) {
                continue;
            }
            if (real.equals(e) || (Files.isDirectory(e) && real.startsWith(e))) {
                return true;
            }
        }
        return false;
    }

    /** The folder the command runs in: {@code cwd} under COMMANDS_ROOT, else the root, else {@code /}. */
    private Path folder(String cwd) {
        Path root = config.rootPath();
        if (cwd == null) {
            return root != null ? realFolder(root, "COMMANDS_ROOT " + root) : Path.of("/");
        }
        if (root == null) {
            throw new Refused("cwd '" + cwd + "' needs a root (gate COMMANDS_ROOT): set COMMANDS_ROOT to the folder "
                    + "commands may run in");
        }
        Path r = realFolder(root, "COMMANDS_ROOT " + root);
        Path c = realFolder(Path.of(cwd), "cwd '" + cwd + "'");
        if (!c.startsWith(r)) {
            throw new Refused("cwd '" + cwd + "'" + (c.toString().equals(cwd) ? "" : " (" + c + ")")
                    + " is not under COMMANDS_ROOT " + r
                    + " (gate COMMANDS_ROOT): move it there or change COMMANDS_ROOT");
        }
        return c;
    }

    private static Path realFolder(Path p, String what) {
        try {
            Path real = p.toRealPath();
            if (!Files.isDirectory(real)) {
                throw new Refused(what + " is not a folder");
            }
            return real;
        } catch (IOException e) {
            throw new Refused(what + " does not exist");
        }
    }
}

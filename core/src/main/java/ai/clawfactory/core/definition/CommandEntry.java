package ai.clawfactory.core.definition;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One command of a {@code command} step: a program and its arguments, run without a shell. Each
 * element of {@code argv} and each value of {@code env} may hold {@code {{...}}} templates,
 * rendered on its own; the program ({@code argv[0]}) and {@code cwd} are literal.
 *
 * @param argv        the program (an absolute path or a bare name) and its arguments
 * @param cwd         the folder it runs in (under the worker's {@code COMMANDS_ROOT}), or null
 * @param env         variables added to the clean environment, name → template
 * @param timeout     how long it may run before its process group is ended, or null (the step's timeout bounds it)
 * @param okExitCodes exit codes that count as success ([0] unless written)
 * @param shell       true when {@code argv} runs a shell with a command string on purpose
 */
public record CommandEntry(
        List<String> argv,
        String cwd,
        Map<String, String> env,
        Duration timeout,
        List<Integer> okExitCodes,
        boolean shell) {}

package ai.clawfactory.worker.config;

import ai.clawfactory.core.definition.CommandLines;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The gates of {@code command} steps (see application.yml for the variable names). Commands are off
 * until {@code allow} lists what may run.
 *
 * @param allow      comma-separated absolute paths of programs, or of folders whose programs may run
 *                   (COMMANDS_ALLOW); compared by real path, so a symlink cannot lead out; unset: no
 *                   command runs
 * @param allowShell whether a shell may run a command string ({@code sh -c}, {@code bash -lc}, …)
 *                   (COMMANDS_ALLOW_SHELL); the shell itself must still be allowed
 * @param root       the folder every {@code cwd} must lie under, by real path (COMMANDS_ROOT); unset:
 *                   a command with a {@code cwd} is refused, one without runs in {@code /}
 * @param bundles    where each attempt's bundle (manifest and logs) is written (COMMANDS_BUNDLES_DIR)
 * @param killGrace  how long a process group has between SIGTERM and SIGKILL (COMMANDS_KILL_GRACE)
 * @param agent      set: this process is agent host NAME (AGENT_NAME, {@code ./clawfactory agent --name NAME}):
 *                   it polls only {@code clawfactory-agent-NAME} and runs only command steps
 */
@ConfigurationProperties("commands")
public record CommandsConfig(
        @Nullable String allow,
        @Bindable(defaultValue = "false") boolean allowShell,
        @Nullable String root,
        @Bindable(defaultValue = ".data/runs") String bundles,
        @Bindable(defaultValue = "5s") Duration killGrace,
        @Nullable String agent) {

    public CommandsConfig {
        for (String entry : split(allow)) {
            if (!entry.startsWith("/")) {
                throw new IllegalArgumentException("commands.allow (COMMANDS_ALLOW) lists '" + entry
                        + "', which is not an absolute path of a program or folder");
            }
        }
        if (root != null && !root.isBlank() && !root.trim().startsWith("/")) {
            throw new IllegalArgumentException(
                    "commands.root (COMMANDS_ROOT) must be an absolute path, got '" + root + "'");
        }
        Settings.notBlank(bundles, "commands.bundles", "COMMANDS_BUNDLES_DIR");
        Settings.required(killGrace, "commands.kill-grace", "COMMANDS_KILL_GRACE");
        if (agent != null
                && !agent.isBlank()
                && !CommandLines.HOST.matcher(agent.trim()).matches()) {
            throw new IllegalArgumentException("commands.agent (AGENT_NAME) is '" + agent
                    + "', not an agent host's name: lower-case letters, digits and '-' (at most 63)");
        }
    }

    /** The agent host this process is (AGENT_NAME), or null for a worker. */
    public String agentName() {
        return agent == null || agent.isBlank() ? null : agent.trim();
    }

    /** The allow-list as written; empty when commands are off. */
    public List<String> allowed() {
        return split(allow);
    }

    /** COMMANDS_ROOT, or null when unset. */
    public Path rootPath() {
        return root == null || root.isBlank() ? null : Path.of(root.trim());
    }

    public Path bundlesPath() {
        return Path.of(bundles);
    }

    private static List<String> split(String list) {
        return list == null
                ? List.of()
                : Arrays.stream(list.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList();
    }
}

package ai.clawfactory.schedules.importer;

import static ai.clawfactory.schedules.importer.JobMapper.excerpt;
import static ai.clawfactory.schedules.importer.JobMapper.text;

import ai.clawfactory.core.definition.AgentTurnDefinition;
import ai.clawfactory.core.definition.AlertAction;
import ai.clawfactory.core.definition.AlertsDefinition;
import ai.clawfactory.core.definition.CommandDefinition;
import ai.clawfactory.core.definition.CommandEntry;
import ai.clawfactory.core.definition.CommandLines;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * OpenClaw's {@code command} payloads ({@code {"kind": "command", "argv": [...]}}, as
 * {@code openclaw cron add --command} stores them) as a {@code command} step, and a job's
 * {@code failureAlert} as the file's {@code alerts:} block. Every value stays data: an argument
 * holding {@code {{} travels in a declared input, never as a template.
 */
final class CommandMapper {

    /** What a program may be written as, as the schema's {@code $defs/commandProgram} says (absolute or bare). */
    private static final Pattern PROGRAM = Pattern.compile("(/[^/\\s{}]+)+|[A-Za-z0-9_+][A-Za-z0-9._+-]*");

    /** The message of an imported failure alert (the alerts scope: workflow.*, failure.*). */
    static final String ALERT_MESSAGE =
            "{{workflow.type}} failed at step {{failure.step}} ({{failure.consecutive}} in a row): "
                    + "{{failure.message}} {{failure.url}}";

    private CommandMapper() {}

    /** The command of a payload, or an error (a string starting with "!") when it cannot be one. */
    record Mapped(CommandDefinition command, String error) {}

    static Mapped command(JsonNode payload, Map<String, String> input, List<String> notes) {
        JsonNode argvNode = payload.get("argv");
        if (argvNode == null || !argvNode.isArray() || argvNode.isEmpty()) {
            return new Mapped(null, "payload.command has no argv (a list of the program and its arguments)");
        }
        List<String> argv = new ArrayList<>();
        for (JsonNode a : argvNode) {
            if (!a.isTextual() && !a.isNumber()) {
                return new Mapped(null, "payload.argv holds " + excerpt(a) + ", not text");
            }
            argv.add(a.asText());
        }
        String program = argv.get(0);
        if (!PROGRAM.matcher(program).matches() || program.contains("/./") || program.contains("/../")) {
            return new Mapped(
                    null,
                    "payload.argv[0] " + excerpt(argvNode.get(0))
                            + " is not a program clawfactory runs (an absolute path or a bare name found on "
                            + "/usr/local/bin:/usr/bin:/bin): recreate the job with one");
        }
        String shell = CommandLines.shellString(argv);
        if (shell != null) {
            notes.add("argv runs a shell with a command string (" + shell + "): imported with shell: true; the worker "
                    + "runs it only with COMMANDS_ALLOW_SHELL=true and the shell on COMMANDS_ALLOW; better, rewrite it "
                    + "as the program and its arguments");
        }
        List<String> kept = new ArrayList<>();
        kept.add(program);
        for (int i = 1; i < argv.size(); i++) {
            kept.add(verbatim(argv.get(i), "argv" + i, input, notes));
        }
        String cwd = text(payload, "cwd");
        if (cwd != null && (!cwd.startsWith("/") || cwd.contains("{") || cwd.matches(".*(^|/)\\.\\.?(/|$).*"))) {
            notes.add("payload.cwd " + excerpt(payload.get("cwd"))
                    + " is not carried over (cwd is an absolute path under COMMANDS_ROOT): the command runs in "
                    + "COMMANDS_ROOT");
            cwd = null;
        }
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode envNode = payload.get("env");
        if (envNode != null && envNode.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = envNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_]{0,127}")
                        || e.getKey().startsWith("LD_")
                        || Set.of("PATH", "HOME", "BASH_ENV", "ENV", "IFS").contains(e.getKey())
                        || !e.getValue().isValueNode()) {
                    notes.add("payload.env " + excerpt(envNode) + ": variable '" + e.getKey()
                            + "' is not carried over (a step may not set it)");
                    continue;
                }
                env.put(e.getKey(), verbatim(e.getValue().asText(), "env_" + e.getKey(), input, notes));
            }
        }
        Duration timeout = null;
        JsonNode ts = payload.get("timeoutSeconds");
        if (ts != null && ts.canConvertToInt() && ts.asInt() > 0) {
            timeout = Duration.ofSeconds(ts.asInt());
        }
        for (Iterator<String> it = payload.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("kind", "argv", "cwd", "env", "timeoutSeconds").contains(f)) {
                notes.add("payload." + f + " " + excerpt(payload.get(f)) + " of a command is not carried over");
            }
        }
        CommandEntry entry = new CommandEntry(List.copyOf(kept), cwd, env, timeout, List.of(0), shell != null);
        return new Mapped(new CommandDefinition(null, List.of(entry), 65536), null);
    }

    /** A value kept as written: one holding {@code {{} travels in input {@code name}, substituted once, never a template. */
    private static String verbatim(String value, String name, Map<String, String> input, List<String> notes) {
        if (!value.contains("{{")) {
            return value;
        }
        input.put(name, value);
        notes.add("'" + name + "' holds '{{', which definitions read as a template: it is kept verbatim as input."
                + name + " and passed unchanged");
        return "{{input." + name + "}}";
    }

    /**
     * A job's {@code failureAlert} ({@code after}, {@code channel}, {@code to}, {@code cooldownMs}) as
     * an alerts block whose alert is an agent turn delivered there; null (with a note) when it says
     * nothing to carry over.
     */
    static AlertsDefinition alerts(JsonNode alert, String jobName, List<String> notes) {
        if (alert == null || alert.isNull() || alert.isBoolean() && !alert.asBoolean()) {
            return null;
        }
        if (!alert.isObject()) {
            notes.add("failureAlert " + excerpt(alert) + ": the worker's default alerts (ALERTS_DEFAULT_FILE) apply");
            return null;
        }
        int after = AlertsDefinition.DEFAULT_AFTER;
        JsonNode a = alert.get("after");
        if (a != null && a.canConvertToInt() && a.asInt() >= 1 && a.asInt() <= 1000) {
            after = a.asInt();
        } else if (a != null) {
            notes.add("failureAlert.after " + excerpt(a) + " is not 1 to 1000: alerts after " + after + " failure");
        }
        Duration cooldown = AlertsDefinition.DEFAULT_COOLDOWN;
        JsonNode c = alert.get("cooldownMs");
        if (c != null && c.canConvertToLong() && c.asLong() >= 0) {
            cooldown = Duration.ofMillis(c.asLong());
        } else if (c != null) {
            notes.add("failureAlert.cooldownMs " + excerpt(c) + " is not a number of milliseconds: cooldown " + "1h");
        }
        String channel = text(alert, "channel");
        String to = text(alert, "to");
        if (channel == null || to == null) {
            notes.add("failureAlert " + excerpt(alert) + " names no channel and to: the alert goes to the alert "
                    + "session's last route");
            channel = null;
            to = null;
        }
        for (Iterator<String> it = alert.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("after", "channel", "to", "cooldownMs").contains(f)) {
                notes.add("failureAlert." + f + " " + excerpt(alert.get(f)) + " is not carried over");
            }
        }
        AgentTurnDefinition turn = new AgentTurnDefinition(
                ALERT_MESSAGE,
                jobName + "-alert",
                null,
                null,
                "isolated",
                null,
                null,
                null,
                true,
                channel,
                to,
                null,
                null);
        return new AlertsDefinition(after, cooldown, AlertAction.of(turn), null, null);
    }
}

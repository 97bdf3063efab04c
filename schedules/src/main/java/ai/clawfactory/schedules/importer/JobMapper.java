package ai.clawfactory.schedules.importer;

import ai.clawfactory.core.definition.AgentTurnDefinition;
import ai.clawfactory.core.definition.AlertsDefinition;
import ai.clawfactory.core.definition.ScheduleDefinition;
import ai.clawfactory.core.definition.StepDefinition;
import ai.clawfactory.core.definition.WakeDefinition;
import ai.clawfactory.core.definition.WorkflowDefinition;
import ai.clawfactory.core.definition.YamlText;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Maps one OpenClaw cron job (as {@code openclaw cron list --json} or a legacy {@code jobs.json}
 * holds it) to a definition. Every field is accounted for: honoured, reported in the draft's
 * notes, or (runtime state only) deliberately ignored.
 */
final class JobMapper {

    /** Runtime state and bookkeeping: nothing a definition could or should carry. */
    private static final Set<String> RUNTIME_FIELDS = Set.of(
            "state",
            "createdAtMs",
            "updatedAtMs",
            "configRevision",
            "nextRunAtMs",
            "status",
            "effectiveAgentId",
            "runningAtMs",
            "lastRunAtMs",
            "lastStatus",
            "lastError",
            "lastDurationMs",
            "consecutiveErrors",
            "storeKey",
            "sortOrder");

    private static final Set<String> HANDLED_FIELDS = Set.of(
            "id",
            "jobId",
            "name",
            "displayName",
            "description",
            "enabled",
            "deleteAfterRun",
            "schedule",
            "sessionTarget",
            "sessionKey",
            "wakeMode",
            "payload",
            "delivery",
            "failureAlert",
            "agentId",
            "declarationKey",
            "scheduledToolPolicy");

    /**
     * What a job id may be: OpenClaw makes UUIDs; the legacy jobs.json held short names. An id is
     * written into comments, the schedule's note and {@code openclaw cron disable}'s argv, so it is
     * checked before anything else.
     */
    static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private final boolean includeBuiltin;
    private final ScheduleMapper schedules;

    /**
     * @param defaultTimezone the zone for cron jobs without {@code tz}; null means the host's zone
     * @param includeBuiltin  import the gateway's own jobs (those with a {@code declarationKey}) too
     * @param now             the current time (a one-shot job in the past is skipped)
     */
    JobMapper(String defaultTimezone, boolean includeBuiltin, Instant now) {
        this.schedules = new ScheduleMapper(defaultTimezone, now);
        this.includeBuiltin = includeBuiltin;
    }

    Draft map(JsonNode job) {
        String id = text(job, "id") != null ? text(job, "id") : text(job, "jobId");
        String name = text(job, "name") != null ? text(job, "name") : text(job, "displayName");
        boolean enabled = !job.has("enabled") || job.get("enabled").asBoolean(true);
        if (id == null) {
            return Draft.error("(no id)", name == null ? "(no name)" : name, enabled, "the job has no id", List.of());
        }
        if (name == null) {
            name = id;
        }
        if (!JOB_ID.matcher(id).matches()) {
            return Draft.error(
                    id,
                    name,
                    enabled,
                    "job id " + YamlText.quoted(id.length() > 40 ? id.substring(0, 37) + "..." : id)
                            + " is not an OpenClaw job id (1 to 128 letters, digits, '.', '_', ':' or '-', starting "
                            + "with a letter or digit; `openclaw cron add` makes UUIDs): not imported; look at the job "
                            + "with `openclaw cron list --all --json` and recreate it if it is yours",
                    List.of());
        }
        String declarationKey = text(job, "declarationKey");
        if (declarationKey != null && !includeBuiltin) {
            return Draft.skip(
                    id,
                    name,
                    enabled,
                    "built-in job of the gateway (declarationKey " + declarationKey
                            + "); --include-builtin to import it anyway");
        }
        List<String> notes = new ArrayList<>();
        for (Iterator<String> it = job.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!RUNTIME_FIELDS.contains(f) && !HANDLED_FIELDS.contains(f) && !f.startsWith("last")) {
                notes.add("field '" + f + "' is not known to this importer and was not carried over: "
                        + excerpt(job.get(f)));
            }
        }

        // ---- payload ----
        JsonNode payload = job.path("payload");
        String payloadKind = text(payload, "kind");
        if (payloadKind == null) {
            return Draft.error(id, name, enabled, "the job has no payload.kind", notes);
        }
        Map<String, String> input = new LinkedHashMap<>();
        List<StepDefinition> steps = new ArrayList<>();
        String summary;
        String sessionTarget = text(job, "sessionTarget");
        switch (payloadKind) {
            case "agentTurn" -> {
                String refusal = DeliveryMapper.templateInWebhook(job);
                if (refusal != null) {
                    return Draft.error(id, name, enabled, refusal, notes);
                }
                AgentTurnDefinition turn = agentTurn(job, payload, name, sessionTarget, input, notes);
                if (turn == null) {
                    return Draft.error(id, name, enabled, "payload.agentTurn has no message", notes);
                }
                Integer timeoutSeconds = turn.timeoutSeconds();
                // The attempt must outlive the gateway's own timeout of the run it waits for.
                Duration timeout = timeoutSeconds != null && timeoutSeconds > 540
                        ? Duration.ofSeconds(timeoutSeconds + 60L)
                        : null;
                steps.add(StepDefinition.of("turn", null, timeout, null, false, turn));
                summary = "agentTurn" + describeSession(turn) + DeliveryMapper.describe(turn);
                String webhook = DeliveryMapper.webhook(job, notes);
                if (webhook != null) {
                    steps.add(DeliveryMapper.webhookStep(webhook, id, name));
                    summary += ", then POST " + webhook;
                }
            }
            case "systemEvent" -> {
                String text = text(payload, "text");
                if (text == null) {
                    return Draft.error(id, name, enabled, "payload.systemEvent has no text", notes);
                }
                for (Iterator<String> it = payload.fieldNames(); it.hasNext(); ) {
                    String f = it.next();
                    if (!f.equals("kind") && !f.equals("text")) {
                        notes.add("payload." + f + " of a systemEvent is not carried over: " + excerpt(payload.get(f)));
                    }
                }
                if (text(job, "agentId") != null) {
                    notes.add("agentId " + text(job, "agentId") + ": /hooks/wake takes no agent, it wakes the default "
                            + "agent's main session");
                }
                if (sessionTarget != null && !sessionTarget.equals("main")) {
                    notes.add("sessionTarget " + sessionTarget + ": a wake always goes to the main session");
                }
                if (text(job, "sessionKey") != null) {
                    notes.add("sessionKey " + text(job, "sessionKey")
                            + " is not carried over: a wake always goes to the " + "main session");
                }
                if (job.has("delivery") && !"none".equals(text(job.path("delivery"), "mode"))) {
                    notes.add("delivery of a systemEvent job is not carried over (a wake delivers nothing itself): "
                            + excerpt(job.get("delivery")));
                }
                String wakeText = verbatim(text, "wakeText", input, notes);
                String mode = text(job, "wakeMode");
                steps.add(StepDefinition.of("wake", null, null, null, false, new WakeDefinition(wakeText, mode)));
                summary = "wake the main session (" + (mode == null ? "now" : mode) + ")";
            }
            case "command" -> {
                CommandMapper.Mapped command = CommandMapper.command(payload, input, notes);
                if (command.error() != null) {
                    return Draft.error(id, name, enabled, command.error(), notes);
                }
                if (job.has("delivery") && !"none".equals(text(job.path("delivery"), "mode"))) {
                    notes.add("delivery of a command job is not carried over (its stdout is the step's output; "
                            + "add an agentTurn or http step to send it on): " + excerpt(job.get("delivery")));
                }
                if (text(job, "agentId") != null) {
                    notes.add("agentId " + text(job, "agentId") + ": a command runs on the worker, for no agent");
                }
                steps.add(StepDefinition.of("run", null, null, null, false, command.command()));
                summary = "command "
                        + String.join(" ", command.command().commands().get(0).argv());
            }
            case "script" -> {
                return Draft.unsupported(
                        id,
                        name,
                        enabled,
                        "a script payload runs inside the gateway (not importable: recreate it as a command job, "
                                + "whose argv becomes a command step)",
                        notes);
            }
            case "heartbeat" -> {
                return Draft.unsupported(
                        id,
                        name,
                        enabled,
                        "a heartbeat payload is the gateway's own heartbeat (not importable)",
                        notes);
            }
            default -> {
                return Draft.unsupported(
                        id, name, enabled, "payload kind '" + payloadKind + "' is not importable", notes);
            }
        }
        AlertsDefinition alerts = CommandMapper.alerts(job.get("failureAlert"), name, notes);
        JsonNode policy = job.path("scheduledToolPolicy");
        if (!policy.isMissingNode() && !"trusted".equals(text(policy, "mode"))) {
            notes.add("scheduledToolPolicy is not carried over (hook runs follow the gateway's hooks policy): "
                    + excerpt(policy));
        }

        // ---- schedule ----
        ScheduleMapper.Mapped when = schedules.schedule(job, notes);
        String error = when.error();
        if (error != null) {
            if (error.startsWith(ScheduleMapper.SKIP)) {
                return Draft.skip(id, name, enabled, error.substring(ScheduleMapper.SKIP.length()));
            }
            if (error.startsWith(ScheduleMapper.UNSUPPORTED)) {
                return Draft.unsupported(
                        id, name, enabled, error.substring(ScheduleMapper.UNSUPPORTED.length()), notes);
            }
            return Draft.error(id, name, enabled, error, notes);
        }
        summary = when.when().describe() + ", " + summary;
        if (!enabled) {
            notes.add(
                    "disabled in OpenClaw: the schedule is created paused (unpause it with ./clawfactory schedules unpause)");
            summary += ", paused";
        }
        ScheduleDefinition schedule = when.when().schedule(!enabled, "Imported from OpenClaw cron job " + id);
        String displayName = text(job, "displayName");
        String label = displayName != null && !displayName.equals(name) ? " (" + displayName + ")" : "";
        String description = text(job, "description") != null
                ? text(job, "description") + label
                : "OpenClaw cron job \"" + name + "\"" + label;
        return new Draft(
                id,
                name,
                enabled,
                Draft.Outcome.IMPORT,
                null,
                List.copyOf(notes),
                summary,
                new WorkflowDefinition(null, description, null, null, input, steps, schedule).withAlerts(alerts));
    }

    private AgentTurnDefinition agentTurn(
            JsonNode job,
            JsonNode payload,
            String name,
            String sessionTarget,
            Map<String, String> input,
            List<String> notes) {
        String message = text(payload, "message");
        if (message == null) {
            return null;
        }
        String sent = verbatim(message, "message", input, notes);
        Session session = session(job, sessionTarget, notes);
        Integer timeoutSeconds = null;
        JsonNode ts = payload.get("timeoutSeconds");
        if (ts != null && !ts.isNull()) {
            if (ts.canConvertToInt() && ts.asInt() > 0) {
                timeoutSeconds = ts.asInt();
            } else {
                notes.add("payload.timeoutSeconds " + ts + " (no timeout) is not carried over: the gateway's default "
                        + "applies, and each attempt ends after the step's timeout (10m)");
            }
        }
        Set<String> handled = Set.of(
                "kind",
                "message",
                "model",
                "thinking",
                "timeoutSeconds",
                "toolsAllow",
                "deliver",
                "channel",
                "to",
                "bestEffortDeliver");
        JsonNode tools = payload.get("toolsAllow");
        if (tools != null
                && !(tools.isArray()
                        && tools.size() == 1
                        && "*".equals(tools.get(0).asText()))) {
            notes.add("payload.toolsAllow " + excerpt(tools) + " is not honoured: a hook turn may use every tool the "
                    + "agent has (the hooks API takes no tool allow-list)");
        }
        for (Iterator<String> it = payload.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!handled.contains(f)) {
                notes.add("payload." + f + " " + excerpt(payload.get(f))
                        + " is not honoured (the hooks API has no such field)");
            }
        }
        DeliveryMapper.Delivery delivery = DeliveryMapper.delivery(job, payload, notes);
        return new AgentTurnDefinition(
                sent,
                name,
                text(job, "agentId"),
                session.key(),
                session.mode(),
                text(payload, "model"),
                text(payload, "thinking"),
                timeoutSeconds,
                delivery.deliver(),
                delivery.channel(),
                delivery.to(),
                text(job, "wakeMode"),
                null);
    }

    /** Where a turn runs: {@code isolated} or {@code persistent} (or null: the gateway's default), and a session key. */
    private record Session(String mode, String key) {}

    private static Session session(JsonNode job, String target, List<String> notes) {
        String key = text(job, "sessionKey");
        String mode = null;
        if (target == null || target.equals("isolated")) {
            mode = "isolated";
        } else if (target.equals("main")) {
            notes.add("sessionTarget main: an agent turn is sent to a hook session (the hooks API does not post turns "
                    + "into the main session; a systemEvent job does that with a wake step)");
        } else if (target.startsWith("session:")) {
            key = key == null ? target.substring("session:".length()) : key;
            mode = "persistent";
            notes.add("sessionTarget " + target + ": sent as sessionKey, which the gateway accepts only with "
                    + "hooks.allowRequestSessionKey: true");
        } else {
            mode = "isolated";
            notes.add("sessionTarget " + target + " cannot be resolved outside the gateway: the turn runs isolated");
        }
        if (key != null && (target == null || !target.startsWith("session:"))) {
            notes.add("sessionKey is sent as is; the gateway accepts it only with hooks.allowRequestSessionKey: true");
        }
        return new Session(mode, key);
    }

    /**
     * Text to send as written. Our templates use {@code {{...}}} and have no escape for literal
     * braces: text holding {@code {{} is carried in a declared input instead, whose value is
     * substituted once and never read as a template, so it arrives unchanged.
     */
    private static String verbatim(String text, String inputName, Map<String, String> input, List<String> notes) {
        if (!text.contains("{{")) {
            return text;
        }
        input.put(inputName, text);
        notes.add("the text holds '{{', which definitions read as a template: it is kept verbatim as input." + inputName
                + " and sent unchanged");
        return "{{input." + inputName + "}}";
    }

    private static String describeSession(AgentTurnDefinition t) {
        return t.sessionMode() == null
                ? ""
                : " (" + t.sessionMode() + (t.sessionKey() != null ? " " + t.sessionKey() : "") + ")";
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }

    static String excerpt(JsonNode n) {
        String s = n == null ? "null" : n.toString();
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }
}

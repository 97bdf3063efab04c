package ai.clawfactory.schedules.importer;

import static ai.clawfactory.schedules.importer.JobMapper.excerpt;
import static ai.clawfactory.schedules.importer.JobMapper.text;

import ai.clawfactory.core.definition.AgentTurnDefinition;
import ai.clawfactory.core.definition.HttpCallDefinition;
import ai.clawfactory.core.definition.StepDefinition;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Maps an OpenClaw job's delivery (announce to a channel, none, or a webhook) onto the turn and,
 * for a webhook, an {@code http} step after it, noting what the hooks API cannot carry.
 */
final class DeliveryMapper {

    private DeliveryMapper() {}

    /**
     * How the turn is delivered, as an agent turn says it.
     *
     * @param deliver whether the reply is delivered, or null (the gateway's default)
     * @param channel with {@code to}: where to, or both null (the session's last route)
     */
    record Delivery(Boolean deliver, String channel, String to) {
        static final Delivery UNSET = new Delivery(null, null, null);
    }

    /** delivery (or the legacy payload.deliver/channel/to) of the turn. */
    static Delivery delivery(JsonNode job, JsonNode payload, List<String> notes) {
        JsonNode d = job.get("delivery");
        String mode;
        String channel;
        String to;
        if (d != null && d.isObject()) {
            mode = text(d, "mode");
            channel = text(d, "channel");
            to = text(d, "to");
            for (Iterator<String> it = d.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                switch (f) {
                    case "mode", "channel", "to" -> {}
                    case "accountId" ->
                        notes.add(
                                "delivery.accountId " + excerpt(d.get(f))
                                        + " is not honoured (the hooks API has no account; the channel's default account delivers)");
                    case "bestEffort" ->
                        notes.add("delivery.bestEffort " + excerpt(d.get(f))
                                + " is not honoured: the gateway's hook delivery decides what a failed delivery does");
                    default ->
                        notes.add("delivery." + f + " " + excerpt(d.get(f))
                                + " is not honoured (the hooks API has no such field)");
                }
            }
            for (String legacy : List.of("deliver", "channel", "to", "bestEffortDeliver")) {
                if (payload.has(legacy)) {
                    notes.add("payload." + legacy + " " + excerpt(payload.get(legacy))
                            + " is ignored: the job's delivery " + "block takes precedence");
                }
            }
        } else if (payload.has("deliver") || payload.has("channel") || payload.has("to")) {
            // Legacy jobs.json: delivery fields inside the payload.
            mode = payload.path("deliver").asBoolean(true) ? "announce" : "none";
            channel = text(payload, "channel");
            to = text(payload, "to");
            if (payload.has("bestEffortDeliver")) {
                notes.add(
                        "payload.bestEffortDeliver is not honoured: the gateway's hook delivery decides what a failed delivery does");
            }
        } else {
            return Delivery.UNSET;
        }
        if (mode != null && (mode.equals("none") || mode.equals("webhook"))) {
            return new Delivery(false, null, null);
        }
        if (mode != null && !mode.equals("announce")) {
            notes.add("delivery.mode '" + mode + "' is unknown: the turn is delivered like announce");
        }
        if ("last".equals(channel)) {
            channel = null;
        }
        if (channel != null && to != null) {
            return new Delivery(true, channel, to);
        }
        if (channel != null || to != null) {
            notes.add("delivery "
                    + (channel != null ? "channel " + channel + " without to" : "to " + to + " without channel")
                    + ": the hooks API needs both, so the reply goes to the session's last route");
        }
        return new Delivery(true, null, null);
    }

    /** The URL of a {@code delivery.mode: webhook} job, or null (noted when it is not an http(s) URL). */
    static String webhook(JsonNode job, List<String> notes) {
        JsonNode d = job.path("delivery");
        if (!"webhook".equals(text(d, "mode"))) {
            return null;
        }
        String url = text(d, "to");
        if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
            notes.add("delivery.mode webhook without an http(s) URL in delivery.to: no webhook step");
            return null;
        }
        notes.add(
                "delivery webhook: an http step POSTs the turn's status and run id after a successful turn "
                        + "(OpenClaw posted its own finished-run payload, failures included, with cron.webhookToken as bearer "
                        + "token if set: add an Authorization header to the step if the receiver needs it; no secret is copied)");
        return url;
    }

    /**
     * A webhook URL becomes an http step's url, which is a template: braces in it would be read as
     * placeholders ({@code {{secret.NAME}}} would send a credential), and a URL has no escape for
     * them, so such a job is refused.
     */
    static String templateInWebhook(JsonNode job) {
        JsonNode d = job.path("delivery");
        String url = text(d, "to");
        if (!"webhook".equals(text(d, "mode")) || url == null || !(url.contains("{{") || url.contains("}}"))) {
            return null;
        }
        return "delivery.to (the webhook URL) holds '{{' or '}}', which a definition reads as a template "
                + "(e.g. {{secret.NAME}} would send a credential): not imported; percent-encode the braces "
                + "(%7B, %7D) in the job's URL in OpenClaw, or write the http step by hand";
    }

    /**
     * The http step that tells the webhook how the turn went. The job's id and name go into the JSON
     * body escaped, braces included, so they are never read as placeholders.
     */
    static StepDefinition webhookStep(String url, String id, String name) {
        String body = "{\"jobId\":\"" + jsonEscape(id) + "\",\"name\":\"" + jsonEscape(name)
                + "\",\"status\":\"{{steps.turn.status}}\",\"runId\":\"{{steps.turn.runId}}\",\"workflowId\":\"{{workflow.id}}\"}";
        return StepDefinition.of(
                "webhook",
                null,
                null,
                null,
                false,
                new HttpCallDefinition("POST", url, Map.of("Content-Type", "application/json"), body, List.of()));
    }

    /** How the turn is delivered, for the job's summary line. */
    static String describe(AgentTurnDefinition t) {
        if (Boolean.FALSE.equals(t.deliver())) {
            return ", not delivered";
        }
        if (t.channel() != null) {
            return ", delivered to " + t.channel() + " " + t.to();
        }
        return Boolean.TRUE.equals(t.deliver()) ? ", delivered to the last route" : "";
    }

    private static String jsonEscape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '{', '}' -> sb.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}

package ai.clawfactory.worker.step.agentturn;

import ai.clawfactory.core.definition.OutputCheck;
import ai.clawfactory.worker.gateway.GatewayKinds;
import ai.clawfactory.worker.gateway.GatewayReply;
import ai.clawfactory.worker.http.GatewayException;
import ai.clawfactory.worker.secret.Redactor;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides whether a completed turn met its {@code expect:} check. An unmet check is an
 * {@link GatewayException.Category#AGENT_ERROR}: the agent ran but did not do what the step needs,
 * so a retry (per the step's policy) gets a new idempotency key and really runs the agent again,
 * and the attempt is recorded in the ledger as an agent error with the check's message.
 */
final class OutputChecks {

    /** How much of the output an unmet check quotes. */
    static final int QUOTE_CHARS = 200;
    /** Reply dispositions that mean the agent said nothing. */
    static final Set<String> NO_REPLY = Set.of("", "silent", "empty", "none", "no_reply", "noreply");

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private OutputChecks() {}

    /**
     * The reply when it meets the check (or there is none); throws an agent error naming the check
     * otherwise, quoting the output's start with every secret of {@code redactor} removed first.
     */
    static GatewayReply check(OutputCheck expect, String kind, String stepId, GatewayReply reply, Redactor redactor) {
        if (expect == null) {
            return reply;
        }
        String why = unmet(expect, kind, reply);
        if (why == null) {
            return reply;
        }
        throw new GatewayException(
                GatewayException.Category.AGENT_ERROR,
                "Output check of step '" + stepId + "' failed: " + why + "; the output starts: "
                        + quote(reply.output(), redactor),
                reply.httpStatus(),
                null,
                reply.runId());
    }

    /** Why the check is not met, or null. */
    static String unmet(OutputCheck expect, String kind, GatewayReply reply) {
        String out = reply.output() == null ? "" : reply.output();
        if (Boolean.TRUE.equals(expect.reply())) {
            String d = reply.replyDisposition();
            if (d != null && NO_REPLY.contains(d.trim().toLowerCase(Locale.ROOT))) {
                return "expected a reply (reply: true) but the gateway reports replyDisposition '" + d + "'";
            }
            if (d == null && reply.skipped()) {
                return "expected a reply (reply: true) but the agent skipped the turn";
            }
            if (d == null && GatewayKinds.OPENCLAW_HOOKS.equals(kind)) {
                return "expected a reply (reply: true) but the gateway's completion has no replyDisposition "
                        + "(an older gateway, or the run was not awaited)";
            }
            if (d == null && GatewayKinds.OPENAI_CHAT.equals(kind) && out.isBlank()) {
                return "expected a reply (reply: true) but the agent's answer is empty";
            }
        }
        if (Boolean.TRUE.equals(expect.json())) {
            if (out.isBlank()) {
                return "expected JSON output (json: true) but the output is empty";
            }
            try {
                JSON.readTree(out);
            } catch (JsonProcessingException e) {
                // Where, not what: the parser's message quotes the output, cut where it likes.
                JsonLocation at = e.getLocation();
                return "expected JSON output (json: true) but it does not parse"
                        + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
            } catch (IOException | RuntimeException e) {
                return "expected JSON output (json: true) but it does not parse";
            }
        }
        if (expect.contains() != null && !out.contains(expect.contains())) {
            return "expected the output to contain \"" + expect.contains() + "\"";
        }
        if (expect.matches() != null
                && !Pattern.compile(expect.matches()).matcher(out).find()) {
            return "expected the output to match /" + expect.matches() + "/";
        }
        return null;
    }

    static String quote(String output, Redactor redactor) {
        if (output == null || output.isEmpty()) {
            return "(empty)";
        }
        String s = redactor.shorten(output, QUOTE_CHARS);
        return "\"" + s.replace("\r", "\\r").replace("\n", "\\n") + "\"";
    }
}

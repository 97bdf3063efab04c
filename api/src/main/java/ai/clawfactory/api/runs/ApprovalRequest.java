package ai.clawfactory.api.runs;

import ai.clawfactory.api.problem.ApiProblem;
import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.media.Schema;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The body of {@code POST /api/v1/runs/{id}/approvals}: {@code {"step": "...", "decision":
 * "approve|reject", "note": "..."}}, read strictly (no other member, no duplicate key).
 */
@Schema(name = "ApprovalDecision", description = "A decision on a pending approval step")
record ApprovalRequest(
        @Schema(description = "The approval step; may be left out when exactly one is pending")
        String step,

        @Schema(
                description = "approve or reject",
                allowableValues = {"approve", "reject"},
                requiredMode = Schema.RequiredMode.REQUIRED)
        String decision,

        @Schema(description = "A note kept with the decision (data, at most 2 KiB)", maxLength = 2048)
        String note) {

    /** The longest note, in UTF-8 bytes (the run refuses longer ones too). */
    static final int MAX_NOTE_BYTES = 2048;

    private static final Set<String> MEMBERS = Set.of("step", "decision", "note");
    private static final String SHAPE =
            "{\"step\": \"...\", \"decision\": \"approve\" or \"reject\", \"note\": \"...\"}";

    /** Whether it approves. */
    boolean approves() {
        return "approve".equals(decision);
    }

    /** Reads and checks {@code body}; throws a problem naming the member at fault. */
    static ApprovalRequest read(String body) {
        JsonNode root = JsonBodies.object(body, MEMBERS, SHAPE, "'step', 'decision' and 'note'");
        String step = text(root, "step");
        String decision = text(root, "decision");
        if (!"approve".equals(decision) && !"reject".equals(decision)) {
            throw ApiProblem.badRequest("/decision", "'decision' is required: \"approve\" or \"reject\".");
        }
        String note = text(root, "note");
        if (note != null && note.getBytes(StandardCharsets.UTF_8).length > MAX_NOTE_BYTES) {
            throw ApiProblem.badRequest("/note", "'note' is over 2 KiB (" + MAX_NOTE_BYTES + " bytes); shorten it.");
        }
        return new ApprovalRequest(step, decision, note);
    }

    private static String text(JsonNode root, String member) {
        JsonNode n = root.get(member);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || n.asText().isEmpty()) {
            throw ApiProblem.badRequest("/" + member, "'" + member + "' must be non-empty text.");
        }
        return n.asText();
    }
}

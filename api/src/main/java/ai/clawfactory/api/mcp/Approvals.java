package ai.clawfactory.api.mcp;

import ai.clawfactory.api.runs.Decisions;
import ai.clawfactory.core.approval.Channels;
import ai.clawfactory.core.approval.Decision;
import ai.clawfactory.core.approval.DecisionResult;
import jakarta.inject.Singleton;

/**
 * Approve or reject a pending {@code approval} step through the same {@link Decisions} as the REST
 * route, on channel {@code mcp}: the run answers at once whether the decision counted, and a
 * refusal becomes the same problem (and so the same tool error text) as over REST.
 */
@Singleton
final class Approvals {

    private final Decisions decisions;

    Approvals(Decisions decisions) {
        this.decisions = decisions;
    }

    DecisionResult decide(String runId, String step, boolean approve, String note, String who) {
        return decisions.decide(runId, new Decision(step, approve, note, Channels.MCP, who));
    }
}

package ai.clawfactory.worker.step.approval;

import ai.clawfactory.core.WebUi;
import ai.clawfactory.core.WorkflowIds;
import ai.clawfactory.core.definition.StepKind;
import ai.clawfactory.worker.ledger.TurnAttempt;
import ai.clawfactory.worker.ledger.TurnLedger;
import ai.clawfactory.worker.step.TurnContext;
import ai.clawfactory.worker.step.attempt.Templates;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.annotation.Property;
import io.micronaut.core.annotation.Nullable;
import io.temporal.activity.Activity;
import jakarta.inject.Singleton;
import java.util.regex.Pattern;

/**
 * Approval steps' activities: the prompt rendered against the run (earlier outputs kept in the
 * ledger read from there), the link and command that decide it; the decision's ledger row (kind
 * {@code approval}; who, channel and note as data in its output, never rendered).
 */
@Singleton
public class ApprovalActivitiesImpl implements ApprovalActivities {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A shell word that needs no quotes. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._:/@%+=,-]+");

    /** The Web UI's address when ALERTS_UI_URL is not set (as {@code alerts.ui-url}'s default). */
    static final String DEFAULT_UI_URL = "http://localhost:8233";

    private final Templates templates;
    private final TurnLedger ledger;
    private final String uiUrl;

    public ApprovalActivitiesImpl(
            Templates templates, TurnLedger ledger, @Property(name = "alerts.ui-url") @Nullable String uiUrl) {
        this.templates = templates;
        this.ledger = ledger;
        this.uiUrl = uiUrl == null || uiUrl.isBlank() ? DEFAULT_UI_URL : uiUrl; // ALERTS_UI_URL
    }

    @Override
    public ApprovalOpened open(ApprovalInput in) {
        TurnContext c = in.context();
        String namespace = Activity.getExecutionContext().getInfo().getNamespace();
        return new ApprovalOpened(
                templates.render(in.prompt(), c),
                WebUi.runUrl(uiUrl, namespace, c.workflowId(), c.runId()),
                command(c.workflowId(), c.runId(), in.stepId()));
    }

    /** The {@code ./clawfactory approve} line that approves {@code step}, each word quoted for a POSIX shell where it needs it. */
    static String command(String workflowId, String runId, String step) {
        return "./clawfactory approve " + shellWord(runId) + " --workflow-id " + shellWord(workflowId) + " --step "
                + shellWord(step);
    }

    static String shellWord(String s) {
        return PLAIN.matcher(s).matches() ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    @Override
    public void record(ApprovalRecord r) {
        TurnContext c = r.context();
        String key = WorkflowIds.turnKey(c.workflowId(), c.runId(), r.stepId(), 0) + "/decision";
        TurnAttempt row = ledger.start(
                key, c.workflowId(), c.runId(), c.workflowType(), r.stepId(), 1, StepKind.APPROVAL.key(), r.prompt());
        String output;
        try {
            output = r.decision() == null ? null : JSON.writeValueAsString(r.decision());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write the decision of step '" + r.stepId() + "'", e);
        }
        ledger.finish(row, r.status(), null, null, output, r.error());
    }
}

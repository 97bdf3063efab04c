package ai.clawfactory.api.runs;

import ai.clawfactory.api.ledger.LedgerTurns;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.common.converter.DataConverter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A run as the API shows it. {@code progress} is the interpreter's {@code status} query while it
 * runs (current step, attempt, next wake time, the steps done); {@code result} the run's result
 * once completed; {@code failure} why it did not complete. A run's details (not a list's) add
 * {@code turns}, its attempts from the turn ledger (newest first, at most 200), or {@code ledger:
 * "unavailable"} when the API cannot read the ledger.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunView(
        String id,
        String runId,
        String type,
        String status,
        String startTime,
        String closeTime,
        String schedule,
        Long historyLength,
        Object progress,
        String progressUnavailable,
        Object result,
        FailureView failure,
        List<LedgerTurns.Turn> turns,
        String ledger) {

    /** Why a run did not complete: the failure's message and type (Temporal's reason for cancel/terminate). */
    public record FailureView(String message, String type) {}

    /** A run of a list: what visibility knows. */
    static RunView summary(WorkflowExecutionInfo info, DataConverter converter) {
        return new RunView(
                info.getExecution().getWorkflowId(),
                info.getExecution().getRunId(),
                info.getType().getName(),
                status(info.getStatus()),
                info.hasStartTime() ? instant(info.getStartTime()) : null,
                info.hasCloseTime() ? instant(info.getCloseTime()) : null,
                scheduledBy(info, converter),
                info.getHistoryLength() > 0 ? info.getHistoryLength() : null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    /** This view with the run's turns from the ledger, or {@code ledger} saying why there are none. */
    RunView withTurns(LedgerTurns.Turns t) {
        return copy(progress, progressUnavailable, result, failure, t.turns(), t.ledger());
    }

    RunView with(Object progress, String progressUnavailable, Object result, FailureView failure) {
        return copy(progress, progressUnavailable, result, failure, turns, ledger);
    }

    private RunView copy(
            Object progress,
            String progressUnavailable,
            Object result,
            FailureView failure,
            List<LedgerTurns.Turn> turns,
            String ledger) {
        return new RunView(
                id,
                runId,
                type,
                status,
                startTime,
                closeTime,
                schedule,
                historyLength,
                progress,
                progressUnavailable,
                result,
                failure,
                turns,
                ledger);
    }

    /** {@code running}, {@code completed}, ...: the names the list filter takes. */
    static String status(WorkflowExecutionStatus s) {
        return s.name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase(Locale.ROOT);
    }

    static String instant(com.google.protobuf.Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).toString();
    }

    /** The schedule that started the run (Temporal's own search attribute), or null. */
    private static String scheduledBy(WorkflowExecutionInfo info, DataConverter converter) {
        Payload p = info.getSearchAttributes().getIndexedFieldsMap().get("TemporalScheduledById");
        if (p == null) {
            return null;
        }
        try {
            return converter.fromPayload(p, String.class, String.class);
        } catch (RuntimeException e) {
            return null;
        }
    }
}

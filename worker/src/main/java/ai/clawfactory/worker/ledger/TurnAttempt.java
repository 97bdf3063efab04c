package ai.clawfactory.worker.ledger;

import io.micronaut.core.annotation.Creator;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/**
 * One attempt of a turn or HTTP step, as recorded in the ledger: a row of {@code turn_attempt}
 * (db/migration/V1__turn_ledger.sql; each component is the column of the same name in snake case).
 * The worker assigns the id (a UUID) before the insert.
 *
 * @param turnKey   the idempotency key sent to the gateway
 * @param status    running, ok, skipped, agent_error, transient_error, permanent_error, invalid, cancelled,
 *                  abandoned (left running by a worker that stopped; never counts as completed)
 * @param startedAt epoch milliseconds
 * @param request   the body sent (never the token)
 * @param output    the full output text
 * @param bundle    a command step's execution bundle (its folder, on the host that ran it), else null
 *                  (db/migration/V2__command_bundle.sql)
 */
@MappedEntity("turn_attempt")
public record TurnAttempt(
        @Id String id,
        String turnKey,
        String workflowId,
        String runId,
        String workflowType,
        String stepId,
        int attempt,
        String kind,
        String status,
        @Nullable Integer httpStatus,
        @Nullable String gatewayRunId,
        long startedAt,
        @Nullable Long durationMs,
        @Nullable String request,
        @Nullable String output,
        @Nullable String error,
        @Nullable String bundle) {

    @Creator
    public TurnAttempt {}

    /** A row without a bundle (every kind but {@code command}). */
    public TurnAttempt(
            String id,
            String turnKey,
            String workflowId,
            String runId,
            String workflowType,
            String stepId,
            int attempt,
            String kind,
            String status,
            Integer httpStatus,
            String gatewayRunId,
            long startedAt,
            Long durationMs,
            String request,
            String output,
            String error) {
        this(
                id,
                turnKey,
                workflowId,
                runId,
                workflowType,
                stepId,
                attempt,
                kind,
                status,
                httpStatus,
                gatewayRunId,
                startedAt,
                durationMs,
                request,
                output,
                error,
                null);
    }

    public static final String RUNNING = "running";
    public static final String OK = "ok";
    public static final String SKIPPED = "skipped";
    public static final String AGENT_ERROR = "agent_error";
    public static final String TRANSIENT_ERROR = "transient_error";
    public static final String PERMANENT_ERROR = "permanent_error";
    public static final String INVALID = "invalid";
    public static final String CANCELLED = "cancelled";
    public static final String ABANDONED = "abandoned";

    /** This attempt, finished. */
    public TurnAttempt finish(
            String newStatus, Integer http, String gatewayRun, long duration, String out, String err) {
        return new TurnAttempt(
                id,
                turnKey,
                workflowId,
                runId,
                workflowType,
                stepId,
                attempt,
                kind,
                newStatus,
                http,
                gatewayRun,
                startedAt,
                duration,
                request,
                out,
                err,
                bundle);
    }
}

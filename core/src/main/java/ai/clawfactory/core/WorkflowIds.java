package ai.clawfactory.core;

import java.util.Locale;

/** Small helpers that derive the ids that cross processes. */
public final class WorkflowIds {

    private WorkflowIds() {}

    /**
     * The idempotency key of one step of one run: stable across activity retries and worker
     * restarts, different for every run and step. {@code generation} grows when a settled error
     * should really be run again rather than replayed by the gateway.
     */
    public static String turnKey(String workflowId, String runId, String stepId, int generation) {
        String key = workflowId + "/" + runId + "/" + stepId + (generation > 0 ? "#" + generation : "");
        if (key.length() <= 256) {
            return key;
        }
        // The gateway caps Idempotency-Key at 256 characters; keep the tail (run + step) intact.
        String tail = "/" + runId + "/" + stepId + (generation > 0 ? "#" + generation : "");
        int keep = Math.max(0, 256 - tail.length() - 9);
        String hash = Integer.toHexString(workflowId.hashCode());
        return workflowId.substring(0, Math.min(keep, workflowId.length())) + "~" + hash + tail;
    }

    /**
     * The id one item of a fan-out runs under, {@code research[2]} (0-based): its ledger rows and
     * idempotency key ({@link #turnKey}) are its own, so a crash during a fan-out sends no item
     * twice. Step ids cannot hold brackets, so it never names another step; a step without a
     * fan-out keeps its own id, and its key stays what it always was.
     */
    public static String itemStepId(String stepId, int index) {
        return stepId + "[" + index + "]";
    }

    /** Default schedule id for a workflow type with no explicit id: kebab-case plus "-schedule". */
    public static String defaultScheduleId(String workflowType) {
        String kebab = workflowType.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
        return kebab + "-schedule";
    }

    /** Prefix of alert workflow ids. */
    public static final String ALERTS_PREFIX = "clawfactory-alerts/";

    /** The id of the alert workflow of a workflow type: {@code clawfactory-alerts/<type>}. */
    public static String alertsWorkflowId(String workflowType) {
        return ALERTS_PREFIX + workflowType;
    }

    /**
     * The workflow id of a re-run of {@code workflowId} started at {@code epochMillis}:
     * {@code <workflow id>-rerun-<epoch millis>}, a re-run of a re-run replacing the old suffix
     * rather than adding one.
     */
    public static String rerunWorkflowId(String workflowId, long epochMillis) {
        return workflowId.replaceFirst("-rerun-[0-9]+$", "") + "-rerun-" + epochMillis;
    }
}

package ai.clawfactory.core;

/**
 * Names that cross process boundaries: the worker, the schedules CLI, the Temporal UI and the
 * {@code temporal} CLI must all agree on them, so they live in one place.
 */
public final class Names {

    /** The task queue the worker polls and every schedule starts workflows on. */
    public static final String TASK_QUEUE = "clawfactory";

    /** Namespace of the local dev server, and the default namespace of the worker and the schedules CLI. */
    public static final String NAMESPACE = "default";

    /** Default Temporal frontend (host:port) of the worker and the schedules CLI: the local dev server. */
    public static final String DEFAULT_ADDRESS = "127.0.0.1:7233";

    /** Client identity of the schedules CLI, shown by Temporal for the schedules it writes. */
    public static final String IDENTITY_SCHEDULES = "clawfactory-schedules";

    /** Memo key: name of the definition a run executes. */
    public static final String MEMO_DEFINITION = "clawfactory.definition";

    /** Memo key: content hash (version) of the definition a run executes. */
    public static final String MEMO_DEFINITION_VERSION = "clawfactory.definitionVersion";

    /** Memo key on a schedule: who manages it. */
    public static final String MEMO_MANAGED_BY = "clawfactory.managedBy";

    /** Memo value for {@link #MEMO_MANAGED_BY}. */
    public static final String MANAGED_BY_VALUE = "clawfactory-schedules";

    /** Memo key on a schedule: content hash of its declared spec. */
    public static final String MEMO_SPEC_HASH = "clawfactory.specHash";

    /** Memo key on a schedule: the canonical spec text, so a sync can say what changed. */
    public static final String MEMO_SPEC = "clawfactory.spec";

    /** Memo key on a schedule (and on the runs it starts): the definition file that declares it. */
    public static final String MEMO_SOURCE = "clawfactory.source";

    /** Memo key on runs started by a managed schedule: the schedule's id. */
    public static final String MEMO_SCHEDULE = "clawfactory.schedule";

    /** Search attribute (Keyword): the definition a run executes; filter in the UI with {@code ClawfactoryDefinition = "…"}. */
    public static final String SEARCH_ATTRIBUTE_DEFINITION = "ClawfactoryDefinition";

    /** Search attribute (Keyword): the version (content hash) of that definition. */
    public static final String SEARCH_ATTRIBUTE_DEFINITION_VERSION = "ClawfactoryDefinitionVersion";

    /** Query returning the interpreter's current status. */
    public static final String QUERY_STATUS = "status";

    /** Signal ending the current wait early. */
    public static final String SIGNAL_SKIP_WAIT = "skipWait";

    /**
     * Update deciding a pending {@code approval} step (argument {@code approval.Decision}, answer
     * {@code approval.DecisionResult}). An Update, not a signal: the caller learns at once whether
     * the decision counted (no such step, already decided, timed out, channel not allowed).
     */
    public static final String UPDATE_DECIDE = "decide";

    /** Activity type of an agent turn. */
    public static final String ACTIVITY_AGENT_TURN = "AgentTurn";

    /** Activity type of a plain HTTP call. */
    public static final String ACTIVITY_HTTP_CALL = "HttpCall";

    /** Activity type of a wake of the gateway's main session ({@code POST /hooks/wake}). */
    public static final String ACTIVITY_WAKE = "Wake";

    /** Activity type of one attempt of a {@code command} step (a program run without a shell). */
    public static final String ACTIVITY_COMMAND = "Command";

    /** Task queue prefix of agent hosts: a {@code command} step with {@code host: NAME} is sent to {@code clawfactory-agent-NAME}. */
    public static final String AGENT_TASK_QUEUE_PREFIX = "clawfactory-agent-";

    /** Local activity type that pins a definition into history at start. */
    public static final String ACTIVITY_LOAD_DEFINITION = "LoadDefinition";

    /** Workflow type of the long-lived alert workflow, one per alerted workflow type (id {@code clawfactory-alerts/<type>}). */
    public static final String WORKFLOW_ALERTS = "ClawfactoryAlerts";

    /** Signal to the alert workflow: a run of its type ended (success or failure). */
    public static final String SIGNAL_RUN_ENDED = "runEnded";

    /** Query of the alert workflow: its state (consecutive failures, last alert). */
    public static final String QUERY_ALERT_STATE = "alertState";

    /** Activity type: a run tells its type's alert workflow how it ended (signal-with-start). */
    public static final String ACTIVITY_REPORT_RUN = "ReportRun";

    /**
     * Local activity type of the alert workflow: checks a report against the worker's own
     * definitions and returns the alerts block to use (never one from the report).
     */
    public static final String ACTIVITY_CHECK_REPORT = "CheckRunReport";

    /** Failure type: the requested workflow type has no definition. */
    public static final String FAILURE_UNKNOWN_WORKFLOW_TYPE = "UnknownWorkflowType";

    /** Failure type: the file that declares the requested workflow type is invalid. */
    public static final String FAILURE_INVALID_DEFINITION = "InvalidDefinition";

    /** Failure type: the workflow input is not what the definition takes. */
    public static final String FAILURE_INVALID_INPUT = "InvalidInput";

    /** Failure type: a step failed and the workflow stopped there. */
    public static final String FAILURE_STEP_FAILED = "StepFailed";

    /**
     * Failure type: a retryable failure of a gateway turn or HTTP step (408, 429, 5xx, timeouts,
     * resets, malformed answers); its first detail may carry the Retry-After delay.
     */
    public static final String FAILURE_GATEWAY_TRANSIENT = "GatewayTransientError";

    /** Failure type: a gateway answer that retrying cannot change (4xx other than 408/429). */
    public static final String FAILURE_GATEWAY_PERMANENT = "GatewayPermanentError";

    /** Failure type: the gateway ran the turn and reported it failed. */
    public static final String FAILURE_AGENT_RUN = "AgentRunFailed";

    /** Failure type: a request the gateway would refuse (too large, bad template). */
    public static final String FAILURE_INVALID_REQUEST = "InvalidTurnRequest";

    /** Failure type: the gateway is misconfigured on our side (e.g. the token file is missing). */
    public static final String FAILURE_CONFIGURATION = "ConfigurationError";

    /**
     * An attempt that gave up on the turn ledger (disk full, read-only, locked past the busy
     * timeout, database away) after retrying it inside the attempt; retryable, never before the
     * gateway's answer was kept for the next attempt.
     */
    public static final String FAILURE_LEDGER = "LedgerFault";

    /** Memo key on a re-run ({@code rerun RUN_ID --from STEP}): the workflow id of the run it re-runs. */
    public static final String MEMO_RERUN_OF = "clawfactory.rerunOf";

    /** Memo key on a re-run: the run id of the run it re-runs. */
    public static final String MEMO_RERUN_OF_RUN = "clawfactory.rerunOfRun";

    /** Memo key on a re-run: the step it runs from (the steps before it are carried over). */
    public static final String MEMO_RERUN_FROM = "clawfactory.rerunFrom";

    /**
     * Search attribute (Keyword) on a re-run: the run id of the run it re-runs; find a run's re-runs
     * with {@code ClawfactoryRerunOf = "<run id>"}. Set only where the namespace has it.
     */
    public static final String SEARCH_ATTRIBUTE_RERUN_OF = "ClawfactoryRerunOf";

    /**
     * Search attribute (Keyword) on a schedule made by {@code schedules sync}: its content hash (as
     * {@link #MEMO_SPEC_HASH}), so that a sync learns what changed from one listing instead of
     * describing every schedule. Set only where the namespace has it.
     */
    public static final String SEARCH_ATTRIBUTE_SPEC_HASH = "ClawfactorySpecHash";

    /**
     * Local activity type of a re-run: checks the old run and returns the results of the steps
     * before the re-run's first step, recorded in the new run's history.
     */
    public static final String ACTIVITY_CARRY_OVER = "CarryOver";

    /** Failure type: a re-run that cannot go on (the old run, its steps or its definition version are not what a re-run needs). */
    public static final String FAILURE_RERUN_REFUSED = "RerunRefused";

    private Names() {}
}

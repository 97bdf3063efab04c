package ai.clawfactory.core.approval;

/**
 * The {@code ApplicationFailure} types with which the decide Update's validator refuses a decision
 * that does not count; the API maps them to problem+json statuses (in brackets).
 */
public final class Refusals {

    private Refusals() {}

    /** No approval step of that id is pending, or none at all (404). */
    public static final String NO_SUCH_APPROVAL = "NoSuchApproval";

    /** No step was named and several approvals are pending (409). */
    public static final String AMBIGUOUS = "AmbiguousApproval";

    /** The step was already decided (409). */
    public static final String ALREADY_DECIDED = "AlreadyDecided";

    /** The step's timeout passed before the decision (409). */
    public static final String TIMED_OUT = "ApprovalTimedOut";

    /** The step's {@code by:} does not accept this channel (403). */
    public static final String CHANNEL_NOT_ALLOWED = "ChannelNotAllowed";

    /** The argument is malformed, e.g. an unknown channel or a note over 2 KiB (400). */
    public static final String BAD_DECISION = "BadDecision";
}

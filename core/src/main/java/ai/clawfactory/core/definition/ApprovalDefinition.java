package ai.clawfactory.core.definition;

import ai.clawfactory.core.approval.Channels;
import java.time.Duration;
import java.util.List;

/**
 * A step that waits for a person to approve or reject it (the {@code decide} Update, see
 * {@code core.approval}). Written into history with the definition: it only ever gains components.
 *
 * @param prompt    what the person is asked (a template, rendered when the step starts)
 * @param timeout   how long the step waits for a decision
 * @param onTimeout what a timeout means: {@code fail} (the default), {@code reject} or {@code approve}
 * @param by        the channels a decision may come through ({@link Channels}); null means
 *                  {@link Channels#DEFAULT_BY}
 * @param notification an agent turn or HTTP call that tells someone, before the wait (YAML key {@code notify}); null for none.
 *                  Its templates may also read {@code {{approval.link}}}, {@code {{approval.command}}}
 *                  and {@code {{approval.prompt}}}
 */
public record ApprovalDefinition(
        String prompt, Duration timeout, String onTimeout, List<String> by, AlertAction notification)
        implements StepAction {

    /** {@code onTimeout: fail}: the step fails when no one decided in time. */
    public static final String ON_TIMEOUT_FAIL = "fail";
    /** {@code onTimeout: reject}: a timeout counts as a rejection. */
    public static final String ON_TIMEOUT_REJECT = "reject";
    /** {@code onTimeout: approve}: a timeout counts as an approval. */
    public static final String ON_TIMEOUT_APPROVE = "approve";

    /** The longest an approval may wait. */
    public static final Duration MAX_TIMEOUT = Duration.ofDays(30);

    /** What {@code {{approval.*}}} may read in a {@code notify:} block. */
    public static final List<String> NOTIFY_FIELDS = List.of("link", "command", "prompt");

    @Override
    public StepKind kind() {
        return StepKind.APPROVAL;
    }

    /** The channels that may decide: {@code by}, or {@link Channels#DEFAULT_BY} when none is written. */
    public List<String> channels() {
        return by == null ? Channels.DEFAULT_BY : by;
    }

    /** What a timeout means: {@code onTimeout}, or {@code fail} when none is written. */
    public String timeoutMeans() {
        return onTimeout == null ? ON_TIMEOUT_FAIL : onTimeout;
    }
}

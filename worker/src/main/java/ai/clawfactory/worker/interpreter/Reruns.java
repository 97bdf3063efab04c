package ai.clawfactory.worker.interpreter;

import ai.clawfactory.core.Names;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/** Workflow code of a re-run's start: the memo read, the one local activity, a refusal as the run's failure. */
final class Reruns {

    private Reruns() {}

    /** Whether this run's memo asks for a re-run (it names a run, in whatever form: checked later). */
    static boolean requested() {
        return Workflow.getMemo(Names.MEMO_RERUN_OF, Object.class, Object.class) != null;
    }

    /**
     * A memo value as text, or null when absent or not text (a memo is written by whoever starts
     * the run: reading an object as a String would fail every workflow task instead of the run).
     */
    private static String memo(String key) {
        return Workflow.getMemo(key, Object.class, Object.class) instanceof String s ? s : null;
    }

    /**
     * What the re-run this run's memo asks for carries over ({@link RerunActivities}, recorded in
     * history); fails the run with {@link Names#FAILURE_RERUN_REFUSED} when the old run does not allow it.
     */
    static CarriedOver carryOver(String workflowType) {
        CarryOverRequest request = new CarryOverRequest(
                workflowType, memo(Names.MEMO_RERUN_OF), memo(Names.MEMO_RERUN_OF_RUN), memo(Names.MEMO_RERUN_FROM));
        LocalActivityOptions options = LocalActivityOptions.newBuilder()
                // A closed run answers the status query by a replay of its whole history.
                .setStartToCloseTimeout(Duration.ofSeconds(60))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
                .setSummary("load the definition of " + workflowType + " and carry over the old run's results")
                .build();
        CarriedOver over =
                Workflow.newLocalActivityStub(RerunActivities.class, options).carryOver(request);
        if (over.refusal() != null) {
            throw ApplicationFailure.newNonRetryableFailure(over.refusal(), Names.FAILURE_RERUN_REFUSED);
        }
        return over;
    }
}

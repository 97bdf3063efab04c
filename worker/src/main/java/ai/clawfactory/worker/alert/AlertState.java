package ai.clawfactory.worker.alert;

import java.util.ArrayList;
import java.util.List;

/**
 * What the alert workflow of a type remembers; carried across continue-as-new. Only ever gains fields.
 *
 * @param workflowType        the type whose runs it watches
 * @param consecutiveFailures failed runs since the last success
 * @param lastAlertMillis     when the last failure alert was sent (workflow time), null if never
 * @param alerted             a failure alert was sent since the last success (a success then sends one recovery notice)
 * @param lastFailure         the latest failed run (for {@code failure.*} in a recovery notice), null after a success
 * @param recentRuns          run ids already counted (a report that is retried or repeated is counted once)
 * @param pending             reports received but not yet handled (carried across continue-as-new)
 * @param alertsSent          failure alerts sent in all
 * @param recoveriesSent      recovery notices sent in all
 * @param suppressed          failures not announced (below {@code after}, inside the cooldown, or a failed send)
 */
public record AlertState(
        String workflowType,
        int consecutiveFailures,
        Long lastAlertMillis,
        boolean alerted,
        RunOutcome lastFailure,
        List<String> recentRuns,
        List<RunOutcome> pending,
        int alertsSent,
        int recoveriesSent,
        int suppressed) {

    /** How many run ids are remembered for de-duplication. */
    static final int RECENT_RUNS = 64;

    public static AlertState initial(String workflowType) {
        return new AlertState(workflowType, 0, null, false, null, List.of(), List.of(), 0, 0, 0);
    }

    boolean seen(String runId) {
        return recentRuns != null && recentRuns.contains(runId);
    }

    AlertState remember(String runId) {
        List<String> r = new ArrayList<>(recentRuns == null ? List.of() : recentRuns);
        r.add(runId);
        while (r.size() > RECENT_RUNS) {
            r.remove(0);
        }
        return new AlertState(
                workflowType,
                consecutiveFailures,
                lastAlertMillis,
                alerted,
                lastFailure,
                List.copyOf(r),
                pending,
                alertsSent,
                recoveriesSent,
                suppressed);
    }

    AlertState failed(RunOutcome o) {
        return new AlertState(
                workflowType,
                consecutiveFailures + 1,
                lastAlertMillis,
                alerted,
                o.slim(),
                recentRuns,
                pending,
                alertsSent,
                recoveriesSent,
                suppressed);
    }

    AlertState alertSent(long now) {
        return new AlertState(
                workflowType,
                consecutiveFailures,
                now,
                true,
                lastFailure,
                recentRuns,
                pending,
                alertsSent + 1,
                recoveriesSent,
                suppressed);
    }

    AlertState suppressedOne() {
        return new AlertState(
                workflowType,
                consecutiveFailures,
                lastAlertMillis,
                alerted,
                lastFailure,
                recentRuns,
                pending,
                alertsSent,
                recoveriesSent,
                suppressed + 1);
    }

    AlertState succeeded(boolean noticeSent) {
        return new AlertState(
                workflowType,
                0,
                lastAlertMillis,
                false,
                null,
                recentRuns,
                pending,
                alertsSent,
                recoveriesSent + (noticeSent ? 1 : 0),
                suppressed);
    }

    AlertState withPending(List<RunOutcome> p) {
        return new AlertState(
                workflowType,
                consecutiveFailures,
                lastAlertMillis,
                alerted,
                lastFailure,
                recentRuns,
                List.copyOf(p),
                alertsSent,
                recoveriesSent,
                suppressed);
    }
}

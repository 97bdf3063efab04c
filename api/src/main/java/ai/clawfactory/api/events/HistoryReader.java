package ai.clawfactory.api.events;

import ai.clawfactory.core.approval.DecisionResult;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.converter.DataConverter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a run's history events, in order, into {@link StepEvent}s. It sees every event (so a
 * started or failed attempt finds its step through the scheduled event, even on a resumed
 * stream) and answers null for those that are no step event (workflow tasks, markers, ...).
 * Texts come from history only: summaries, failure messages, the signal's name; no payload.
 */
final class HistoryReader {

    private record Scheduled(String step, String summary, String type) {}

    private final DataConverter converter;
    private final Map<Long, Scheduled> scheduled = new HashMap<>();
    private final Map<Long, Scheduled> timers = new HashMap<>();
    /** The timers that are an approval step's wait for a decision, by their started event id. */
    private final Map<Long, String> approvals = new HashMap<>();

    HistoryReader(DataConverter converter) {
        this.converter = converter;
    }

    /** True for the event that ends a run. */
    static boolean closes(HistoryEvent e) {
        EventType t = e.getEventType();
        return t == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED
                || t == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED
                || t == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED
                || t == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED
                || t == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT
                || t == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW;
    }

    StepEvent read(HistoryEvent e) {
        long id = e.getEventId();
        String time = Instant.ofEpochSecond(
                        e.getEventTime().getSeconds(), e.getEventTime().getNanos())
                .toString();
        switch (e.getEventType()) {
            case EVENT_TYPE_WORKFLOW_EXECUTION_STARTED -> {
                return StepEvent.of(id, "run.started", time);
            }
            case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> {
                String summary = summary(e);
                Scheduled s = new Scheduled(
                        stepOf(summary),
                        summary,
                        e.getActivityTaskScheduledEventAttributes()
                                .getActivityType()
                                .getName());
                scheduled.put(id, s);
                return StepEvent.of(id, "step.scheduled", time)
                        .step(s.step(), s.summary())
                        .activity(s.type(), null);
            }
            case EVENT_TYPE_ACTIVITY_TASK_STARTED -> {
                var a = e.getActivityTaskStartedEventAttributes();
                return ofActivity(id, "step.started", time, a.getScheduledEventId())
                        .activity(typeOf(a.getScheduledEventId()), a.getAttempt());
            }
            case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> {
                return ofActivity(
                        id,
                        "step.completed",
                        time,
                        e.getActivityTaskCompletedEventAttributes().getScheduledEventId());
            }
            case EVENT_TYPE_ACTIVITY_TASK_FAILED -> {
                var a = e.getActivityTaskFailedEventAttributes();
                var f = a.getFailure();
                return ofActivity(id, "step.attemptFailed", time, a.getScheduledEventId())
                        .failure(
                                f.getMessage(),
                                f.hasApplicationFailureInfo()
                                        ? f.getApplicationFailureInfo().getType()
                                        : null);
            }
            case EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT -> {
                var a = e.getActivityTaskTimedOutEventAttributes();
                return ofActivity(id, "step.attemptFailed", time, a.getScheduledEventId())
                        .failure(a.getFailure().getMessage(), "TimedOut");
            }
            case EVENT_TYPE_ACTIVITY_TASK_CANCELED -> {
                return ofActivity(
                        id,
                        "step.canceled",
                        time,
                        e.getActivityTaskCanceledEventAttributes().getScheduledEventId());
            }
            case EVENT_TYPE_TIMER_STARTED -> {
                var a = e.getTimerStartedEventAttributes();
                String summary = summary(e);
                timers.put(id, new Scheduled(stepOf(summary), summary, null));
                Duration fire = Duration.ofSeconds(
                        a.getStartToFireTimeout().getSeconds(),
                        a.getStartToFireTimeout().getNanos());
                Instant until = Instant.ofEpochSecond(
                                e.getEventTime().getSeconds(), e.getEventTime().getNanos())
                        .plus(fire);
                if (summary != null && summary.startsWith(stepOf(summary) + APPROVAL_SUMMARY)) {
                    // An approval step waiting for a decision (its timer is the timeout).
                    approvals.put(id, stepOf(summary));
                    return StepEvent.of(id, "approval.requested", time)
                            .step(stepOf(summary), summary)
                            .waiting(until.toString(), false);
                }
                return StepEvent.of(id, "step.waiting", time)
                        .step(stepOf(summary), summary)
                        .waiting(until.toString(), summary != null && summary.contains(": retry in "));
            }
            case EVENT_TYPE_TIMER_FIRED -> {
                long started = e.getTimerFiredEventAttributes().getStartedEventId();
                if (approvals.containsKey(started)) {
                    return StepEvent.of(id, "approval.timedOut", time).step(approvals.get(started), null);
                }
                Scheduled s = timers.get(started);
                return StepEvent.of(id, "step.waited", time).step(s == null ? null : s.step(), null);
            }
            case EVENT_TYPE_TIMER_CANCELED -> {
                long started = e.getTimerCanceledEventAttributes().getStartedEventId();
                if (approvals.containsKey(started)) {
                    return null; // decided: approval.decided said so
                }
                Scheduled s = timers.get(started);
                return StepEvent.of(id, "step.waitSkipped", time).step(s == null ? null : s.step(), null);
            }
            case EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED -> {
                // The decide Update's answer: the step and approved/rejected; who and the note stay in
                // the history and the ledger (GET /api/v1/runs/{id} shows the step's output).
                var outcome =
                        e.getWorkflowExecutionUpdateCompletedEventAttributes().getOutcome();
                if (!outcome.hasSuccess()) {
                    return null;
                }
                try {
                    DecisionResult r = converter.fromPayloads(
                            0, Optional.of(outcome.getSuccess()), DecisionResult.class, DecisionResult.class);
                    return r == null || r.step() == null
                            ? null
                            : StepEvent.of(id, "approval.decided", time)
                                    .step(r.step(), null)
                                    .ended(r.decision());
                } catch (RuntimeException ex) {
                    return null; // not a decision
                }
            }
            case EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED -> {
                return StepEvent.of(id, "run.signaled", time)
                        .signal(e.getWorkflowExecutionSignaledEventAttributes().getSignalName());
            }
            case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> {
                return StepEvent.of(id, "run.ended", time).ended("completed");
            }
            case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> {
                var f = e.getWorkflowExecutionFailedEventAttributes().getFailure();
                return StepEvent.of(id, "run.ended", time)
                        .ended("failed")
                        .failure(
                                f.getMessage(),
                                f.hasApplicationFailureInfo()
                                        ? f.getApplicationFailureInfo().getType()
                                        : null);
            }
            case EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED -> {
                return StepEvent.of(id, "run.ended", time).ended("canceled");
            }
            case EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED -> {
                return StepEvent.of(id, "run.ended", time).ended("terminated");
            }
            case EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT -> {
                return StepEvent.of(id, "run.ended", time).ended("timed_out");
            }
            case EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW -> {
                return StepEvent.of(id, "run.ended", time).ended("continued_as_new");
            }
            default -> {
                return null;
            }
        }
    }

    private StepEvent ofActivity(long id, String event, String time, long scheduledId) {
        Scheduled s = scheduled.get(scheduledId);
        return StepEvent.of(id, event, time).step(s == null ? null : s.step(), null);
    }

    private String typeOf(long scheduledId) {
        Scheduled s = scheduled.get(scheduledId);
        return s == null ? null : s.type();
    }

    /** The event's summary (user metadata, as the Web UI shows it), or null. */
    private String summary(HistoryEvent e) {
        if (!e.hasUserMetadata() || !e.getUserMetadata().hasSummary()) {
            return null;
        }
        Payload p = e.getUserMetadata().getSummary();
        try {
            return converter.fromPayload(p, String.class, String.class);
        } catch (RuntimeException ex) {
            return null;
        }
    }

    /** What follows the step's id in the summary of an approval's timer ({@code publish: approval by cli/api within 1d}). */
    private static final String APPROVAL_SUMMARY = ": approval by ";

    /** Every summary the interpreter writes starts with the step's id and ": ". */
    private static String stepOf(String summary) {
        if (summary == null) {
            return null;
        }
        int colon = summary.indexOf(": ");
        return colon > 0 ? summary.substring(0, colon) : null;
    }
}

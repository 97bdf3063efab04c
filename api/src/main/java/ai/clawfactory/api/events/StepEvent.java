package ai.clawfactory.api.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One event of a run's stream, from one history event (its id is the SSE {@code id:}).
 *
 * @param event   {@code run.started}, {@code step.scheduled}, {@code step.started},
 *                {@code step.completed}, {@code step.attemptFailed}, {@code step.waiting} (a wait
 *                step, or the backoff before the next attempt with {@code retry} true),
 *                {@code step.waited}, {@code step.waitSkipped}, {@code step.canceled},
 *                {@code run.signaled}, {@code approval.requested} (an approval step waits for a
 *                decision {@code until} its timeout), {@code approval.decided} ({@code status}
 *                approved or rejected), {@code approval.timedOut}, {@code run.ended}
 * @param step    the step's id, when the event belongs to one
 * @param summary the step's line as the Web UI shows it
 * @param until   when a wait or backoff ends (ISO-8601)
 * @param status  how the run ended ({@code run.ended}: completed, failed, canceled, terminated, timed_out),
 *                or the decision ({@code approval.decided}: approved, rejected)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepEvent(
        long id,
        String event,
        String time,
        String step,
        String summary,
        String activityType,
        Integer attempt,
        String until,
        Boolean retry,
        String message,
        String failureType,
        String signal,
        String status) {

    static StepEvent of(long id, String event, String time) {
        return new StepEvent(id, event, time, null, null, null, null, null, null, null, null, null, null);
    }

    StepEvent step(String step, String summary) {
        return new StepEvent(
                id,
                event,
                time,
                step,
                summary,
                activityType,
                attempt,
                until,
                retry,
                message,
                failureType,
                signal,
                status);
    }

    StepEvent activity(String type, Integer attempt) {
        return new StepEvent(
                id, event, time, step, summary, type, attempt, until, retry, message, failureType, signal, status);
    }

    StepEvent waiting(String until, boolean retry) {
        return new StepEvent(
                id,
                event,
                time,
                step,
                summary,
                activityType,
                attempt,
                until,
                retry,
                message,
                failureType,
                signal,
                status);
    }

    StepEvent failure(String message, String type) {
        return new StepEvent(
                id, event, time, step, summary, activityType, attempt, until, retry, message, type, signal, status);
    }

    StepEvent signal(String name) {
        return new StepEvent(
                id,
                event,
                time,
                step,
                summary,
                activityType,
                attempt,
                until,
                retry,
                message,
                failureType,
                name,
                status);
    }

    StepEvent ended(String status) {
        return new StepEvent(
                id,
                event,
                time,
                step,
                summary,
                activityType,
                attempt,
                until,
                retry,
                message,
                failureType,
                signal,
                status);
    }
}

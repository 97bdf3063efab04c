package ai.clawfactory.worker.step.approval;

import ai.clawfactory.core.approval.Channels;
import ai.clawfactory.core.approval.Decision;
import ai.clawfactory.core.approval.DecisionResult;
import ai.clawfactory.core.approval.Refusals;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowLocal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The approvals of one run: every approval step that opened, pending, decided or timed out. The
 * runner opens one and waits for it; the interpreter's {@code decide} Update validates a
 * {@link Decision} against it ({@link #validate}: refused with one of {@link Refusals}) and applies
 * it ({@link #decide}). Workflow state, not a command: reading or changing it issues nothing.
 */
public final class Approvals {

    /** The longest note a decision may carry, in UTF-8 bytes (2 KiB). */
    public static final int MAX_NOTE_BYTES = 2048;
    /** The longest {@code who} a decision may name. */
    public static final int MAX_WHO_CHARS = 200;

    private static final WorkflowLocal<Approvals> RUN = WorkflowLocal.withCachedInitial(Approvals::new);

    private final Map<String, Entry> byStep = new LinkedHashMap<>();

    /** The approvals of the run this workflow code belongs to. */
    public static Approvals current() {
        return RUN.get();
    }

    /** Where one approval stands. */
    enum State {
        PENDING,
        DECIDED,
        TIMED_OUT
    }

    /** One approval step of the run. */
    static final class Entry {
        final String step;
        final String prompt;
        final Instant deadline;
        final List<String> by;
        State state = State.PENDING;
        DecisionResult result;

        Entry(String step, String prompt, Instant deadline, List<String> by) {
            this.step = step;
            this.prompt = prompt;
            this.deadline = deadline;
            this.by = by;
        }

        boolean decided() {
            return state == State.DECIDED;
        }
    }

    /** Step {@code step} waits for a decision until {@code deadline}, from the channels {@code by}. */
    Entry open(String step, String prompt, Instant deadline, List<String> by) {
        Entry e = new Entry(step, prompt, deadline, List.copyOf(by));
        byStep.put(step, e);
        return e;
    }

    /** Nobody decided {@code e} in time: later decisions are refused as {@link Refusals#TIMED_OUT}. */
    void timedOut(Entry e) {
        if (e.state == State.PENDING) {
            e.state = State.TIMED_OUT;
        }
    }

    /** The approvals pending now, in the order they opened, as the {@code status} query shows them. */
    public List<PendingApproval> pending() {
        return byStep.values().stream()
                .filter(e -> e.state == State.PENDING)
                .map(e -> new PendingApproval(e.step, e.prompt, e.deadline.toString(), e.by))
                .toList();
    }

    /**
     * Refuses a decision that would not count: throws {@link RefusedDecision}, whose cause is an
     * {@code ApplicationFailure} of a {@link Refusals} type. The Java SDK turns an
     * {@code ApplicationFailure} thrown by an Update validator into one of type
     * {@code WorkflowExecutionException} (its type lost); any other exception travels with its
     * cause chain, so the caller finds the refusal's type in the chain (core's {@code RefusalOf}).
     */
    public void validate(Decision d) {
        try {
            entryFor(d);
        } catch (ApplicationFailure f) {
            throw new RefusedDecision(f);
        }
    }

    /** A refused decision, as an Update validator throws it: its cause is the typed refusal. */
    public static final class RefusedDecision extends RuntimeException {
        RefusedDecision(ApplicationFailure refusal) {
            super(refusal.getOriginalMessage(), refusal);
        }
    }

    /** Applies a decision that counts (validated again: the state may have moved since) and returns it as recorded. */
    public DecisionResult decide(Decision d) {
        Entry e = entryFor(d);
        e.state = State.DECIDED;
        e.result = new DecisionResult(
                e.step,
                d.approve() ? "approved" : "rejected",
                channelOf(d),
                d.who() == null || d.who().isBlank() ? "someone unnamed" : d.who(),
                d.note(),
                Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString());
        return e.result;
    }

    /** The channel a decision came through: a raw Update without one is the Temporal CLI's or Web UI's. */
    static String channelOf(Decision d) {
        return d.channel() == null ? Channels.TEMPORAL : d.channel();
    }

    private Entry entryFor(Decision d) {
        if (d == null) {
            throw refuse(
                    "no decision: send {\"step\": ..., \"approve\": true|false, \"note\": ...}", Refusals.BAD_DECISION);
        }
        String channel = channelOf(d);
        if (!Channels.ALL.contains(channel)) {
            throw refuse(
                    "channel '" + channel + "' is not one of " + String.join(", ", Channels.ALL),
                    Refusals.BAD_DECISION);
        }
        if (d.note() != null && d.note().getBytes(StandardCharsets.UTF_8).length > MAX_NOTE_BYTES) {
            throw refuse(
                    "the note is " + d.note().getBytes(StandardCharsets.UTF_8).length + " bytes; at most "
                            + MAX_NOTE_BYTES + " (2 KiB) are kept: shorten it",
                    Refusals.BAD_DECISION);
        }
        if (d.who() != null && d.who().length() > MAX_WHO_CHARS) {
            throw refuse("who is over " + MAX_WHO_CHARS + " characters", Refusals.BAD_DECISION);
        }
        Entry e;
        if (d.step() == null) {
            List<Entry> open = byStep.values().stream()
                    .filter(x -> x.state == State.PENDING)
                    .toList();
            if (open.isEmpty()) {
                throw refuse("no approval is pending in this run", Refusals.NO_SUCH_APPROVAL);
            }
            if (open.size() > 1) {
                throw refuse(
                        "several approvals are pending ("
                                + String.join(
                                        ", ", open.stream().map(x -> x.step).toList()) + "): name the step",
                        Refusals.AMBIGUOUS);
            }
            e = open.get(0);
        } else {
            e = byStep.get(d.step());
            if (e == null) {
                List<String> open =
                        pending().stream().map(PendingApproval::step).toList();
                throw refuse(
                        "no approval step '" + d.step() + "' is pending in this run (pending: "
                                + (open.isEmpty() ? "none" : String.join(", ", open)) + ")",
                        Refusals.NO_SUCH_APPROVAL);
            }
        }
        if (e.state == State.DECIDED) {
            throw refuse(
                    "step '" + e.step + "' was already " + e.result.decision() + " by " + e.result.who() + " via "
                            + e.result.channel() + " at " + e.result.decidedAt(),
                    Refusals.ALREADY_DECIDED);
        }
        if (e.state == State.TIMED_OUT) {
            throw refuse("step '" + e.step + "' timed out at " + e.deadline + " before a decision", Refusals.TIMED_OUT);
        }
        if (!e.by.contains(channel)) {
            throw refuse(
                    "step '" + e.step + "' takes decisions by " + String.join(", ", e.by) + ", not by " + channel,
                    Refusals.CHANNEL_NOT_ALLOWED);
        }
        return e;
    }

    private static ApplicationFailure refuse(String message, String type) {
        return ApplicationFailure.newNonRetryableFailure(message, type);
    }
}

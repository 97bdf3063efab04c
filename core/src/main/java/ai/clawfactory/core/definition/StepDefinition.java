package ai.clawfactory.core.definition;

import java.time.Duration;
import java.util.List;

/**
 * One step. Exactly one of {@code agentTurn}, {@code waitFor} (YAML key {@code wait}), {@code http},
 * {@code wake}, {@code command} and {@code approval} is set.
 *
 * @param id                unique within the workflow; part of the turn's idempotency key
 * @param when              a condition on input and earlier steps, or null for always
 * @param timeout           start-to-close timeout of one attempt (turns and HTTP calls)
 * @param retry             retry policy of the step's activity
 * @param continueOnFailure when true a failed step is recorded and the workflow goes on
 * @param needs             ids of the steps this one runs after (each finished), or null: see {@link StepGraph}
 * @param forEach           the step's fan-out over items, or null for one run
 */
public record StepDefinition(
        String id,
        String when,
        Duration timeout,
        RetryDefinition retry,
        boolean continueOnFailure,
        AgentTurnDefinition agentTurn,
        WaitDefinition waitFor,
        HttpCallDefinition http,
        WakeDefinition wake,
        List<String> needs,
        ForEachDefinition forEach,
        CommandDefinition command,
        ApprovalDefinition approval) {

    /** A step of the kinds that existed before {@code approval}. */
    public StepDefinition(
            String id,
            String when,
            Duration timeout,
            RetryDefinition retry,
            boolean continueOnFailure,
            AgentTurnDefinition agentTurn,
            WaitDefinition waitFor,
            HttpCallDefinition http,
            WakeDefinition wake,
            List<String> needs,
            ForEachDefinition forEach,
            CommandDefinition command) {
        this(
                id,
                when,
                timeout,
                retry,
                continueOnFailure,
                agentTurn,
                waitFor,
                http,
                wake,
                needs,
                forEach,
                command,
                null);
    }

    /** A step of the kinds that existed before {@code command}, with {@code needs} and {@code forEach}. */
    public StepDefinition(
            String id,
            String when,
            Duration timeout,
            RetryDefinition retry,
            boolean continueOnFailure,
            AgentTurnDefinition agentTurn,
            WaitDefinition waitFor,
            HttpCallDefinition http,
            WakeDefinition wake,
            List<String> needs,
            ForEachDefinition forEach) {
        this(id, when, timeout, retry, continueOnFailure, agentTurn, waitFor, http, wake, needs, forEach, null);
    }

    /** A step of the kinds that existed before {@code needs}, {@code forEach} and {@code command}. */
    public StepDefinition(
            String id,
            String when,
            Duration timeout,
            RetryDefinition retry,
            boolean continueOnFailure,
            AgentTurnDefinition agentTurn,
            WaitDefinition waitFor,
            HttpCallDefinition http,
            WakeDefinition wake) {
        this(id, when, timeout, retry, continueOnFailure, agentTurn, waitFor, http, wake, null, null, null);
    }

    /** A step of the kinds that existed before {@code wake}. */
    public StepDefinition(
            String id,
            String when,
            Duration timeout,
            RetryDefinition retry,
            boolean continueOnFailure,
            AgentTurnDefinition agentTurn,
            WaitDefinition waitFor,
            HttpCallDefinition http) {
        this(id, when, timeout, retry, continueOnFailure, agentTurn, waitFor, http, null);
    }

    /** A step doing {@code action}: the one field of its kind is set, the others are null. */
    public static StepDefinition of(
            String id,
            String when,
            Duration timeout,
            RetryDefinition retry,
            boolean continueOnFailure,
            StepAction action) {
        return new StepDefinition(
                id,
                when,
                timeout,
                retry,
                continueOnFailure,
                action instanceof AgentTurnDefinition t ? t : null,
                action instanceof WaitDefinition w ? w : null,
                action instanceof HttpCallDefinition h ? h : null,
                action instanceof WakeDefinition k ? k : null,
                null,
                null,
                action instanceof CommandDefinition c ? c : null,
                action instanceof ApprovalDefinition a ? a : null);
    }

    /** This step with these {@code needs} and {@code forEach} (either may be null). */
    public StepDefinition withGraph(List<String> needs, ForEachDefinition forEach) {
        return new StepDefinition(
                id,
                when,
                timeout,
                retry,
                continueOnFailure,
                agentTurn,
                waitFor,
                http,
                wake,
                needs,
                forEach,
                command,
                approval);
    }

    /** This step under another id (one item of a fan-out runs as {@code research[2]}), without its fan-out. */
    public StepDefinition withId(String newId) {
        return new StepDefinition(
                newId,
                when,
                timeout,
                retry,
                continueOnFailure,
                agentTurn,
                waitFor,
                http,
                wake,
                needs,
                null,
                command,
                approval);
    }

    /** What the step does, typed: the one of {@code agentTurn}, {@code waitFor}, {@code http}, {@code wake}, {@code command}, {@code approval} that is set. */
    public StepAction action() {
        if (agentTurn != null) {
            return agentTurn;
        }
        if (waitFor != null) {
            return waitFor;
        }
        if (wake != null) {
            return wake;
        }
        if (command != null) {
            return command;
        }
        if (approval != null) {
            return approval;
        }
        return http;
    }

    /** The kind of step, as written in the file ({@link StepKind#key()}); {@code http} when none is set, as it always was. */
    public String kind() {
        StepAction a = action();
        return a == null ? StepKind.HTTP.key() : a.kind().key();
    }
}

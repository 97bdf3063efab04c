package ai.clawfactory.core.approval;

/**
 * The answer of the {@link ai.clawfactory.core.Names#UPDATE_DECIDE} Update when the decision
 * counted. A decision that does not count is refused by the Update's validator with an
 * {@code ApplicationFailure} of one of the types in {@link Refusals}. Written into history: it only
 * ever gains components.
 *
 * @param step the approval step decided
 * @param decision {@code approved} or {@code rejected}
 * @param channel the channel it came in through (see {@link Channels})
 * @param who who decided
 * @param note the note, or {@code null}
 * @param decidedAt workflow time of the decision, ISO-8601 UTC
 */
public record DecisionResult(String step, String decision, String channel, String who, String note, String decidedAt) {}

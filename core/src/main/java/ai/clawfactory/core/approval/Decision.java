package ai.clawfactory.core.approval;

/**
 * The argument of the {@link ai.clawfactory.core.Names#UPDATE_DECIDE} Update: a decision on one
 * pending {@code approval} step. Written into history: it only ever gains components.
 *
 * @param step the approval step's id; {@code null} decides the one approval pending (refused when
 *     none or several are)
 * @param approve {@code true} approves, {@code false} rejects
 * @param note an optional note kept with the decision (data, never a template)
 * @param channel the way the decision came in, one of {@link Channels#ALL}; the process that sends
 *     it sets it ({@code cli}, {@code api}, {@code mcp}); {@code null} (a raw Update from the
 *     Temporal CLI or Web UI) counts as {@link Channels#TEMPORAL}
 * @param who who decided, as the channel knows it (the token's name, the OS user); data only
 */
public record Decision(String step, boolean approve, String note, String channel, String who) {}

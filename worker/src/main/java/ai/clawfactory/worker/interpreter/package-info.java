/**
 * The interpreter: one dynamic workflow ({@link ai.clawfactory.worker.interpreter.InterpreterWorkflow})
 * runs every defined workflow type; it meets the step kinds only through their contract
 * ({@code ai.clawfactory.worker.step}) and the map of their runners
 * ({@code ai.clawfactory.worker.step.kinds}).
 *
 * <p><b>Versioning policy.</b> Runs park for hours in waits and outlive deploys, and a replayed
 * history must produce the same commands as the code that wrote it. So every change to the
 * sequence of commands the interpreter issues, itself or through a step kind's runner
 * (activities, local activities, timers, markers, memo or search-attribute upserts, side effects;
 * their order, count or presence) for any history that could already exist is guarded by
 * {@code Workflow.getVersion(changeId, DEFAULT_VERSION, n)} with a new change id, the old branch
 * kept until no run older than the change can be open. Where a change only affects inputs that are
 * rare (e.g. newly refused input), call {@code getVersion} only on that path, so ordinary runs get
 * no marker. A change at a point every run already passes a {@code getVersion} call may raise that
 * call's maximum version instead ({@code ui-metadata} 2): the one marker records the new version,
 * and branches test {@code version >= n}. Changes that do not touch commands (query answers, log
 * lines, failure messages, the order of a result map) need no guard; the options of a command (its
 * timeouts, retry policy, summary) are not checked by replay, so changing them for new runs is a
 * change like the others, and the replay tests compare them against every committed history.
 * Records written into history ({@link ai.clawfactory.worker.interpreter.LoadedDefinition}, the
 * definition model, {@code StepResult}, each kind's input record) only ever gain fields.
 */
package ai.clawfactory.worker.interpreter;

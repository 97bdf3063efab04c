/**
 * The interpreter: one dynamic workflow ({@link ai.clawfactory.worker.interpreter.InterpreterWorkflow})
 * runs every defined workflow type; it meets the step activities only through
 * {@code ai.clawfactory.worker.step}.
 *
 * <p><b>Versioning policy.</b> Runs park for hours in waits and outlive deploys, and a replayed
 * history must produce the same commands as the code that wrote it. So every change to the
 * sequence of commands the interpreter issues (activities, local activities, timers, markers, memo
 * or search-attribute upserts, side effects; their order, count or presence) for any history that
 * could already exist is guarded by {@code Workflow.getVersion(changeId, DEFAULT_VERSION, n)} with
 * a new change id, the old branch kept until no run older than the change can be open. Where a
 * change only affects inputs that are rare (e.g. newly refused input), call {@code getVersion}
 * only on that path, so ordinary runs get no marker. A change at a point every run already passes
 * a {@code getVersion} call may raise that call's maximum version instead ({@code ui-metadata} 2):
 * the one marker records the new version, and branches test {@code version >= n}. Changes that do
 * not touch commands (query answers, log lines, failure messages, the order of a result map) need
 * no guard. Records written into history
 * ({@link ai.clawfactory.worker.interpreter.LoadedDefinition}, the definition model) only ever gain
 * fields.
 */
package ai.clawfactory.worker.interpreter;

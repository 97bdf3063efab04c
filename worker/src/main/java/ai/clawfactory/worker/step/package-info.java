/**
 * What every step kind shares: the result of a step ({@link ai.clawfactory.worker.step.StepResult},
 * {@link ai.clawfactory.worker.step.StepStatus}), what templates read
 * ({@link ai.clawfactory.worker.step.TurnContext}), the runner contract the interpreter dispatches
 * through ({@link ai.clawfactory.worker.step.StepRunner}, {@link ai.clawfactory.worker.step.StepRun},
 * {@link ai.clawfactory.worker.step.StepCall}) and the failure types no retry can change
 * ({@link ai.clawfactory.worker.step.NotRetried}).
 *
 * <p>Each kind is a slice in a package of its own below this one: its activity interface,
 * implementation and input record, and its runner ({@code agentturn}, {@code httpcall},
 * {@code wake}; {@code wait} is a timer and has no activity). Below them: {@code activity}, the
 * attempt loop of every kind that is an activity; {@code attempt}, what every activity attempt
 * does around its call (the ledger, heartbeats, failure types, templates); {@code kinds}, the one
 * map from a kind to its runner. This package knows none of them.
 */
package ai.clawfactory.worker.step;

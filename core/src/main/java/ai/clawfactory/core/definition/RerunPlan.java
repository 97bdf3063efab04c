package ai.clawfactory.core.definition;

import ai.clawfactory.core.logging.LogText;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a re-run from a step takes over from the old run: the steps before that step in file order
 * (each run after the one before) or, in a file that uses {@code needs} (a graph), every step that
 * is neither that step nor one that needs it (directly or through others). Each must have ended
 * {@code ok} or {@code skipped} in the old run. The schedules CLI checks it before it starts anything, and the worker again before
 * the new run carries anything over (the re-run's memo can be written by anyone who starts runs).
 *
 * @param from    the step the re-run runs from (and every step after it)
 * @param carried the ids of the steps taken over from the old run, in file order
 */
public record RerunPlan(String from, List<String> carried) {

    /** Statuses a carried step may have ended with in the old run. */
    private static final Set<String> CARRIED_STATUSES = Set.of("ok", "skipped");

    /**
     * The plan for re-running {@code definition} from step {@code from}, given how each step of the
     * old run ended ({@code statuses}: step id to {@code ok}, {@code skipped}, {@code failed},
     * {@code cancelled}; a step that never ran is absent).
     *
     * @throws IllegalArgumentException saying what is wrong and what to do: {@code from} names no
     *     step (with the nearest id), or a step before it did not succeed in the old run
     */
    public static RerunPlan of(WorkflowDefinition definition, String from, Map<String, String> statuses) {
        List<String> ids = definition.steps().stream().map(StepDefinition::id).toList();
        int at = from == null ? -1 : ids.indexOf(from);
        if (at < 0) {
            String hint = from == null ? null : SchemaMessages.closest(from, Set.copyOf(ids));
            throw new IllegalArgumentException(
                    "'" + (from == null ? "" : LogText.oneLine(from)) + "' is not a step of " + definition.name()
                            + (hint == null ? "" : " (did you mean '" + hint + "'?)")
                            + "; its steps are " + String.join(", ", ids));
        }
        List<String> carried;
        if (StepGraph.isGraph(definition)) {
            Map<String, List<String>> needs = StepGraph.needs(definition);
            carried = ids.stream()
                    .filter(id ->
                            !id.equals(from) && !StepGraph.ancestors(needs, id).contains(from))
                    .toList();
        } else {
            carried = List.copyOf(ids.subList(0, at));
        }
        for (String id : carried) {
            String status = statuses.get(id);
            if (status == null || !CARRIED_STATUSES.contains(status)) {
                throw new IllegalArgumentException("Step '" + id + "' "
                        + (status == null ? "never ran" : "ended " + LogText.oneLine(status))
                        + " in the old run, so its result "
                        + "cannot be carried over to steps after it; re-run from it instead: --from " + id);
            }
        }
        return new RerunPlan(from, carried);
    }
}

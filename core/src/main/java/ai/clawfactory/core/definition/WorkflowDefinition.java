package ai.clawfactory.core.definition;

import java.util.List;
import java.util.Map;

/**
 * One workflow type defined as data. Fully resolved at load time (defaults applied), so the copy
 * pinned into a run's history says exactly what that run does.
 *
 * @param name        the Temporal workflow type, e.g. {@code PoetryResearchWorkflow}
 * @param description what it is for, shown by {@code validate}
 * @param source      the file it came from (for messages only)
 * @param version     a short content hash of the file: tells runs of edited files apart
 * @param input       declared inputs and their defaults
 * @param steps       what runs, in order
 * @param schedule    an optional schedule, read by the schedules module
 * @param alerts      who is told about failed runs and how (the file's own block or the worker's defaults), or null
 * @param maxParallel most steps (or fan-out items) in flight at once, or null: see {@link StepGraph#maxParallel}
 */
public record WorkflowDefinition(
        String name,
        String description,
        String source,
        String version,
        Map<String, String> input,
        List<StepDefinition> steps,
        ScheduleDefinition schedule,
        AlertsDefinition alerts,
        Integer maxParallel) {

    /** A definition without {@code maxParallel} (the fields before it). */
    public WorkflowDefinition(
            String name,
            String description,
            String source,
            String version,
            Map<String, String> input,
            List<StepDefinition> steps,
            ScheduleDefinition schedule,
            AlertsDefinition alerts) {
        this(name, description, source, version, input, steps, schedule, alerts, null);
    }

    /** A definition without alerts (the fields before {@code alerts}). */
    public WorkflowDefinition(
            String name,
            String description,
            String source,
            String version,
            Map<String, String> input,
            List<StepDefinition> steps,
            ScheduleDefinition schedule) {
        this(name, description, source, version, input, steps, schedule, null);
    }

    /** This definition with these alerts. */
    public WorkflowDefinition withAlerts(AlertsDefinition a) {
        return new WorkflowDefinition(name, description, source, version, input, steps, schedule, a, maxParallel);
    }

    /** The step with this id, or null. */
    public StepDefinition step(String id) {
        for (StepDefinition s : steps) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        return null;
    }
}

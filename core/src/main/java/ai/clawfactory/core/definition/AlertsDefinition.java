package ai.clawfactory.core.definition;

import java.time.Duration;
import java.util.Set;

/**
 * When and how a failed run reaches a person ({@code alerts:} in a definition, or the worker's
 * defaults). Kept by the alert workflow of the type ({@code clawfactory-alerts/<type>}).
 *
 * @param after      consecutive failed runs before the first alert (at least 1)
 * @param cooldown   no second alert for the same workflow type inside this window
 * @param onFailure  what an alert does; null: failures are counted but nobody is told
 * @param onRecovery what happens once when a run succeeds after an alerted failure; null: nothing
 * @param source     where the block came from (a definition file or the defaults file), for messages
 */
public record AlertsDefinition(
        int after, Duration cooldown, AlertAction onFailure, AlertAction onRecovery, String source) {

    // The schema's $defs/alertsBlock defaults say the same (SchemaKeysTest keeps them in step; a wire record does not
    // read the schema).

    /** Default of {@link #after}. */
    public static final int DEFAULT_AFTER = 1;
    /** Default of {@link #cooldown}. */
    public static final Duration DEFAULT_COOLDOWN = Duration.ofHours(1);
    /** What {@code {{failure.<field>}}} may name. */
    public static final Set<String> FAILURE_FIELDS =
            Set.of("message", "step", "attempts", "url", "runId", "workflowId", "consecutive", "kind");
}

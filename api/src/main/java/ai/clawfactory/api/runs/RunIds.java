package ai.clawfactory.api.runs;

import ai.clawfactory.api.problem.ApiProblem;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Workflow ids of the runs the API starts: {@code api:TYPE:KEY}, the type and the caller's
 * {@code Idempotency-Key} (a random UUID without one). A type never holds ':', so two (type, key)
 * pairs never share an id, and the same pair always names the same run: the API keeps no state.
 */
public final class RunIds {

    /** What a key may hold: URL-safe, so the run's id is its own path segment. */
    static final Pattern KEY = Pattern.compile("[A-Za-z0-9._~:-]{1,200}");

    /** What a run id in a path may hold: any Temporal workflow id but control characters. */
    private static final Pattern RUN_ID = Pattern.compile("[^\\p{Cntrl}]{1,1000}");

    private RunIds() {}

    static String forStart(String type, String key) {
        return "api:" + type + ":" + (key == null ? UUID.randomUUID() : key);
    }

    /** Refuses a key the API cannot use; null (no header) is fine. */
    static void checkKey(String key) {
        if (key != null && !KEY.matcher(key).matches()) {
            throw ApiProblem.badRequest(
                    "Idempotency-Key",
                    "Idempotency-Key must be 1 to 200 characters of letters, digits and . _ ~ : - (a UUID works).");
        }
    }

    /** Refuses a run id no workflow can have. */
    public static String checkRunId(String id) {
        if (id == null || !RUN_ID.matcher(id).matches()) {
            throw ApiProblem.badRequest("id", "A run id is 1 to 1000 characters without control characters.");
        }
        return id;
    }
}

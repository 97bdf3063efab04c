package ai.clawfactory.schedules;

import ai.clawfactory.core.ExitCode;
import io.temporal.client.schedules.ScheduleDescription;

/** Finding one schedule by id, or a clear not-found error. */
final class ScheduleLookup {

    private ScheduleLookup() {}

    static ScheduleDescription require(TemporalOptions.Connection conn, String id) {
        return new Reconciler(conn)
                .describe(id)
                .orElseThrow(() -> new UserException(
                        ExitCode.NOT_FOUND.code(),
                        "No schedule '" + id + "' in namespace " + conn.namespace() + " at " + conn.address()
                                + ". `schedules list` shows the ids."));
    }
}

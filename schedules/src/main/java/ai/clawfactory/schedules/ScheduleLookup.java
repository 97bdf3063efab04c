package ai.clawfactory.schedules;

import io.temporal.client.schedules.ScheduleDescription;

/** Finding one schedule by id, or a clear not-found error. */
final class ScheduleLookup {

    private ScheduleLookup() {}

    static ScheduleDescription require(TemporalOptions.Connection conn, String id) {
        return new Reconciler(conn)
                .describe(id)
                .orElseThrow(() -> new UserException(
                        SchedulesCommand.EXIT_NOT_FOUND,
                        "No schedule '" + id + "' in namespace " + conn.namespace() + " at " + conn.address()
                                + ". `schedules list` shows the ids."));
    }
}

package ai.clawfactory.schedules;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.testing.TemporalDevServerExtension;
import io.temporal.client.schedules.ScheduleDescription;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A one-shot schedule ({@code at}) on the real dev server: created, fires once, deleted by the next sync, not re-created. */
@ExtendWith(TemporalDevServerExtension.class)
class OneShotSyncIT {

    @RegisterExtension
    final ServerFixture t = new ServerFixture();

    @Test
    void firesOnceAtItsInstantThenSyncDeletesItAndDoesNotCreateItAgain() throws IOException {
        Instant at = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
        t.define("once.yaml", "OnceWorkflow", "id: once\nat: \"" + at + "\"\n");

        Cli.Result created = t.cli.run("sync", t.defs.toString());
        assertEquals(0, created.exitCode(), created::toString);
        assertTrue(created.out().contains("create   once"), created::toString);
        ScheduleDescription d = t.describe("once").orElseThrow();
        assertTrue(d.getSchedule().getState().isLimitedAction());
        assertEquals(1, d.getSchedule().getState().getRemainingActions());
        assertEquals(at, d.getInfo().getNextActionTimes().get(0));
        assertEquals(1, d.getInfo().getNextActionTimes().size(), "one instant, never again");

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> t.describe("once").orElseThrow().getInfo().getNumActions() == 1);
        assertEquals(
                0, t.describe("once").orElseThrow().getSchedule().getState().getRemainingActions());

        Cli.Result deleted = t.cli.run("sync", t.defs.toString());
        assertEquals(0, deleted.exitCode(), deleted::toString);
        assertTrue(deleted.out().contains("delete   once"), deleted::toString);
        assertTrue(deleted.out().contains("one-shot ran at " + at + "; deleteAfterRun"), deleted::toString);
        assertTrue(t.describe("once").isEmpty());

        Cli.Result again = t.cli.run("sync", t.defs.toString());
        assertEquals(0, again.exitCode(), again::toString);
        assertTrue(again.out().contains("passed   once"), again::toString);
        assertTrue(t.describe("once").isEmpty(), "not created again");
    }
}

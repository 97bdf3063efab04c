package ai.clawfactory.schedules;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.ExitCode;
import ai.clawfactory.core.Names;
import ai.clawfactory.testing.TemporalDevServerExtension;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleDescription;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code sync} against the real Temporal dev server (the in-memory test server has no Schedules). */
@ExtendWith(TemporalDevServerExtension.class)
class SyncIT {

    private static final String DAILY = """
            id: research-daily
            cron: "0 4 * * *"
            timezone: Europe/Berlin
            catchupWindow: 30m
            """;

    @RegisterExtension
    final ServerFixture t = new ServerFixture();

    private Cli.Result sync(String... extra) {
        String[] args = new String[extra.length + 2];
        args[0] = "sync";
        args[1] = t.defs.toString();
        System.arraycopy(extra, 0, args, 2, extra.length);
        return t.cli.run(args);
    }

    @Test
    void createThenNoOpThenUpdateThenDeleteWhileAHandMadeScheduleIsLeftAlone() throws IOException {
        t.createByHand("made-in-the-ui");
        t.define("research.yaml", "ResearchWorkflow", DAILY);

        Cli.Result created = sync();
        assertEquals(0, created.exitCode(), created::toString);
        assertTrue(created.out().contains("create   research-daily"), created::toString);
        assertTrue(
                created.out()
                        .contains(
                                "Created 1, updated 0, deleted 0; 0 unchanged. 1 schedule not managed here left alone."),
                created::toString);
        ScheduleDescription d = t.describe("research-daily").orElseThrow();
        assertEquals("Europe/Berlin", d.getSchedule().getSpec().getTimeZoneName());
        assertEquals(Duration.ofMinutes(30), d.getSchedule().getPolicy().getCatchupWindow());
        assertEquals(
                ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP,
                d.getSchedule().getPolicy().getOverlap());
        ScheduleActionStartWorkflow action =
                (ScheduleActionStartWorkflow) d.getSchedule().getAction();
        assertEquals("ResearchWorkflow", action.getWorkflowType());
        assertEquals(t.taskQueue(), action.getOptions().getTaskQueue());
        assertEquals(Names.MANAGED_BY_VALUE, Reconciler.memo(d, Names.MEMO_MANAGED_BY));
        String firstHash = Reconciler.actionMemo(d, Names.MEMO_SPEC_HASH);
        // The next run is 04:00 in Berlin, not in the host's zone.
        Instant next = d.getInfo().getNextActionTimes().get(0);
        assertEquals(4, next.atZone(java.time.ZoneId.of("Europe/Berlin")).getHour());
        Instant lastUpdate = d.getInfo().getLastUpdatedAt();

        Cli.Result again = sync();
        assertEquals(0, again.exitCode(), again::toString);
        assertTrue(again.out().contains("ok       research-daily                   unchanged"), again::toString);
        assertTrue(again.out().contains("Created 0, updated 0, deleted 0; 1 unchanged."), again::toString);
        assertEquals(
                lastUpdate,
                t.describe("research-daily").orElseThrow().getInfo().getLastUpdatedAt(),
                "a second sync must not touch the schedule");

        t.define("research.yaml", "ResearchWorkflow", DAILY.replace("0 4 * * *", "30 5 * * 1-5") + "jitter: 2m\n");
        Cli.Result updated = sync();
        assertEquals(0, updated.exitCode(), updated::toString);
        assertTrue(updated.out().contains("cron: 0 4 * * * -> 30 5 * * 1-5; jitter: 0s -> 2m"), updated::toString);
        d = t.describe("research-daily").orElseThrow();
        assertEquals(Duration.ofMinutes(2), d.getSchedule().getSpec().getJitter());
        assertNotEquals(firstHash, Reconciler.actionMemo(d, Names.MEMO_SPEC_HASH));
        Instant nextUpdated = d.getInfo()
                .getNextActionTimes()
                .get(0)
                .atZone(java.time.ZoneId.of("Europe/Berlin"))
                .withSecond(0)
                .toInstant();
        assertEquals(5, nextUpdated.atZone(java.time.ZoneId.of("Europe/Berlin")).getHour());
        assertTrue(sync().out().contains("1 unchanged"), "the update must be stable");

        Files.delete(t.defs.resolve("research.yaml"));
        Cli.Result deleted = sync();
        assertEquals(0, deleted.exitCode(), deleted::toString);
        assertTrue(deleted.out().contains("delete   research-daily"), deleted::toString);
        assertTrue(t.describe("research-daily").isEmpty(), "the schedule the files no longer declare is gone");
        assertTrue(t.describe("made-in-the-ui").isPresent(), "a hand-made schedule survives every sync");
        assertTrue(deleted.out().contains("ignore   made-in-the-ui"), deleted::toString);
    }

    @Test
    void scheduledRunsGoToTheWorkersTaskQueueAndMovingItIsAnUpdate() throws IOException {
        t.define("research.yaml", "ResearchWorkflow", DAILY);
        Cli.Result created = sync("--task-queue", "research-host-2");
        assertEquals(0, created.exitCode(), created::toString);
        ScheduleActionStartWorkflow action = (ScheduleActionStartWorkflow)
                t.describe("research-daily").orElseThrow().getSchedule().getAction();
        assertEquals("research-host-2", action.getOptions().getTaskQueue());

        Cli.Result moved = sync();
        assertEquals(0, moved.exitCode(), moved::toString);
        assertTrue(moved.out().contains("taskQueue: research-host-2 -> " + t.taskQueue()), moved::toString);
        action = (ScheduleActionStartWorkflow)
                t.describe("research-daily").orElseThrow().getSchedule().getAction();
        assertEquals(t.taskQueue(), action.getOptions().getTaskQueue());

        // Without --task-queue (and TEMPORAL_TASK_QUEUE unset), the worker's default queue.
        Cli.Result byDefault = new Cli(t.server.target(), () -> null).run("sync", t.defs.toString());
        assertEquals(0, byDefault.exitCode(), byDefault::toString);
        assertTrue(
                byDefault.out().contains("taskQueue: " + t.taskQueue() + " -> " + Names.TASK_QUEUE),
                byDefault::toString);
    }

    @Test
    void dryRunShowsThePlanAndChangesNothing() throws IOException {
        t.define("research.yaml", "ResearchWorkflow", DAILY);
        Cli.Result plan = sync("--dry-run");
        assertEquals(0, plan.exitCode(), plan::toString);
        assertTrue(
                plan.out()
                        .contains(
                                "create   research-daily                   ResearchWorkflow, cron \"0 4 * * *\" Europe/Berlin"),
                plan::toString);
        assertTrue(
                plan.out().contains("Would create 1, update 0, delete 0; 0 unchanged. Dry run: nothing was applied."),
                plan::toString);
        assertTrue(t.describe("research-daily").isEmpty());
    }

    @Test
    void intervalScheduleWithInputOverlapAndPauseOnFailure() throws IOException {
        t.define("tick.yaml", "TickWorkflow", """
                id: tick
                interval: 15m
                offset: 5m
                timezone: UTC
                overlap: bufferOne
                pauseOnFailure: true
                paused: true
                note: "waiting for the gateway"
                workflowId: tick-run
                input: { topic: sonnets }
                """);
        Cli.Result r = sync();
        assertEquals(0, r.exitCode(), r::toString);
        ScheduleDescription d = t.describe("tick").orElseThrow();
        var interval = d.getSchedule().getSpec().getIntervals().get(0);
        assertEquals(Duration.ofMinutes(15), interval.getEvery());
        assertEquals(Duration.ofMinutes(5), interval.getOffset());
        assertEquals(
                ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ONE,
                d.getSchedule().getPolicy().getOverlap());
        assertTrue(d.getSchedule().getPolicy().isPauseOnFailure());
        assertTrue(d.getSchedule().getState().isPaused());
        assertEquals("waiting for the gateway", d.getSchedule().getState().getNote());
        ScheduleActionStartWorkflow action =
                (ScheduleActionStartWorkflow) d.getSchedule().getAction();
        assertEquals("tick-run", action.getOptions().getWorkflowId());
        assertEquals(
                "{topic=sonnets}",
                action.getArguments().get(0, java.util.Map.class).toString());
        assertEquals(
                5,
                d.getInfo()
                                .getNextActionTimes()
                                .get(0)
                                .atZone(java.time.ZoneOffset.UTC)
                                .getMinute()
                        % 15);
    }

    @Test
    void anOperatorsPauseSurvivesAnUnrelatedChangeButTheFilesPausedWinsWhenItChanges() throws IOException {
        t.define("research.yaml", "ResearchWorkflow", DAILY);
        assertEquals(0, sync().exitCode());
        Cli.Result paused = t.cli.run("pause", "research-daily", "--note", "gateway maintenance");
        assertEquals(0, paused.exitCode(), paused::toString);

        t.define("research.yaml", "ResearchWorkflow", DAILY.replace("30m", "45m"));
        assertEquals(0, sync().exitCode());
        ScheduleDescription d = t.describe("research-daily").orElseThrow();
        assertEquals(Duration.ofMinutes(45), d.getSchedule().getPolicy().getCatchupWindow());
        assertTrue(d.getSchedule().getState().isPaused(), "an unrelated change keeps the operator's pause");
        assertEquals("gateway maintenance", d.getSchedule().getState().getNote());

        t.define("research.yaml", "ResearchWorkflow", DAILY.replace("30m", "45m") + "paused: false\nnote: back on\n");
        Cli.Result r = sync();
        assertTrue(r.out().contains("note: \"\" -> back on"), r::toString);
        d = t.describe("research-daily").orElseThrow();
        assertTrue(
                d.getSchedule().getState().isPaused(),
                "paused: false was already the declared value, so the pause stays");

        t.define(
                "research.yaml",
                "ResearchWorkflow",
                DAILY.replace("30m", "45m") + "paused: true\nnote: off for winter\n");
        assertEquals(0, sync().exitCode());
        d = t.describe("research-daily").orElseThrow();
        assertTrue(d.getSchedule().getState().isPaused());
        assertEquals("off for winter", d.getSchedule().getState().getNote(), "a changed `paused` in the file wins");
    }

    @Test
    void aDeclaredIdHeldByAHandMadeScheduleIsAConflictAndNothingIsApplied() throws IOException {
        t.createByHand("research-daily");
        t.define("research.yaml", "ResearchWorkflow", DAILY);
        t.define("other.yaml", "OtherWorkflow", "id: other-daily\ncron: \"0 6 * * *\"\ntimezone: UTC\n");
        Cli.Result r = sync();
        assertEquals(ExitCode.INVALID.code(), r.exitCode(), r::toString);
        assertTrue(r.out().contains("conflict research-daily"), r::toString);
        assertTrue(r.out().contains("was not made by clawfactory-schedules"), r::toString);
        assertTrue(r.err().contains("1 conflict; nothing was applied."), r::toString);
        assertTrue(t.describe("other-daily").isEmpty(), "no other schedule may be created when one conflicts");
        assertEquals(
                "HandMadeWorkflow",
                ((ScheduleActionStartWorkflow) t.describe("research-daily")
                                .orElseThrow()
                                .getSchedule()
                                .getAction())
                        .getWorkflowType());
    }

    @Test
    void aBadCronExpressionIsReportedWithItsPlaceAndNothingIsApplied() throws IOException {
        t.define("good.yaml", "GoodWorkflow", "id: good\ncron: \"0 6 * * *\"\ntimezone: UTC\n");
        t.define("bad.yaml", "BadWorkflow", "id: bad\ncron: \"0 25 * * *\"\ntimezone: UTC\n");
        Cli.Result r = sync();
        assertEquals(ExitCode.INVALID.code(), r.exitCode(), r::toString);
        assertTrue(r.err().contains("bad.yaml:9:"), r::toString);
        assertTrue(r.err().contains("schedule.cron: '0 25 * * *' is not a valid cron expression"), r::toString);
        assertTrue(r.err().contains("nothing was applied"), r::toString);
        assertTrue(t.describe("good").isEmpty());
    }

    @Test
    void anUnknownTimezoneIsReportedAndNothingIsApplied() throws IOException {
        t.define("good.yaml", "GoodWorkflow", "id: good\ncron: \"0 6 * * *\"\ntimezone: UTC\n");
        t.define("bad.yaml", "BadWorkflow", "id: bad\ncron: \"0 6 * * *\"\ntimezone: Europe/Atlantis\n");
        Cli.Result r = sync();
        assertEquals(ExitCode.INVALID.code(), r.exitCode(), r::toString);
        assertTrue(r.err().contains("schedule.timezone: 'Europe/Atlantis' is not an IANA timezone"), r::toString);
        assertTrue(t.describe("good").isEmpty());
    }

    @Test
    void aMissingTimezoneIsAnErrorUnlessADefaultIsConfigured() throws IOException {
        t.define("bad.yaml", "BadWorkflow", "id: bad\ncron: \"0 6 * * *\"\n");
        Cli.Result r = sync();
        assertEquals(ExitCode.INVALID.code(), r.exitCode(), r::toString);
        assertTrue(r.err().contains("schedule.timezone: missing: an IANA timezone"), r::toString);
        assertTrue(t.describe("bad").isEmpty());
    }

    @Test
    void anUnreachableServerExitsThreeAndSaysWhatToDo() throws IOException {
        t.define("good.yaml", "GoodWorkflow", "id: good\ncron: \"0 6 * * *\"\ntimezone: UTC\n");
        int closed = closedPort();
        for (List<String> args :
                List.of(List.of("sync", t.defs.toString()), List.of("list"), List.of("trigger", "good"))) {
            List<String> all = new java.util.ArrayList<>(args);
            all.addAll(List.of("--address", "127.0.0.1:" + closed, "--connect-timeout", "2"));
            Cli.Result r = t.cli.run(all.toArray(String[]::new));
            assertEquals(ExitCode.UNREACHABLE.code(), r.exitCode(), r::toString);
            assertTrue(r.err().contains("Cannot reach Temporal at 127.0.0.1:" + closed), r::toString);
            assertTrue(r.err().contains("Nothing was changed"), r::toString);
            assertEquals(List.of(), loopThreads(), "event loop threads still running after: " + r);
        }
        assertTrue(t.describe("good").isEmpty());
    }

    @Test
    void invalidDefinitionsAreReportedFirstEvenWhenTheServerIsUnreachable() throws IOException {
        // The server is read while the files are: what the files say wrong still decides the exit.
        t.define("bad.yaml", "BadWorkflow", "id: bad\ncron: \"0 25 * * *\"\ntimezone: UTC\n");
        int closed = closedPort();
        Cli.Result r =
                t.cli.run("sync", t.defs.toString(), "--address", "127.0.0.1:" + closed, "--connect-timeout", "2");
        assertEquals(ExitCode.INVALID.code(), r.exitCode(), r::toString);
        assertTrue(r.err().contains("bad.yaml:9:"), r::toString);
        assertTrue(r.err().contains("nothing was applied"), r::toString);
    }

    @Test
    void everyCommandStopsItsConnectionsThreadBeforeItReturns() throws IOException {
        // A thread left waiting in epoll holds the JVM's exit back 300 ms: none may outlive its command.
        t.define("good.yaml", "GoodWorkflow", "id: good\ncron: \"0 6 * * *\"\ntimezone: UTC\n");
        t.define("bad.yaml", "BadWorkflow", "id: bad\ncron: \"0 25 * * *\"\ntimezone: UTC\n");
        Cli.Result refused = sync();
        assertEquals(ExitCode.INVALID.code(), refused.exitCode(), refused::toString);
        assertEquals(List.of(), loopThreads(), "event loop threads still running after: " + refused);
        Files.delete(t.defs.resolve("bad.yaml"));
        for (Cli.Result r : List.of(sync(), t.cli.run("list"), t.cli.run("describe", "good"))) {
            assertEquals(ExitCode.OK.code(), r.exitCode(), r::toString);
            assertEquals(List.of(), loopThreads(), "event loop threads still running after: " + r);
        }
    }

    /**
     * Live threads of the CLI's connections, once there are none or after 5 s: a connection the sync
     * closes after reading files may take a moment.
     */
    private static List<String> loopThreads() {
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> liveLoopThreads().isEmpty());
        } catch (ConditionTimeoutException e) {
            // The caller's assertion names them.
        }
        return liveLoopThreads();
    }

    private static List<String> liveLoopThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith(TemporalOptions.LOOP_THREAD))
                .toList();
    }

    /** A loopback port nothing listens on. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aScheduleWithoutIdIsNamedAfterItsWorkflow() throws IOException {
        t.define("nightly.yaml", "NightlyDigestWorkflow", "cron: \"0 1 * * *\"\ntimezone: UTC\n");
        Cli.Result r = sync();
        assertEquals(0, r.exitCode(), r::toString);
        String id = ai.clawfactory.core.WorkflowIds.defaultScheduleId("NightlyDigestWorkflow");
        assertTrue(r.out().contains("create   " + id), r::toString);
        assertTrue(t.describe(id).isPresent());
    }

    @Test
    void aScheduleOnlyFileStartsAnotherWorkflowWithItsOwnInput() throws IOException {
        t.define("research.yaml", "ResearchWorkflow", DAILY);
        t.write("research-weekly.yaml", """
                schedule:
                  id: research-sonnets-weekly
                  workflow: ResearchWorkflow
                  cron: "0 6 * * 0"
                  timezone: UTC
                  input: { topic: sonnets }
                """);
        Cli.Result r = sync();
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(
                r.out().contains("create   research-sonnets-weekly          ResearchWorkflow, cron \"0 6 * * 0\" UTC"),
                r::toString);
        ScheduleActionStartWorkflow action = (ScheduleActionStartWorkflow) t.describe("research-sonnets-weekly")
                .orElseThrow()
                .getSchedule()
                .getAction();
        assertEquals("ResearchWorkflow", action.getWorkflowType());
        assertEquals(
                "{topic=sonnets}",
                action.getArguments().get(0, java.util.Map.class).toString());
        assertTrue(t.describe("research-daily").isPresent());
    }

    @Test
    void anUnknownWorkflowTypeIsReportedAndNothingIsApplied() throws IOException {
        t.define("research.yaml", "ResearchWorkflow", DAILY);
        t.write("typo-weekly.yaml", """
                schedule:
                  id: research-typo-weekly
                  workflow: ResearchWorkflw
                  cron: "0 6 * * 0"
                  timezone: UTC
                """);
        Cli.Result r = sync();
        assertEquals(ExitCode.INVALID.code(), r.exitCode(), r::toString);
        assertTrue(
                r.err()
                        .contains("typo-weekly.yaml:3:13: schedule.workflow: 'ResearchWorkflw' is not a workflow type "
                                + "defined in this folder (defined: ResearchWorkflow)"),
                r::toString);
        assertTrue(r.err().contains("nothing was applied"), r::toString);
        assertTrue(t.describe("research-daily").isEmpty(), "the valid file's schedule is not applied either");
        assertTrue(t.describe("research-typo-weekly").isEmpty());
    }

    @Test
    void twoFilesDeclaringOneScheduleIdAreRejected() throws IOException {
        t.define("a.yaml", "AWorkflow", "id: shared\ncron: \"0 6 * * *\"\ntimezone: UTC\n");
        t.define("b.yaml", "BWorkflow", "id: shared\ncron: \"0 7 * * *\"\ntimezone: UTC\n");
        Cli.Result r = sync();
        assertEquals(ExitCode.INVALID.code(), r.exitCode(), r::toString);
        assertTrue(r.err().contains("schedule id 'shared' is already used by"), r::toString);
        assertFalse(t.describe("shared").isPresent());
    }
}

package ai.clawfactory.schedules;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.Names;
import ai.clawfactory.testing.TemporalDevServerExtension;
import io.temporal.client.schedules.ScheduleListDescription;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a sync costs the server as schedules grow: a second sync of unchanged schedules learns that
 * from one listing (the hash search attribute) instead of describing each one.
 */
@ExtendWith(TemporalDevServerExtension.class)
class SyncAtScaleIT {

    private static final int SCHEDULES = 40;
    private static final Pattern CALLS = Pattern.compile("(\\d+) calls to Temporal");

    @RegisterExtension
    final ServerFixture t = new ServerFixture();

    private void defineMany() throws IOException {
        for (int i = 0; i < SCHEDULES; i++) {
            t.define(
                    "w" + i + ".yaml",
                    "Scale" + i + "Workflow",
                    "id: scale-" + i + "\ncron: \"" + i + " 4 * * *\"\ntimezone: UTC\n");
        }
    }

    private static int calls(Cli.Result r) {
        Matcher m = CALLS.matcher(r.out());
        assertTrue(m.find(), r::toString);
        return Integer.parseInt(m.group(1));
    }

    /** The schedules the listing shows with their hash attribute (visibility follows a moment behind). */
    private List<String> listedWithHash() {
        return t.schedules
                .listSchedules(1000)
                .filter(s -> Reconciler.listedHash(s) != null)
                .map(ScheduleListDescription::getScheduleId)
                .collect(Collectors.toList());
    }

    @Test
    void aSecondSyncOfUnchangedSchedulesDescribesNoneOfThem() throws IOException {
        defineMany();
        Cli.Result first = t.cli.run("sync", t.defs.toString());
        assertEquals(0, first.exitCode(), first::toString);
        assertTrue(first.out().contains("Created " + SCHEDULES + ", updated 0"), first::toString);
        assertTrue(calls(first) >= SCHEDULES, "one create each at least: " + first);
        await().atMost(Duration.ofSeconds(20)).until(() -> listedWithHash().size() == SCHEDULES);

        Cli.Result second = t.cli.run("sync", t.defs.toString());
        assertEquals(0, second.exitCode(), second::toString);
        assertTrue(
                second.out().contains("Created 0, updated 0, deleted 0; " + SCHEDULES + " unchanged."),
                second::toString);
        // Connect, the attribute check and one listing page: no describe per schedule.
        assertTrue(calls(second) <= 4, "a second sync that changes nothing lists, it does not describe: " + second);
        assertFalse(second.out().contains("search attribute"), second::toString);

        // One file changed: that one is described and updated, and its new hash is what the listing shows next.
        t.define("w7.yaml", "Scale7Workflow", "id: scale-7\ncron: \"7 5 * * *\"\ntimezone: UTC\n");
        Cli.Result changed = t.cli.run("sync", t.defs.toString());
        assertTrue(changed.out().contains("update   scale-7"), changed::toString);
        assertTrue(changed.out().contains("cron: 7 4 * * * -> 7 5 * * *"), changed::toString);
        assertTrue(changed.out().contains((SCHEDULES - 1) + " unchanged."), changed::toString);
        String hash = Reconciler.actionMemo(t.describe("scale-7").orElseThrow(), Names.MEMO_SPEC_HASH);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> hash.equals(t.schedules
                        .listSchedules(1000)
                        .filter(s -> s.getScheduleId().equals("scale-7"))
                        .map(Reconciler::listedHash)
                        .findFirst()
                        .orElse(null)));
        Cli.Result stable = t.cli.run("sync", t.defs.toString());
        assertTrue(stable.out().contains(SCHEDULES + " unchanged."), stable::toString);
        assertTrue(calls(stable) <= 4, stable::toString);
    }

    @Test
    void withoutTheAttributeEverySyncDescribesAndSaysHowToMakeItCheaper() throws IOException {
        String namespace = "no-hash-index";
        t.server.temporal("operator", "namespace", "create", "--namespace", namespace);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> t.cli.run("list", "--namespace", namespace).exitCode() == 0);
        t.define("a.yaml", "AWorkflow", "id: plain-a\ncron: \"0 4 * * *\"\ntimezone: UTC\n");
        t.define("b.yaml", "BWorkflow", "id: plain-b\ncron: \"0 5 * * *\"\ntimezone: UTC\n");
        try {
            Cli.Result first = t.cli.run("sync", t.defs.toString(), "--namespace", namespace);
            assertEquals(0, first.exitCode(), first::toString);
            assertTrue(
                    first.out().contains("no " + Names.SEARCH_ATTRIBUTE_SPEC_HASH + " search attribute"),
                    first::toString);
            assertTrue(
                    first.out().contains("--namespace " + namespace + " --name ClawfactorySpecHash"), first::toString);
            Cli.Result second = t.cli.run("sync", t.defs.toString(), "--namespace", namespace);
            assertTrue(second.out().contains("Created 0, updated 0, deleted 0; 2 unchanged."), second::toString);
        } finally {
            java.nio.file.Files.delete(t.defs.resolve("a.yaml"));
            java.nio.file.Files.delete(t.defs.resolve("b.yaml"));
            Cli.Result emptied = t.cli.run("sync", t.defs.toString(), "--namespace", namespace);
            assertEquals(0, emptied.exitCode(), emptied::toString);
        }
    }
}

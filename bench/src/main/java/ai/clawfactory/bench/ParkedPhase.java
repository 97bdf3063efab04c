package ai.clawfactory.bench;

import static ai.clawfactory.bench.Harness.BARE;
import static ai.clawfactory.bench.Harness.PYTHON;
import static ai.clawfactory.bench.Harness.WORKER;
import static ai.clawfactory.bench.Harness.round1;

import io.temporal.client.WorkflowStub;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Each column's RSS idle, then with {@code plan.parked} workflows each parked in a one-hour wait after one turn. */
final class ParkedPhase {

    private static final Logger LOG = LoggerFactory.getLogger(ParkedPhase.class);

    private final Harness h;

    ParkedPhase(Harness h) {
        this.h = h;
    }

    Results.Parked run() throws Exception {
        Results.ParkedColumn worker = park(WORKER);
        Results.ParkedColumn bare = park(BARE);
        Results.ParkedColumn python = park(PYTHON);
        return new Results.Parked(
                h.plan.parked(), worker.idleRssMiB(), worker.parkedRssMiB(), worker.secondsToPark(), bare, python);
    }

    private Results.ParkedColumn park(String column) throws Exception {
        String queue = "bench-park-" + column;
        h.gateway.reset();
        int count = h.plan.parked();
        // The JVMs as the unit runs them (launcher, AppCDS archive recorded in the start-up phase).
        try (BenchProcess p = h.launch(column, h.unitFlags(), true, queue)) {
            h.awaitFirstPoll(p, queue);
            Harness.sleep(h.plan.settle());
            double idle = p.rssMiB();
            long t0 = System.nanoTime();
            Harness.startAll("parked", count, id -> {
                WorkflowStub stub =
                        h.client.newUntypedWorkflowStub(Harness.parkType(column), h.options(queue, queue + "-" + id));
                stub.start();
                return stub;
            });
            // In start order, each one until it is parked (first turn done, only its timer pending):
            // about one describe per workflow, plus one per pause.
            int[] next = {0};
            Harness.await(count + " " + column + " workflows to park", Duration.ofMinutes(10), p, () -> {
                while (next[0] < count && h.parked(queue + "-" + next[0])) {
                    next[0]++;
                }
                return next[0] == count;
            });
            long seconds = (System.nanoTime() - t0) / 1_000_000_000;
            // Let the workers' own housekeeping after the last task settle before measuring.
            Harness.sleep(h.plan.settle().multipliedBy(2));
            p.requireAlive(column);
            double parked = p.rssMiB();
            LOG.info(
                    "{}: {} workflows parked in {} s: RSS {} MiB (idle {} MiB)",
                    column,
                    count,
                    seconds,
                    round1(parked),
                    round1(idle));
            return new Results.ParkedColumn(round1(idle), round1(parked), seconds);
        }
    }
}

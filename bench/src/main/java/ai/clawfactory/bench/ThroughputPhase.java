package ai.clawfactory.bench;

import static ai.clawfactory.bench.Harness.BARE;
import static ai.clawfactory.bench.Harness.PYTHON;
import static ai.clawfactory.bench.Harness.WORKER;
import static ai.clawfactory.bench.Harness.round1;
import static ai.clawfactory.bench.Harness.round2;

import io.temporal.client.WorkflowStub;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completions per second of two-turn workflows (turn, wait, turn): the worker and the Python
 * worker with the stub gateway, the bare SDK with no-op activities, in turn round by round after
 * one warm-up round each (JIT). Each ratio is the median of the rounds' ratios, each taken from
 * neighbouring measurements. The order of the columns turns by one each round, so that no column
 * always runs first after the gateway's reset or right after another's burst.
 */
final class ThroughputPhase {

    private static final Logger LOG = LoggerFactory.getLogger(ThroughputPhase.class);
    static final long WAIT_MILLIS = 1000;

    private final Harness h;

    ThroughputPhase(Harness h) {
        this.h = h;
    }

    Results.Throughput run() throws Exception {
        Map<String, List<Harness.Round>> rounds = new LinkedHashMap<>();
        List<String> columns = Harness.COLUMNS;
        columns.forEach(c -> rounds.put(c, new ArrayList<>()));
        try (BenchProcess w = h.launch(WORKER, h.unitFlags(), true, "bench-tput");
                BenchProcess b = h.launch(BARE, h.unitFlags(), true, "bench-tput-bare");
                BenchProcess p = h.launch(PYTHON, "", false, "bench-tput-python")) {
            Map<String, BenchProcess> processes = Map.of(WORKER, w, BARE, b, PYTHON, p);
            Map<String, String> queues =
                    Map.of(WORKER, "bench-tput", BARE, "bench-tput-bare", PYTHON, "bench-tput-python");
            for (String c : columns) {
                h.awaitFirstPoll(processes.get(c), queues.get(c));
            }
            for (int round = 0; round <= h.plan.throughputRounds(); round++) {
                h.gateway.reset();
                String tag = round == 0 ? "warmup" : String.valueOf(round);
                Map<String, Harness.Round> thisRound = new LinkedHashMap<>();
                for (String c : order(columns, round)) {
                    String queue = queues.get(c);
                    thisRound.put(c, h.round(processes.get(c), c, h.plan.throughputCount(), id -> {
                        WorkflowStub stub = h.client.newUntypedWorkflowStub(
                                Harness.twoTurnType(c), h.options(queue, queue + "-" + tag + "-" + id));
                        // The clawfactory worker's definition has its wait in the YAML (1s).
                        if (c.equals(WORKER)) {
                            stub.start();
                        } else {
                            stub.start(WAIT_MILLIS);
                        }
                        return stub;
                    }));
                }
                LOG.info(
                        "Throughput round {}: worker {} /s, bare SDK {} /s, Python {} /s; CPU per workflow "
                                + "(worker process / dev server): worker {} / {} ms, bare SDK {} / {} ms, Python {} / {} ms",
                        tag,
                        round1(thisRound.get(WORKER).perSecond()),
                        round1(thisRound.get(BARE).perSecond()),
                        round1(thisRound.get(PYTHON).perSecond()),
                        round1(thisRound.get(WORKER).workerCpuMs()),
                        round1(thisRound.get(WORKER).serverCpuMs()),
                        round1(thisRound.get(BARE).workerCpuMs()),
                        round1(thisRound.get(BARE).serverCpuMs()),
                        round1(thisRound.get(PYTHON).workerCpuMs()),
                        round1(thisRound.get(PYTHON).serverCpuMs()));
                if (round > 0) {
                    thisRound.forEach((c, r) -> rounds.get(c).add(r));
                }
            }
        }
        return summarize(h.plan.throughputCount(), WAIT_MILLIS, rounds);
    }

    /** The columns in the order round {@code round} runs them: {@code columns} turned left by the round's number. */
    static List<String> order(List<String> columns, int round) {
        List<String> turned = new ArrayList<>(columns);
        Collections.rotate(turned, -Math.floorMod(round, columns.size()));
        return turned;
    }

    /**
     * The figures of the rounds (each column's, in the same order): medians, ratios as medians of
     * the per-round ratios, and each column's CPU per workflow.
     */
    static Results.Throughput summarize(int count, long waitMillis, Map<String, List<Harness.Round>> rounds) {
        List<Double> worker = perSecond(rounds.get(WORKER));
        List<Double> bare = perSecond(rounds.get(BARE));
        List<Double> python = perSecond(rounds.get(PYTHON));
        List<Double> workerBare = new ArrayList<>();
        List<Double> workerPython = new ArrayList<>();
        List<Double> barePython = new ArrayList<>();
        for (int i = 0; i < worker.size(); i++) {
            workerBare.add(worker.get(i) / bare.get(i));
            workerPython.add(worker.get(i) / python.get(i));
            barePython.add(bare.get(i) / python.get(i));
        }
        return new Results.Throughput(
                count,
                waitMillis,
                worker.stream().map(Harness::round1).toList(),
                bare.stream().map(Harness::round1).toList(),
                round1(Stats.median(worker)),
                round1(Stats.median(bare)),
                round2(Stats.median(workerBare)),
                python.stream().map(Harness::round1).toList(),
                round1(Stats.median(python)),
                round2(Stats.median(workerPython)),
                round2(Stats.median(barePython)),
                cpu(rounds));
    }

    private static List<Double> perSecond(List<Harness.Round> rounds) {
        return rounds.stream().map(Harness.Round::perSecond).toList();
    }

    private static Map<String, Results.Cpu> cpu(Map<String, List<Harness.Round>> rounds) {
        Map<String, Results.Cpu> cpu = new LinkedHashMap<>();
        rounds.forEach((column, rs) -> {
            List<Double> worker = rs.stream().map(Harness.Round::workerCpuMs).toList();
            List<Double> server = rs.stream().map(Harness.Round::serverCpuMs).toList();
            cpu.put(
                    column,
                    new Results.Cpu(
                            worker.stream().map(Harness::round1).toList(),
                            server.stream().map(Harness::round1).toList(),
                            round1(Stats.median(worker)),
                            round1(Stats.median(server))));
        });
        return cpu;
    }
}

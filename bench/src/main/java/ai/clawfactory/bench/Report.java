package ai.clawfactory.bench;

import static ai.clawfactory.bench.StartupPhase.PYTHON_DEFAULTS;
import static ai.clawfactory.bench.StartupPhase.SHIPPED;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/** Renders {@link Results} as a Markdown report; {@link Chart} draws the same figures. */
final class Report {

    /** The targets; goals for the report, never assertions. */
    static final double TARGET_COLD_START_MS = 1500;

    static final double TARGET_IDLE_MB = 160;
    static final double TARGET_PARKED_MB = 250;
    static final double TARGET_THROUGHPUT_RATIO = 0.8;
    static final double TARGET_SCHEDULE_P99_MS = 1000;

    static final double MB_PER_MIB = 1.048576;

    private Report() {}

    static Results.StartupRow row(Results r, String worker, String flagsName) {
        return r.startup().stream()
                .filter(s -> s.worker().equals(worker) && s.flagsName().equals(flagsName))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no start-up row for " + worker + " / " + flagsName));
    }

    /** The Python worker's start-up row, or null in results from before the Python column. */
    static Results.StartupRow pythonRow(Results r) {
        return r.startup().stream()
                .filter(s -> s.worker().equals(Harness.PYTHON))
                .findFirst()
                .orElse(null);
    }

    /**
     * One figure of the Java worker against the Python worker: worker / Python, and the bare SDK's
     * ratio beside it (the ceiling of what the Java SDK alone does); {@code atLeast}: higher is better.
     */
    record Ratio(String figure, double worker, double bare, double target, boolean atLeast) {
        boolean met() {
            return atLeast ? worker >= target : worker <= target;
        }
    }

    /** Worker / Python for each figure with a target (issue 18); empty for results without the Python column. */
    static List<Ratio> againstPython(Results r) {
        Results.StartupRow py = pythonRow(r);
        if (py == null || r.parked().python() == null || r.throughput().medianPython() == null) {
            return List.of();
        }
        Results.StartupRow ours = row(r, Harness.WORKER, SHIPPED);
        Results.StartupRow bare = row(r, Harness.BARE, SHIPPED);
        List<Ratio> out = new ArrayList<>();
        out.add(new Ratio(
                "throughput (completions/s; median of the rounds' ratios)",
                r.throughput().ratioPython(),
                r.throughput().ratioBarePython(),
                1.0,
                true));
        out.add(new Ratio(
                String.format(
                        Locale.ROOT,
                        "resident memory, %,d workflows parked",
                        r.parked().count()),
                r.parked().parkedRssMiB() / r.parked().python().parkedRssMiB(),
                r.parked().bare().parkedRssMiB() / r.parked().python().parkedRssMiB(),
                1.5,
                false));
        out.add(new Ratio(
                "resident memory, idle",
                ours.medianIdleRssMiB() / py.medianIdleRssMiB(),
                bare.medianIdleRssMiB() / py.medianIdleRssMiB(),
                1.75,
                false));
        out.add(new Ratio(
                "cold start to first poll",
                ours.medianFirstPollMs() / py.medianFirstPollMs(),
                bare.medianFirstPollMs() / py.medianFirstPollMs(),
                2.0,
                false));
        return out;
    }

    private static String verdict(boolean met) {
        return met ? "met" : "**missed**";
    }

    /**
     * Where each column's workflows spent CPU in the throughput rounds: its own process, and the
     * dev server while its rounds ran. Empty for results from before it was measured.
     */
    static String cpuPerWorkflow(Results.Throughput tput) {
        if (tput.cpu() == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "%nCPU time per two-turn workflow in the same rounds (median; the rounds in brackets): what the "
                        + "machine's two cores spend on each, in the worker's own process and in the dev server while "
                        + "that column's workflows ran (the server's figure includes the harness's starts and "
                        + "result polls, alike for every column).%n%n"));
        b.append("| CPU per workflow | clawfactory worker | bare SDK worker (no-op activities) | Python worker |\n");
        b.append("|---|---:|---:|---:|\n");
        cpuRow(b, "the worker's process", tput.cpu(), Results.Cpu::medianWorkerMs, Results.Cpu::worker);
        cpuRow(b, "the dev server", tput.cpu(), Results.Cpu::medianServerMs, Results.Cpu::server);
        return b.toString();
    }

    /** One row of the CPU table: each column's median and its rounds, empty where a column is missing. */
    private static void cpuRow(
            StringBuilder b,
            String label,
            Map<String, Results.Cpu> cpu,
            ToDoubleFunction<Results.Cpu> median,
            Function<Results.Cpu, List<Double>> rounds) {
        b.append("| ").append(label);
        for (String c : Harness.COLUMNS) {
            Results.Cpu column = cpu.get(c);
            b.append(
                    column == null
                            ? " | "
                            : String.format(
                                    Locale.ROOT, " | %.1f ms %s", median.applyAsDouble(column), rounds.apply(column)));
        }
        b.append(" |\n");
    }

    static String markdown(Results r) {
        Results.StartupRow ours = row(r, Harness.WORKER, SHIPPED);
        Results.StartupRow bare = row(r, Harness.BARE, SHIPPED);
        Results.StartupRow py = pythonRow(r);
        Results.Parked parked = r.parked();
        Results.Throughput tput = r.throughput();
        double oursIdleMb = ours.medianIdleRssMiB() * MB_PER_MIB;
        double parkedMb = parked.parkedRssMiB() * MB_PER_MIB;
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT, "Run: %s mode, %s, %d s wall.%n%n", r.mode(), r.startedAt(), r.wallSeconds()));
        b.append("Machine: ").append(r.machine()).append("\n\n");
        b.append("Worker JVM flags (the systemd unit's `JAVA_OPTS`): `")
                .append(r.unitFlags())
                .append("`. \"")
                .append(SHIPPED)
                .append(
                        "\" is how the unit runs after its first stop: through `clawfactory-java`, which maps the application "
                                + "class-data archive recorded then. Both Java workers are measured that way.");
        if (r.python() != null) {
            b.append(String.format(
                    Locale.ROOT,
                    " The Python worker (`bench/python/worker.py`, the original's shape): CPython %s, "
                            + "temporalio %s, httpx %s; %s.",
                    r.python().version(),
                    r.python().temporalio(),
                    r.python().httpx(),
                    r.python().sizing()));
        }
        b.append("\n\n");
        b.append(
                "| figure | clawfactory worker | bare SDK worker | Python worker | ratio (worker / bare) | target | |\n");
        b.append("|---|---:|---:|---:|---:|---|---|\n");
        b.append(String.format(
                Locale.ROOT,
                "| cold start to first poll, median of %d | %.0f ms | %.0f ms | %s | %.2f | ≤ %.0f ms | %s |%n",
                ours.firstPollMs().size(),
                ours.medianFirstPollMs(),
                bare.medianFirstPollMs(),
                py == null ? "" : String.format(Locale.ROOT, "%.0f ms", py.medianFirstPollMs()),
                ours.medianFirstPollMs() / bare.medianFirstPollMs(),
                TARGET_COLD_START_MS,
                verdict(ours.medianFirstPollMs() <= TARGET_COLD_START_MS)));
        b.append(String.format(
                Locale.ROOT,
                "| resident memory, idle after start, median of %d | %.1f MiB (%.0f MB) | %.1f MiB | %s | %.2f | ≤ %.0f MB | %s |%n",
                ours.idleRssMiB().size(),
                ours.medianIdleRssMiB(),
                oursIdleMb,
                bare.medianIdleRssMiB(),
                py == null ? "" : String.format(Locale.ROOT, "%.1f MiB", py.medianIdleRssMiB()),
                ours.medianIdleRssMiB() / bare.medianIdleRssMiB(),
                TARGET_IDLE_MB,
                verdict(oursIdleMb <= TARGET_IDLE_MB)));
        b.append(String.format(
                Locale.ROOT,
                "| resident memory, %,d workflows parked in a wait | %.1f MiB (%.0f MB) | %s | %s | %s | ≤ %.0f MB | %s |%n",
                parked.count(),
                parked.parkedRssMiB(),
                parkedMb,
                parked.bare() == null
                        ? ""
                        : String.format(Locale.ROOT, "%.1f MiB", parked.bare().parkedRssMiB()),
                parked.python() == null
                        ? ""
                        : String.format(Locale.ROOT, "%.1f MiB", parked.python().parkedRssMiB()),
                parked.bare() == null
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                "%.2f",
                                parked.parkedRssMiB() / parked.bare().parkedRssMiB()),
                TARGET_PARKED_MB,
                verdict(parkedMb <= TARGET_PARKED_MB)));
        b.append(String.format(
                Locale.ROOT,
                "| throughput, %d two-turn workflows (turn, %d ms wait, turn), median of %d rounds | %.1f /s | %.1f /s (no-op ceiling) | %s | %.2f (median of the rounds' ratios) | ≥ %.1f | %s |%n",
                tput.count(),
                tput.waitMillis(),
                tput.worker().size(),
                tput.medianWorker(),
                tput.medianBare(),
                tput.medianPython() == null ? "" : String.format(Locale.ROOT, "%.1f /s", tput.medianPython()),
                tput.ratio(),
                TARGET_THROUGHPUT_RATIO,
                verdict(tput.ratio() >= TARGET_THROUGHPUT_RATIO)));
        b.append(String.format(
                Locale.ROOT,
                "| schedule latency, %d firings every %s (after one warm-up firing): p50 / p99 / max | %.0f / %.0f / %.0f ms | | | | p99 ≤ %.0f ms | %s |%n",
                r.schedule().firings(),
                r.schedule().interval(),
                r.schedule().p50Ms(),
                r.schedule().p99Ms(),
                r.schedule().maxMs(),
                TARGET_SCHEDULE_P99_MS,
                verdict(r.schedule().p99Ms() <= TARGET_SCHEDULE_P99_MS)));
        List<Ratio> ratios = againstPython(r);
        if (!ratios.isEmpty()) {
            b.append("\n### Ahead of the Python original\n\n");
            b.append(
                    "The Java worker against the Python worker of the original's shape, on the same server and gateway in the same "
                            + "run; beside it the bare Java SDK against the same Python worker, the ceiling of what the Java SDK alone does.\n\n");
            b.append("| figure | worker / Python | target | | bare SDK / Python (ceiling) |\n");
            b.append("|---|---:|---|---|---:|\n");
            for (Ratio x : ratios) {
                b.append(String.format(
                        Locale.ROOT,
                        "| %s | %.2f | %s %.2f | %s | %.2f |%n",
                        x.figure(),
                        x.worker(),
                        x.atLeast() ? "≥" : "≤",
                        x.target(),
                        verdict(x.met()),
                        x.bare()));
            }
        }
        b.append("\n### Start-up and idle memory by JVM flags\n\n");
        b.append(
                "| worker | JVM flags | first poll, median | started in (the worker's own log) | idle RSS, median | samples: first poll ms / RSS MiB |\n");
        b.append("|---|---|---:|---:|---:|---|\n");
        for (Results.StartupRow s : r.startup()) {
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %.0f ms | %s | %.1f MiB | %s / %s |%n",
                    s.worker(),
                    s.flagsName(),
                    s.medianFirstPollMs(),
                    Double.isNaN(s.medianContextStartMs())
                            ? ""
                            : String.format(Locale.ROOT, "%.0f ms", s.medianContextStartMs()),
                    s.medianIdleRssMiB(),
                    s.firstPollMs(),
                    s.idleRssMiB()));
        }
        b.append(String.format(
                Locale.ROOT,
                "%nWhere start-up goes: the JVM alone (an empty `main`, same flags) takes %.0f ms to start and "
                        + "exit; by its first poll the bare SDK worker has loaded %,d classes, the clawfactory worker %,d (%.1f×).%n",
                r.jvmAloneMs(),
                r.classes().bare(),
                r.classes().worker(),
                (double) r.classes().worker() / r.classes().bare()));
        b.append(String.format(
                Locale.ROOT,
                "%nParked: the clawfactory worker idle %.1f MiB, %.1f MiB with %,d workflows parked (%d s to start "
                        + "them and run their first turns)",
                parked.idleRssMiB(),
                parked.parkedRssMiB(),
                parked.count(),
                parked.secondsToPark()));
        for (String[] c : new String[][] {{"bare SDK", "bare"}, {"Python", "python"}}) {
            Results.ParkedColumn p = c[1].equals("bare") ? parked.bare() : parked.python();
            if (p != null) {
                b.append(String.format(
                        Locale.ROOT,
                        "; the %s worker idle %.1f MiB, parked %.1f MiB (%d s)",
                        c[0],
                        p.idleRssMiB(),
                        p.parkedRssMiB(),
                        p.secondsToPark()));
            }
        }
        b.append(".\n");
        b.append(String.format(
                Locale.ROOT,
                "%nThroughput rounds (workflows/s): worker %s, bare SDK %s%s.%n",
                tput.worker(),
                tput.bare(),
                tput.python() == null ? "" : ", Python " + tput.python()));
        b.append(cpuPerWorkflow(tput));
        b.append(String.format(
                Locale.ROOT,
                "%nSchedule latency split at each run's start: the server's scheduler (scheduled time "
                        + "to the run's start) p50 %.0f / p99 %.0f ms; the worker (run start to the gateway receiving the turn) "
                        + "p50 %.0f / p99 %.0f ms.%n",
                r.schedule().serverP50Ms(),
                r.schedule().serverP99Ms(),
                r.schedule().workerP50Ms(),
                r.schedule().workerP99Ms()));
        b.append(String.format(
                Locale.ROOT,
                "%nSchedule latencies in firing order (ms, scheduled time to the gateway receiving the turn): %s; "
                        + "of which the server's scheduler: %s%n",
                r.schedule().latenciesMs(),
                r.schedule().serverMs()));
        return b.toString();
    }

    /** A flag set's name short enough for a chart label. */
    static String shortName(String flagsName) {
        return switch (flagsName) {
            case SHIPPED -> "as shipped";
            case PYTHON_DEFAULTS -> "SDK defaults";
            case "unit flags (first start: no archive yet)", "unit flags (no archive)" -> "first start (no archive)";
            case "unit flags + AppCDS, without the heap and buffer settings" -> "Xms32m, pooled buffers";
            default -> flagsName.replace("unit flags + AppCDS, ", "").replace("unit flags, ", "");
        };
    }
}

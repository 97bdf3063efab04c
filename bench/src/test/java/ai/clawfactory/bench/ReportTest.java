package ai.clawfactory.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    private static Results.StartupRow row(String column, String name, long pollMs, double rssMiB) {
        return new Results.StartupRow(
                column, name, "", List.of(pollMs), pollMs, List.of(rssMiB), rssMiB, List.of(), Double.NaN);
    }

    private static List<Harness.Round> rounds(double... perSecondWorkerServer) {
        List<Harness.Round> rounds = new ArrayList<>();
        for (int i = 0; i < perSecondWorkerServer.length; i += 3) {
            rounds.add(new Harness.Round(
                    perSecondWorkerServer[i], perSecondWorkerServer[i + 1], perSecondWorkerServer[i + 2]));
        }
        return rounds;
    }

    /** A run with the Python column: worker 1200 ms / 140 MiB, bare 500 ms / 90 MiB, Python 800 ms / 70 MiB. */
    static Results threeColumns() {
        // Each round: completions/s, the worker process's and the server's CPU ms per workflow.
        Map<String, List<Harness.Round>> rounds = new LinkedHashMap<>();
        rounds.put(Harness.WORKER, rounds(20, 24, 50, 22, 20, 44, 18, 22, 47));
        rounds.put(Harness.BARE, rounds(25, 18, 40, 24, 19, 41, 26, 17, 39));
        rounds.put(Harness.PYTHON, rounds(16, 26, 38, 20, 25, 42, 20, 27, 40));
        Results.Throughput tput = ThroughputPhase.summarize(200, 1000, rounds);
        return new Results(
                "full",
                "test machine",
                "2026-12-01T12:00:00Z",
                500,
                "-Xmx256m",
                50,
                List.of(
                        row("worker", StartupPhase.SHIPPED, 1200, 140), row("bare", StartupPhase.SHIPPED, 500, 90),
                        row("python", StartupPhase.PYTHON_DEFAULTS, 800, 70), row("worker", "JVM defaults", 3000, 230)),
                new Results.Classes(10000, 6000),
                new Results.Parked(
                        1000,
                        140,
                        240,
                        30,
                        new Results.ParkedColumn(90, 150, 25),
                        new Results.ParkedColumn(70, 150, 40)),
                tput,
                new Results.ScheduleLatency(
                        3,
                        "1s",
                        List.of(500L, 600L, 700L),
                        600,
                        700,
                        700,
                        List.of(450L, 550L, 650L),
                        550,
                        650,
                        List.of(50L, 50L, 50L),
                        50,
                        50),
                "/usr/bin/java",
                new Results.Python("3.11.7", "1.35.0", "0.28.1", Bench.PYTHON_SIZING));
    }

    @Test
    void throughputRatiosAreMediansOfTheRoundsRatios() {
        Results.Throughput t = threeColumns().throughput();
        assertEquals(20.0, t.medianWorker());
        assertEquals(20.0, t.medianPython());
        // worker / Python per round: 1.25, 1.1, 0.9 -> 1.1; bare / Python: 1.5625, 1.2, 1.3 -> 1.3
        assertEquals(1.1, t.ratioPython());
        assertEquals(1.3, t.ratioBarePython());
        // worker / bare: 0.8, 0.9167, 0.6923 -> 0.8
        assertEquals(0.8, t.ratio());
    }

    @Test
    void ratiosAgainstPythonHaveTheIssuesTargetsAndTheBareCeiling() {
        List<Report.Ratio> ratios = Report.againstPython(threeColumns());
        assertEquals(4, ratios.size());
        Report.Ratio tput = ratios.get(0);
        assertEquals(1.1, tput.worker(), 1e-9);
        assertEquals(1.0, tput.target());
        assertTrue(tput.met());
        Report.Ratio parked = ratios.get(1);
        assertEquals(1.6, parked.worker(), 1e-9);
        assertEquals(1.0, parked.bare(), 1e-9);
        assertFalse(parked.met(), "240 / 150 is over 1.5");
        Report.Ratio idle = ratios.get(2);
        assertEquals(2.0, idle.worker(), 1e-9);
        assertEquals(1.75, idle.target());
        assertFalse(idle.met());
        Report.Ratio poll = ratios.get(3);
        assertEquals(1.5, poll.worker(), 1e-9);
        assertEquals(0.625, poll.bare(), 1e-9);
        assertTrue(poll.met());
    }

    @Test
    void theReportHasAPythonColumnAndTheRatioTable() {
        String md = Report.markdown(threeColumns());
        assertTrue(md.contains("| figure | clawfactory worker | bare SDK worker | Python worker |"), md);
        assertTrue(md.contains("| cold start to first poll, median of 1 | 1200 ms | 500 ms | 800 ms | 2.40 |"), md);
        assertTrue(
                md.contains(
                        "| resident memory, 1,000 workflows parked in a wait | 240.0 MiB (252 MB) | 150.0 MiB | 150.0 MiB | 1.60 |"),
                md);
        assertTrue(md.contains("### Ahead of the Python original"), md);
        assertTrue(
                md.contains(
                        "| throughput (completions/s; median of the rounds' ratios) | 1.10 | ≥ 1.00 | met | 1.30 |"),
                md);
        assertTrue(md.contains("| resident memory, idle | 2.00 | ≤ 1.75 | **missed** | 1.29 |"), md);
        assertTrue(md.contains("temporalio 1.35.0"), md);
        assertTrue(md.contains("Python [16.0, 20.0, 20.0]"), md);
    }

    @Test
    void eachColumnsCpuPerWorkflowIsTheMedianOfItsRounds() {
        Map<String, Results.Cpu> cpu = threeColumns().throughput().cpu();
        assertEquals(List.of(Harness.WORKER, Harness.BARE, Harness.PYTHON), List.copyOf(cpu.keySet()));
        assertEquals(22.0, cpu.get(Harness.WORKER).medianWorkerMs());
        assertEquals(47.0, cpu.get(Harness.WORKER).medianServerMs());
        assertEquals(List.of(24.0, 20.0, 22.0), cpu.get(Harness.WORKER).worker());
        assertEquals(18.0, cpu.get(Harness.BARE).medianWorkerMs());
        assertEquals(40.0, cpu.get(Harness.PYTHON).medianServerMs());
    }

    @Test
    void theReportSaysWhereEachColumnsWorkflowsSpentCpu() {
        String md = Report.markdown(threeColumns());
        assertTrue(
                md.contains("| the worker's process | 22.0 ms [24.0, 20.0, 22.0] | 18.0 ms [18.0, 19.0, 17.0] "
                        + "| 26.0 ms [26.0, 25.0, 27.0] |"),
                md);
        assertTrue(
                md.contains("| the dev server | 47.0 ms [50.0, 44.0, 47.0] | 40.0 ms [40.0, 41.0, 39.0] "
                        + "| 40.0 ms [38.0, 42.0, 40.0] |"),
                md);
    }

    @Test
    void resultsSurviveTheirJsonAndRenderAgain(@TempDir Path dir) throws Exception {
        Results r = threeColumns();
        Path json = dir.resolve("results.json");
        new ObjectMapper().writeValue(json.toFile(), r);
        Results back = Bench.readResults(json);
        assertEquals(Report.markdown(r), Report.markdown(back));
        assertEquals(r.parked(), back.parked());
        assertEquals(r.python(), back.python());
        assertEquals(r.throughput().cpu(), back.throughput().cpu());
    }

    @Test
    void resultsFromBeforeThePythonColumnStillRender() throws Exception {
        Results old = Bench.readResults(Path.of("src/test/resources/results-before-python.json"));
        assertNull(old.python());
        assertNull(old.parked().python());
        assertNull(old.throughput().medianPython());
        assertNull(old.throughput().cpu());
        assertTrue(Report.againstPython(old).isEmpty());
        String md = Report.markdown(old);
        assertTrue(md.contains("| figure | clawfactory worker | bare SDK worker | Python worker |"), md);
        assertFalse(md.contains("Ahead of the Python original"), md);
        assertFalse(md.contains("CPU per workflow"), md);
        BufferedImage image = Chart.image(old);
        assertEquals(Chart.WIDTH, image.getWidth());
    }

    @Test
    void fromResultsWritesTheReportAndTheChart(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("results.json");
        new ObjectMapper().writeValue(json.toFile(), threeColumns());
        int code = Bench.commandLine()
                .execute(
                        "--from-results",
                        json.toString(),
                        "--out",
                        dir.resolve("out").toString());
        assertEquals(0, code);
        assertTrue(Files.readString(dir.resolve("out/report.md")).contains("Ahead of the Python original"));
        BufferedImage png =
                javax.imageio.ImageIO.read(dir.resolve("out/chart.png").toFile());
        assertEquals(Chart.HEIGHT, png.getHeight());
    }

    @Test
    void theDocsGetTheReportBetweenTheirMarkersAndKeepTheRest() {
        String doc =
                "# Benchmarks\n\n## Results\n<!-- bench results: begin (refresh: ./clawfactory bench --from-results F --docs D) -->\n"
                        + "old table\n<!-- bench results: end -->\n\n## What the figures say\nprose\n";
        String updated = Bench.withResults(doc, "| new | table |\n", Path.of("docs/BENCHMARKS.md"));
        assertEquals(
                "# Benchmarks\n\n## Results\n<!-- bench results: begin (refresh: ./clawfactory bench --from-results F --docs D) -->\n"
                        + "\n| new | table |\n\n<!-- bench results: end -->\n\n## What the figures say\nprose\n",
                updated);
        // Refreshing again replaces the same block.
        assertEquals(updated, Bench.withResults(updated, "| new | table |", Path.of("docs/BENCHMARKS.md")));
    }

    @Test
    void docsWithoutMarkersAreAClearError() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalStateException.class,
                () -> Bench.withResults("# Benchmarks\n", "x", Path.of("docs/BENCHMARKS.md")));
        assertTrue(e.getMessage().startsWith("docs/BENCHMARKS.md: no results markers"), e.getMessage());
        IllegalStateException sameLine = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalStateException.class,
                () -> Bench.withResults(
                        "<!-- bench results: begin --> <!-- bench results: end -->\n", "x", Path.of("d.md")));
        assertTrue(sameLine.getMessage().contains("lines of their own"), sameLine.getMessage());
    }
}

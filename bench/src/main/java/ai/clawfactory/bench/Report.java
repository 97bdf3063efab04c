package ai.clawfactory.bench;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.data.category.DefaultCategoryDataset;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.Locale;

/** Renders {@link Results} as a Markdown report and a PNG chart (four panels). */
final class Report {

    /** The issue's targets; goals for the report, never assertions. */
    static final double TARGET_COLD_START_MS = 1500;
    static final double TARGET_IDLE_MB = 160;
    static final double TARGET_PARKED_MB = 250;
    static final double TARGET_THROUGHPUT_RATIO = 0.8;
    static final double TARGET_SCHEDULE_P99_MS = 1000;

    private static final double MB_PER_MIB = 1.048576;

    private Report() {
    }

    static Results.StartupRow row(Results r, String worker, String flagsName) {
        return r.startup().stream().filter(s -> s.worker().equals(worker) && s.flagsName().equals(flagsName)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no start-up row for " + worker + " / " + flagsName));
    }

    private static String verdict(boolean met) {
        return met ? "met" : "**missed**";
    }

    static String markdown(Results r) {
        Results.StartupRow ours = row(r, "worker", Bench.SHIPPED);
        Results.StartupRow bare = row(r, "bare", Bench.SHIPPED);
        double oursIdleMb = ours.medianIdleRssMiB() * MB_PER_MIB;
        double parkedMb = r.parked().parkedRssMiB() * MB_PER_MIB;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Run: %s mode, %s, %d s wall.%n%n", r.mode(), r.startedAt(), r.wallSeconds()));
        b.append("Machine: ").append(r.machine()).append("\n\n");
        b.append("Worker JVM flags (the systemd unit's `JAVA_OPTS`): `").append(r.unitFlags()).append("`. \"").append(Bench.SHIPPED)
                .append("\" is how the unit runs after its first stop: through `clawfactory-java`, which maps the application "
                        + "class-data archive recorded then. Both workers are measured that way.\n\n");
        b.append("| figure | clawfactory worker | bare SDK worker | ratio (worker / bare) | target | |\n");
        b.append("|---|---:|---:|---:|---|---|\n");
        b.append(String.format(Locale.ROOT, "| cold start to first poll, median of %d | %.0f ms | %.0f ms | %.2f | ≤ %.0f ms | %s |%n",
                ours.firstPollMs().size(), ours.medianFirstPollMs(), bare.medianFirstPollMs(),
                ours.medianFirstPollMs() / bare.medianFirstPollMs(), TARGET_COLD_START_MS,
                verdict(ours.medianFirstPollMs() <= TARGET_COLD_START_MS)));
        b.append(String.format(Locale.ROOT, "| resident memory, idle after start, median of %d | %.1f MiB (%.0f MB) | %.1f MiB | %.2f | ≤ %.0f MB | %s |%n",
                ours.idleRssMiB().size(), ours.medianIdleRssMiB(), oursIdleMb, bare.medianIdleRssMiB(),
                ours.medianIdleRssMiB() / bare.medianIdleRssMiB(), TARGET_IDLE_MB, verdict(oursIdleMb <= TARGET_IDLE_MB)));
        b.append(String.format(Locale.ROOT, "| resident memory, %,d workflows parked in a wait | %.1f MiB (%.0f MB) | | | ≤ %.0f MB | %s |%n",
                r.parked().count(), r.parked().parkedRssMiB(), parkedMb, TARGET_PARKED_MB, verdict(parkedMb <= TARGET_PARKED_MB)));
        b.append(String.format(Locale.ROOT, "| throughput, %d two-turn workflows (turn, %d ms wait, turn), median of %d rounds | %.1f /s | %.1f /s (no-op ceiling) | %.2f (median of the rounds' ratios) | ≥ %.1f | %s |%n",
                r.throughput().count(), r.throughput().waitMillis(), r.throughput().worker().size(), r.throughput().medianWorker(),
                r.throughput().medianBare(), r.throughput().ratio(), TARGET_THROUGHPUT_RATIO,
                verdict(r.throughput().ratio() >= TARGET_THROUGHPUT_RATIO)));
        b.append(String.format(Locale.ROOT, "| schedule latency, %d firings every %s (after one warm-up firing): p50 / p99 / max | %.0f / %.0f / %.0f ms | | | p99 ≤ %.0f ms | %s |%n",
                r.schedule().firings(), r.schedule().interval(), r.schedule().p50Ms(), r.schedule().p99Ms(), r.schedule().maxMs(),
                TARGET_SCHEDULE_P99_MS, verdict(r.schedule().p99Ms() <= TARGET_SCHEDULE_P99_MS)));
        b.append("\n### Start-up and idle memory by JVM flags\n\n");
        b.append("| worker | JVM flags | first poll, median | context started (worker's log) | idle RSS, median | samples: first poll ms / RSS MiB |\n");
        b.append("|---|---|---:|---:|---:|---|\n");
        for (Results.StartupRow s : r.startup()) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %.0f ms | %s | %.1f MiB | %s / %s |%n", s.worker(), s.flagsName(),
                    s.medianFirstPollMs(), Double.isNaN(s.medianContextStartMs()) ? "" : String.format(Locale.ROOT, "%.0f ms", s.medianContextStartMs()),
                    s.medianIdleRssMiB(), s.firstPollMs(), s.idleRssMiB()));
        }
        b.append(String.format(Locale.ROOT, "%nWhere start-up goes: the JVM alone (an empty `main`, same flags) takes %.0f ms to start and "
                        + "exit; by its first poll the bare SDK worker has loaded %,d classes, the clawfactory worker %,d (%.1f×).%n",
                r.jvmAloneMs(), r.classes().bare(), r.classes().worker(), (double) r.classes().worker() / r.classes().bare()));
        b.append(String.format(Locale.ROOT, "%nParked: idle %.1f MiB, %.1f MiB with %,d workflows parked (%d s to start them and run their "
                        + "first turns).%n", r.parked().idleRssMiB(), r.parked().parkedRssMiB(), r.parked().count(), r.parked().secondsToPark()));
        b.append(String.format(Locale.ROOT, "%nThroughput rounds (workflows/s): worker %s, bare SDK %s.%n", r.throughput().worker(),
                r.throughput().bare()));
        b.append(String.format(Locale.ROOT, "%nSchedule latency split at each run's start: the server's scheduler (scheduled time "
                        + "to the run's start) p50 %.0f / p99 %.0f ms; the worker (run start to the gateway receiving the turn) "
                        + "p50 %.0f / p99 %.0f ms.%n", r.schedule().serverP50Ms(), r.schedule().serverP99Ms(), r.schedule().workerP50Ms(),
                r.schedule().workerP99Ms()));
        b.append(String.format(Locale.ROOT, "%nSchedule latencies in firing order (ms, scheduled time to the gateway receiving the turn): %s; "
                + "of which the server's scheduler: %s%n", r.schedule().latenciesMs(), r.schedule().serverMs()));
        return b.toString();
    }

    static void chart(Results r, Path png) throws IOException {
        int w = 1600;
        int h = 1100;
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);

        DefaultCategoryDataset start = new DefaultCategoryDataset();
        start.addValue(r.jvmAloneMs(), "ms", "JVM alone");
        start.addValue(row(r, "bare", Bench.SHIPPED).medianFirstPollMs(), "ms", "bare SDK, " + shortName(Bench.SHIPPED));
        start.addValue(row(r, "worker", Bench.SHIPPED).medianFirstPollMs(), "ms", "clawfactory, " + shortName(Bench.SHIPPED));
        for (Results.StartupRow s : r.startup()) {
            if (s.worker().equals("worker") && !s.flagsName().equals(Bench.SHIPPED)) {
                start.addValue(s.medianFirstPollMs(), "ms", "clawfactory, " + shortName(s.flagsName()));
            }
        }
        draw(g, bars("Cold start to first poll (ms, median)", start, TARGET_COLD_START_MS, "target"), 0, 0, w / 2, h / 2);

        DefaultCategoryDataset mem = new DefaultCategoryDataset();
        mem.addValue(row(r, "bare", Bench.SHIPPED).medianIdleRssMiB(), "MiB", "bare SDK idle, " + shortName(Bench.SHIPPED));
        for (Results.StartupRow s : r.startup()) {
            if (s.worker().equals("worker")) {
                mem.addValue(s.medianIdleRssMiB(), "MiB", "idle, " + shortName(s.flagsName()));
            }
        }
        mem.addValue(r.parked().parkedRssMiB(), "MiB", String.format(Locale.ROOT, "%,d parked", r.parked().count()));
        JFreeChart memChart = bars("Worker resident memory (MiB)", mem, TARGET_IDLE_MB / MB_PER_MIB, "idle target");
        ((CategoryPlot) memChart.getPlot()).addRangeMarker(marker(TARGET_PARKED_MB / MB_PER_MIB, "parked target"));
        draw(g, memChart, w / 2, 0, w / 2, h / 2);

        DefaultCategoryDataset tput = new DefaultCategoryDataset();
        tput.addValue(r.throughput().medianBare(), "/s", "bare SDK, no-op (ceiling)");
        tput.addValue(r.throughput().medianWorker(), "/s", "clawfactory + gateway");
        draw(g, bars(String.format(Locale.ROOT, "Throughput, %d two-turn workflows (completed/s); ratio %.2f",
                r.throughput().count(), r.throughput().ratio()), tput, r.throughput().medianBare() * TARGET_THROUGHPUT_RATIO,
                "0.8 × ceiling"), 0, h / 2, w / 2, h / 2);

        DefaultCategoryDataset lat = new DefaultCategoryDataset();
        lat.addValue(r.schedule().p50Ms(), "ms", "p50");
        lat.addValue(r.schedule().p99Ms(), "ms", "p99");
        lat.addValue(r.schedule().maxMs(), "ms", "max");
        lat.addValue(r.schedule().serverP99Ms(), "ms", "p99, server's scheduler part");
        lat.addValue(r.schedule().workerP99Ms(), "ms", "p99, worker part");
        draw(g, bars(String.format(Locale.ROOT, "Schedule latency, %d firings (ms)", r.schedule().firings()), lat,
                TARGET_SCHEDULE_P99_MS, "p99 target"), w / 2, h / 2, w / 2, h / 2);
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    /** A flag set's name short enough for a chart label. */
    static String shortName(String flagsName) {
        return switch (flagsName) {
            case Bench.SHIPPED -> "as shipped";
            case "unit flags (first start: no archive yet)", "unit flags (no archive)" -> "first start (no archive)";
            case "unit flags + AppCDS, without the heap and buffer settings" -> "Xms32m, pooled buffers";
            default -> flagsName.replace("unit flags + AppCDS, ", "").replace("unit flags, ", "");
        };
    }

    private static JFreeChart bars(String title, DefaultCategoryDataset data, double target, String targetLabel) {
        JFreeChart chart = ChartFactory.createBarChart(title, null, null, data, PlotOrientation.HORIZONTAL, false, false, false);
        CategoryPlot plot = (CategoryPlot) chart.getPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setSeriesPaint(0, new Color(0x3b6ea8));
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", new DecimalFormat("#,##0.#")));
        renderer.setDefaultItemLabelsVisible(true);
        plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(0.45f);
        plot.addRangeMarker(marker(target, targetLabel));
        double max = target;
        for (int i = 0; i < data.getColumnCount(); i++) {
            max = Math.max(max, data.getValue(0, i).doubleValue());
        }
        plot.getRangeAxis().setRange(0, max * 1.15);
        return chart;
    }

    private static ValueMarker marker(double value, String label) {
        ValueMarker m = new ValueMarker(value, new Color(0xc0392b), new BasicStroke(2f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
        m.setLabel(label);
        m.setLabelPaint(new Color(0xc0392b));
        m.setLabelAnchor(RectangleAnchor.BOTTOM_LEFT);
        m.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
        return m;
    }

    private static void draw(Graphics2D g, JFreeChart chart, int x, int y, int w, int h) {
        chart.draw(g, new Rectangle2D.Double(x + 10, y + 10, w - 20, h - 20));
    }
}

package ai.clawfactory.bench;

import static ai.clawfactory.bench.Report.MB_PER_MIB;
import static ai.clawfactory.bench.Report.row;
import static ai.clawfactory.bench.Report.shortName;
import static ai.clawfactory.bench.StartupPhase.SHIPPED;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The report's PNG: six panels (start-up, idle memory by flags, parked memory, throughput,
 * schedule latency, the ratios against the Python worker); results from before the Python column
 * get the same panels without it.
 */
final class Chart {

    static final int WIDTH = 1600;
    static final int HEIGHT = 1650;
    private static final Color[] SERIES = {new Color(0x3b6ea8), new Color(0x9aa5b1), new Color(0xe0a526)};

    private Chart() {}

    static void render(Results r, Path png) throws IOException {
        ImageIO.write(image(r), "png", png.toFile());
    }

    static BufferedImage image(Results r) {
        int w = WIDTH;
        int h = HEIGHT / 3;
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        Results.StartupRow py = Report.pythonRow(r);

        DefaultCategoryDataset start = new DefaultCategoryDataset();
        start.addValue(r.jvmAloneMs(), "ms", "JVM alone");
        if (py != null) {
            start.addValue(py.medianFirstPollMs(), "ms", "Python worker, SDK defaults");
        }
        start.addValue(row(r, Harness.BARE, SHIPPED).medianFirstPollMs(), "ms", "bare SDK, " + shortName(SHIPPED));
        start.addValue(row(r, Harness.WORKER, SHIPPED).medianFirstPollMs(), "ms", "clawfactory, " + shortName(SHIPPED));
        for (Results.StartupRow s : r.startup()) {
            if (s.worker().equals(Harness.WORKER) && !s.flagsName().equals(SHIPPED)) {
                start.addValue(s.medianFirstPollMs(), "ms", "clawfactory, " + shortName(s.flagsName()));
            }
        }
        draw(
                g,
                bars("Cold start to first poll (ms, median)", start, Report.TARGET_COLD_START_MS, "target"),
                0,
                0,
                w / 2,
                h);

        DefaultCategoryDataset mem = new DefaultCategoryDataset();
        if (py != null) {
            mem.addValue(py.medianIdleRssMiB(), "MiB", "Python worker idle");
        }
        mem.addValue(row(r, Harness.BARE, SHIPPED).medianIdleRssMiB(), "MiB", "bare SDK idle, " + shortName(SHIPPED));
        for (Results.StartupRow s : r.startup()) {
            if (s.worker().equals(Harness.WORKER)) {
                mem.addValue(s.medianIdleRssMiB(), "MiB", "clawfactory idle, " + shortName(s.flagsName()));
            }
        }
        draw(
                g,
                bars("Idle resident memory (MiB, median)", mem, Report.TARGET_IDLE_MB / MB_PER_MIB, "idle target"),
                w / 2,
                0,
                w / 2,
                h);

        DefaultCategoryDataset parked = new DefaultCategoryDataset();
        String idle = "idle";
        String full = String.format(Locale.ROOT, "%,d parked", r.parked().count());
        parked.addValue(r.parked().idleRssMiB(), idle, "clawfactory");
        parked.addValue(r.parked().parkedRssMiB(), full, "clawfactory");
        if (r.parked().bare() != null) {
            parked.addValue(r.parked().bare().idleRssMiB(), idle, "bare SDK");
            parked.addValue(r.parked().bare().parkedRssMiB(), full, "bare SDK");
        }
        if (r.parked().python() != null) {
            parked.addValue(r.parked().python().idleRssMiB(), idle, "Python worker");
            parked.addValue(r.parked().python().parkedRssMiB(), full, "Python worker");
        }
        draw(
                g,
                bars(
                        String.format(
                                Locale.ROOT,
                                "Resident memory, idle and with %,d workflows parked (MiB)",
                                r.parked().count()),
                        parked,
                        Report.TARGET_PARKED_MB / MB_PER_MIB,
                        "parked target"),
                0,
                h,
                w / 2,
                h);

        DefaultCategoryDataset tput = new DefaultCategoryDataset();
        tput.addValue(r.throughput().medianBare(), "/s", "bare SDK, no-op (ceiling)");
        tput.addValue(r.throughput().medianWorker(), "/s", "clawfactory + gateway");
        if (r.throughput().medianPython() != null) {
            tput.addValue(r.throughput().medianPython(), "/s", "Python worker + gateway");
        }
        draw(
                g,
                bars(
                        String.format(
                                Locale.ROOT,
                                "Throughput, %d two-turn workflows (completed/s); worker / bare %.2f",
                                r.throughput().count(),
                                r.throughput().ratio()),
                        tput,
                        r.throughput().medianBare() * Report.TARGET_THROUGHPUT_RATIO,
                        "0.8 × ceiling"),
                w / 2,
                h,
                w / 2,
                h);

        DefaultCategoryDataset lat = new DefaultCategoryDataset();
        lat.addValue(r.schedule().p50Ms(), "ms", "p50");
        lat.addValue(r.schedule().p99Ms(), "ms", "p99");
        lat.addValue(r.schedule().maxMs(), "ms", "max");
        lat.addValue(r.schedule().serverP99Ms(), "ms", "p99, server's scheduler part");
        lat.addValue(r.schedule().workerP99Ms(), "ms", "p99, worker part");
        draw(
                g,
                bars(
                        String.format(
                                Locale.ROOT,
                                "Schedule latency of the worker, %d firings (ms)",
                                r.schedule().firings()),
                        lat,
                        Report.TARGET_SCHEDULE_P99_MS,
                        "p99 target"),
                0,
                2 * h,
                w / 2,
                h);

        List<Report.Ratio> ratios = Report.againstPython(r);
        if (!ratios.isEmpty()) {
            DefaultCategoryDataset vs = new DefaultCategoryDataset();
            String[] names = {"throughput (≥)", "parked RSS (≤)", "idle RSS (≤)", "first poll (≤)"};
            for (int i = 0; i < ratios.size(); i++) {
                vs.addValue(ratios.get(i).worker(), "clawfactory / Python", names[i]);
                vs.addValue(ratios.get(i).bare(), "bare SDK / Python (ceiling)", names[i]);
                vs.addValue(ratios.get(i).target(), "target", names[i]);
            }
            JFreeChart chart = bars("Java against the Python original (ratios)", vs, 1.0, "parity", "0.00");
            draw(g, chart, w / 2, 2 * h, w / 2, h);
        }
        g.dispose();
        return image;
    }

    private static JFreeChart bars(String title, DefaultCategoryDataset data, double target, String targetLabel) {
        return bars(title, data, target, targetLabel, "#,##0.#");
    }

    private static JFreeChart bars(
            String title, DefaultCategoryDataset data, double target, String targetLabel, String format) {
        boolean legend = data.getRowCount() > 1;
        JFreeChart chart =
                ChartFactory.createBarChart(title, null, null, data, PlotOrientation.HORIZONTAL, legend, false, false);
        CategoryPlot plot = (CategoryPlot) chart.getPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        for (int i = 0; i < SERIES.length; i++) {
            renderer.setSeriesPaint(i, SERIES[i]);
        }
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.05);
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", new DecimalFormat(format)));
        renderer.setDefaultItemLabelsVisible(true);
        plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(0.45f);
        plot.addRangeMarker(marker(target, targetLabel));
        double max = target;
        for (int row = 0; row < data.getRowCount(); row++) {
            for (int i = 0; i < data.getColumnCount(); i++) {
                Number v = data.getValue(row, i);
                if (v != null) {
                    max = Math.max(max, v.doubleValue());
                }
            }
        }
        plot.getRangeAxis().setRange(0, max * 1.15);
        return chart;
    }

    private static ValueMarker marker(double value, String label) {
        ValueMarker m = new ValueMarker(
                value,
                new Color(0xc0392b),
                new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
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

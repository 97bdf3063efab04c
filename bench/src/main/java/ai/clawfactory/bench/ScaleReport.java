package ai.clawfactory.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/** Renders {@link ScaleResults}: a markdown report and one log-log SVG chart per figure family. */
final class ScaleReport {

    private ScaleReport() {}

    /** scale-report.md and scale-*.svg into {@code dir}. */
    static void write(ScaleResults r, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("scale-report.md"), markdown(r));
        for (Map.Entry<String, String> chart : charts(r).entrySet()) {
            Files.writeString(dir.resolve(chart.getKey()), chart.getValue());
        }
    }

    static Map<String, String> charts(ScaleResults r) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, List<double[]>> sync = new LinkedHashMap<>();
        sync.put("validate (ms)", points(r.sync(), s -> s.schedules(), s -> s.validateMs()));
        sync.put("first sync (ms)", points(r.sync(), s -> s.schedules(), s -> s.firstSyncMs()));
        sync.put("second sync (ms)", points(r.sync(), s -> s.schedules(), s -> s.secondSyncMs()));
        sync.put("second sync, settled (ms)", points(r.sync(), s -> s.schedules(), s -> s.secondSyncSettledMs()));
        sync.put("second sync, no hash attribute (ms)", points(r.sync(), s -> s.schedules(), s -> s.secondNoIndexMs()));
        sync.put("second sync: Temporal calls", points(r.sync(), s -> s.schedules(), s -> s.secondSyncCalls()));
        sync.put("... no hash attribute: calls", points(r.sync(), s -> s.schedules(), s -> s.secondNoIndexCalls()));
        out.put("scale-sync.svg", svg("schedules sync and validate", "schedules", sync));
        Map<String, List<double[]>> ledger = new LinkedHashMap<>();
        for (String db : List.of("sqlite", "postgresql")) {
            Predicate<ScaleResults.LedgerRow> of = l -> l.database().equals(db);
            List<ScaleResults.LedgerRow> rows = r.ledger().stream().filter(of).toList();
            ledger.put(db + ": turns --workflow (ms)", points(rows, l -> l.rows(), l -> l.turnsWorkflowMs()));
            ledger.put(db + ": turns --limit 50 (ms)", points(rows, l -> l.rows(), l -> l.turnsLimit50Ms()));
            ledger.put(db + ": turns prune (ms)", points(rows, l -> l.rows(), l -> l.pruneMs()));
        }
        out.put("scale-ledger.svg", svg("turns commands (whole process)", "ledger rows", ledger));
        Map<String, List<double[]>> worker = new LinkedHashMap<>();
        worker.put("first poll (ms)", points(r.worker(), w -> w.definitions(), w -> w.firstPollMs()));
        worker.put("idle RSS (MiB)", points(r.worker(), w -> w.definitions(), w -> w.idleRssMiB()));
        worker.put("hot reload to parked run (ms)", points(r.worker(), w -> w.definitions(), w -> w.reloadMs()));
        worker.put("RSS after reload (MiB)", points(r.worker(), w -> w.definitions(), w -> w.afterReloadRssMiB()));
        out.put("scale-worker.svg", svg("worker with N definitions", "definitions", worker));
        Map<String, List<double[]>> parked = new LinkedHashMap<>();
        parked.put("worker RSS (MiB)", points(r.parked(), p -> p.count(), p -> p.workerParkedRssMiB()));
        parked.put("dev server RSS (MiB)", points(r.parked(), p -> p.count(), p -> p.serverParkedRssMiB()));
        parked.put("seconds to park", points(r.parked(), p -> p.count(), p -> p.secondsToPark()));
        out.put("scale-parked.svg", svg("runs parked in a wait", "parked runs", parked));
        Map<String, List<double[]>> punctual = new LinkedHashMap<>();
        punctual.put("p50 lateness (ms)", points(r.punctuality(), p -> p.schedules(), p -> p.p50LatenessMs()));
        punctual.put("p99 lateness (ms)", points(r.punctuality(), p -> p.schedules(), p -> p.p99LatenessMs()));
        out.put("scale-punctuality.svg", svg("schedules due in the same minute", "schedules", punctual));
        return out;
    }

    private static <T> List<double[]> points(List<T> rows, Function<T, Number> x, Function<T, Number> y) {
        List<double[]> out = new ArrayList<>();
        for (T row : rows) {
            Number v = y.apply(row);
            if (v != null && v.doubleValue() > 0) {
                out.add(new double[] {x.apply(row).doubleValue(), v.doubleValue()});
            }
        }
        return out;
    }

    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

    /** A log-log line chart, one series a line with its points marked; decades gridded. */
    static String svg(String title, String xLabel, Map<String, List<double[]>> series) {
        int w = 760, hgt = 420, left = 70, right = 260, top = 40, bottom = 50;
        double minX = Double.MAX_VALUE, maxX = 0, minY = Double.MAX_VALUE, maxY = 0;
        for (List<double[]> pts : series.values()) {
            for (double[] p : pts) {
                minX = Math.min(minX, p[0]);
                maxX = Math.max(maxX, p[0]);
                minY = Math.min(minY, p[1]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        StringBuilder s = new StringBuilder();
        s.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" "
                        + "font-size=\"12\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
                        + "<text x=\"%d\" y=\"22\" font-size=\"15\">%s (log-log)</text>\n",
                w,
                hgt,
                left,
                esc(title)));
        if (maxX == 0) {
            return s.append("<text x=\"70\" y=\"80\">not measured</text>\n</svg>\n")
                    .toString();
        }
        double x0 = Math.floor(Math.log10(minX)), x1 = Math.max(x0 + 1, Math.ceil(Math.log10(maxX)));
        double y0 = Math.floor(Math.log10(minY)), y1 = Math.max(y0 + 1, Math.ceil(Math.log10(maxY)));
        int pw = w - left - right, ph = hgt - top - bottom;
        Function<Double, Double> px = v -> left + (Math.log10(v) - x0) / (x1 - x0) * pw;
        Function<Double, Double> py = v -> top + ph - (Math.log10(v) - y0) / (y1 - y0) * ph;
        for (double d = x0; d <= x1; d++) {
            double x = left + (d - x0) / (x1 - x0) * pw;
            s.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                            + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                    x,
                    top,
                    x,
                    top + ph,
                    x,
                    top + ph + 16,
                    label(Math.pow(10, d))));
        }
        for (double d = y0; d <= y1; d++) {
            double y = top + ph - (d - y0) / (y1 - y0) * ph;
            s.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                            + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                    left,
                    y,
                    left + pw,
                    y,
                    left - 6,
                    y + 4,
                    label(Math.pow(10, d))));
        }
        s.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                left + pw / 2,
                hgt - 12,
                esc(xLabel)));
        int i = 0;
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            String colour = COLOURS[i % COLOURS.length];
            String dash = i >= COLOURS.length ? " stroke-dasharray=\"5,3\"" : "";
            List<double[]> pts = e.getValue();
            if (!pts.isEmpty()) {
                StringBuilder line = new StringBuilder();
                for (double[] p : pts) {
                    line.append(String.format(Locale.ROOT, "%.1f,%.1f ", px.apply(p[0]), py.apply(p[1])));
                    s.append(String.format(
                            Locale.ROOT,
                            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n",
                            px.apply(p[0]),
                            py.apply(p[1]),
                            colour));
                }
                s.append(String.format(
                        Locale.ROOT,
                        "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>\n",
                        line.toString().trim(),
                        colour,
                        dash));
            }
            int ly = top + 10 + i * 18;
            s.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>"
                            + "<text x=\"%d\" y=\"%d\">%s</text>\n",
                    left + pw + 12,
                    ly,
                    left + pw + 32,
                    ly,
                    colour,
                    dash,
                    left + pw + 38,
                    ly + 4,
                    esc(e.getKey() + (pts.isEmpty() ? " (none)" : ""))));
            i++;
        }
        return s.append("</svg>\n").toString();
    }

    private static String label(double v) {
        if (v >= 1_000_000) {
            return String.format(Locale.ROOT, "%.0fM", v / 1_000_000);
        }
        if (v >= 1000) {
            return String.format(Locale.ROOT, "%.0fk", v / 1000);
        }
        return v >= 1 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String markdown(ScaleResults r) {
        StringBuilder s = new StringBuilder();
        s.append("Scale run (")
                .append(r.mode())
                .append(", ")
                .append(r.startedAt())
                .append(", ")
                .append(r.wallSeconds())
                .append(" s) on ")
                .append(r.machine())
                .append("; ")
                .append(r.loadNote())
                .append(".\n\n");
        s.append("| schedules | validate | first sync (in-process, calls) | second sync (in-process, calls) | "
                + "second, settled (in-process) | second, no hash attribute (calls) | update all | delete all |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (ScaleResults.SyncRow x : r.sync()) {
            s.append(String.format(
                    Locale.ROOT,
                    "| %,d | %,d ms | %,d ms (%,d ms, %d) | %,d ms (%,d ms, %d) | %s | %s | %,d ms | %,d ms |\n",
                    x.schedules(),
                    x.validateMs(),
                    x.firstSyncMs(),
                    x.firstSyncInProcessMs(),
                    x.firstSyncCalls(),
                    x.secondSyncMs(),
                    x.secondSyncInProcessMs(),
                    x.secondSyncCalls(),
                    x.secondSyncSettledMs() == null
                            ? "-"
                            : String.format(
                                    Locale.ROOT,
                                    "%,d ms (%,d ms)",
                                    x.secondSyncSettledMs(),
                                    x.secondSyncSettledInProcessMs()),
                    x.secondNoIndexMs() == null
                            ? "-"
                            : String.format(Locale.ROOT, "%,d ms (%d)", x.secondNoIndexMs(), x.secondNoIndexCalls()),
                    x.updateAllMs(),
                    x.deleteAllMs()));
        }
        s.append(
                "\n| schedules due at the same second | p50 lateness | p99 | max | not fired after |\n|---|---|---|---|---|\n");
        for (ScaleResults.PunctualityRow p : r.punctuality()) {
            s.append(String.format(
                    Locale.ROOT,
                    "| %,d | %,.0f ms | %,.0f ms | %,.0f ms | %d (%d s) |\n",
                    p.schedules(),
                    p.p50LatenessMs(),
                    p.p99LatenessMs(),
                    p.maxLatenessMs(),
                    p.notFired(),
                    p.waitedSeconds()));
        }
        s.append(
                "\n| definitions | worker first poll | idle RSS | hot reload to a parked run | RSS after |\n|---|---|---|---|---|\n");
        for (ScaleResults.WorkerRow w : r.worker()) {
            s.append(String.format(
                    Locale.ROOT,
                    "| %,d | %,d ms | %.1f MiB | %,d ms | %.1f MiB |\n",
                    w.definitions(),
                    w.firstPollMs(),
                    w.idleRssMiB(),
                    w.reloadMs(),
                    w.afterReloadRssMiB()));
        }
        s.append(
                "\n| parked runs | time to park | worker RSS idle → parked | dev server RSS idle → parked |\n|---|---|---|---|\n");
        for (ScaleResults.ParkedRow p : r.parked()) {
            s.append(String.format(
                    Locale.ROOT,
                    "| %,d | %d s | %.1f → %.1f MiB | %.1f → %.1f MiB |\n",
                    p.count(),
                    p.secondsToPark(),
                    p.workerIdleRssMiB(),
                    p.workerParkedRssMiB(),
                    p.serverIdleRssMiB(),
                    p.serverParkedRssMiB()));
        }
        s.append(
                "\n| ledger | rows | size | turns --workflow | turns --limit 50 | turns prune (rows) |\n|---|---|---|---|---|---|\n");
        for (ScaleResults.LedgerRow l : r.ledger()) {
            s.append(String.format(
                    Locale.ROOT,
                    "| %s | %,d | %.1f MiB | %,d ms | %,d ms | %,d ms (%,d) |\n",
                    l.database(),
                    l.rows(),
                    l.sizeMiB(),
                    l.turnsWorkflowMs(),
                    l.turnsLimit50Ms(),
                    l.pruneMs(),
                    l.pruned()));
        }
        if (!r.notMeasured().isEmpty()) {
            s.append("\nNot measured:\n");
            r.notMeasured().forEach(n -> s.append("- ").append(n).append('\n'));
        }
        return s.toString();
    }
}

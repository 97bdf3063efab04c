package ai.clawfactory.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class ScaleReportTest {

    static ScaleResults sample() {
        return new ScaleResults(
                "quick",
                "test machine",
                "2026-12-05T23:00:00Z",
                60,
                "load average 0.1",
                List.of(
                        new ScaleResults.SyncRow(
                                10, 900, 2000, 300, 24, 1900, 250, 4, 2100L, 14, 2200, 2300, 1700L, 240L),
                        new ScaleResults.SyncRow(
                                1000, 3000, 9000, 7000, 2004, 2500, 600, 4, null, null, 8000, 7000, null, null)),
                List.of(new ScaleResults.PunctualityRow(10, 120, 190, 190, 0, 30)),
                List.of(new ScaleResults.WorkerRow(1, 2000, 140, 700, 170)),
                List.of(),
                List.of(
                        new ScaleResults.LedgerRow("sqlite", 10, 5, 0.0, 2000, 2100, 2500, 10),
                        new ScaleResults.LedgerRow("sqlite", 1_000_000, 8000, 263.4, 2100, 2150, 6000, 1_000_000)),
                List.of("parked runs at 10,000: not built"));
    }

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void eachChartIsWellFormedSvgWithOneLinePerMeasuredSeries() throws Exception {
        Map<String, String> charts = ScaleReport.charts(sample());
        assertEquals(
                List.of(
                        "scale-sync.svg",
                        "scale-ledger.svg",
                        "scale-worker.svg",
                        "scale-parked.svg",
                        "scale-punctuality.svg"),
                List.copyOf(charts.keySet()));
        Document sync = parse(charts.get("scale-sync.svg"));
        // Seven series; the two with no figure at 1,000 (no hash attribute, settled) still have their point at 10.
        assertEquals(7, sync.getElementsByTagName("polyline").getLength());
        Document parked = parse(charts.get("scale-parked.svg"));
        assertEquals(0, parked.getElementsByTagName("polyline").getLength(), "nothing measured, nothing drawn");
        assertTrue(charts.get("scale-parked.svg").contains("not measured"));
    }

    @Test
    void sizesAreOnALogScale() throws Exception {
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        series.put("y = x", List.of(new double[] {10, 10}, new double[] {100, 100}, new double[] {1000, 1000}));
        NodeList circles = parse(ScaleReport.svg("t", "x", series)).getElementsByTagName("circle");
        double[] xs = new double[3];
        for (int i = 0; i < 3; i++) {
            xs[i] = Double.parseDouble(
                    circles.item(i).getAttributes().getNamedItem("cx").getNodeValue());
        }
        assertEquals(xs[1] - xs[0], xs[2] - xs[1], 0.2, "each decade the same width");
    }

    @Test
    void theReportNamesWhatWasNotMeasuredAndTheRoundTripKeepsEveryFigure(@TempDir Path dir) throws Exception {
        ScaleResults r = sample();
        String md = ScaleReport.markdown(r);
        assertTrue(md.contains("| 1,000 | 3,000 ms | 9,000 ms (7,000 ms, 2004) | 2,500 ms (600 ms, 4) | - |"), md);
        assertTrue(md.contains("- parked runs at 10,000: not built"), md);
        Path json = dir.resolve("scale-results.json");
        new ObjectMapper().writeValue(json.toFile(), r);
        assertEquals(r, new ObjectMapper().readValue(json.toFile(), ScaleResults.class));
        ScaleReport.write(r, dir);
        assertTrue(Files.exists(dir.resolve("scale-report.md")));
        assertTrue(Files.exists(dir.resolve("scale-ledger.svg")));
    }
}

package ai.clawfactory.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Order statistics of a sample; figures on a shared machine are noisy, so the harness reports these. */
final class Stats {

    private Stats() {}

    static double median(List<? extends Number> sample) {
        return percentile(sample, 50);
    }

    /** Nearest-rank percentile ({@code p} in 0..100) of a non-empty sample. */
    static double percentile(List<? extends Number> sample, double p) {
        if (sample.isEmpty()) {
            throw new IllegalArgumentException("empty sample");
        }
        if (p < 0 || p > 100) {
            throw new IllegalArgumentException("percentile out of range: " + p);
        }
        List<Double> sorted = new ArrayList<>(sample.size());
        sample.forEach(n -> sorted.add(n.doubleValue()));
        Collections.sort(sorted);
        if (p == 50 && sorted.size() % 2 == 0) {
            int mid = sorted.size() / 2;
            return (sorted.get(mid - 1) + sorted.get(mid)) / 2;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}

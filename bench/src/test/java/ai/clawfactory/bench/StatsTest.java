package ai.clawfactory.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void medianOfAnOddSampleIsItsMiddleValue() {
        assertEquals(3.0, Stats.median(List.of(9, 1, 3, 7, 2)));
    }

    @Test
    void medianOfAnEvenSampleAveragesTheTwoMiddleValues() {
        assertEquals(4.5, Stats.median(List.of(8L, 1L, 4L, 5L)));
    }

    @Test
    void percentilesUseTheNearestRank() {
        List<Integer> hundred =
                java.util.stream.IntStream.rangeClosed(1, 100).boxed().toList();
        assertEquals(99.0, Stats.percentile(hundred, 99));
        assertEquals(100.0, Stats.percentile(hundred, 100));
        // With 30 firings, p99 is the largest value: one slow firing shows.
        List<Integer> thirty =
                java.util.stream.IntStream.rangeClosed(1, 30).boxed().toList();
        assertEquals(30.0, Stats.percentile(thirty, 99));
        assertEquals(1.0, Stats.percentile(thirty, 1));
    }

    @Test
    void anEmptySampleHasNoPercentile() {
        assertThrows(IllegalArgumentException.class, () -> Stats.median(List.of()));
        assertThrows(IllegalArgumentException.class, () -> Stats.percentile(List.of(1), 101));
    }
}

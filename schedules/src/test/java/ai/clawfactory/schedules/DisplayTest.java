package ai.clawfactory.schedules;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DisplayTest {

    @Test
    void skippedAndMissedFiresAreShownOnlyWhenThereAreAny() {
        assertEquals("-", Display.skipped(0, 0));
        assertEquals("3 skipped, 0 missed", Display.skipped(3, 0));
        assertEquals("0 skipped, 2 missed", Display.skipped(0, 2));
    }
}

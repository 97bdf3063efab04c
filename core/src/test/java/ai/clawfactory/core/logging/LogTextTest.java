package ai.clawfactory.core.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void everyLineBreakAndControlBecomesAVisibleEscape() {
        assertEquals(
                "a\\nb\\rc\\td\\u000be\\u000cf\\u0085g\\u2028h\\u2029i\\u001b[31mj\\u202ek\\u007fl",
                LogText.oneLine(
                        "a\nb\rc\td\u000Be\fF\u0085g\u2028h\u2029i\u001b[31mj\u202Ek\u007Fl".replace('F', 'f')));
    }

    @Test
    void textWithoutControlsIsReturnedAsItIsAndOtherCharactersStay() {
        String plain = "GET /api/v1 → 404 \\n (a literal backslash-n) 🙂 ü";
        assertSame(plain, LogText.oneLine(plain));
        assertNull(LogText.oneLine(null));
        // A lone surrogate (broken UTF-16) is escaped; a pair is one character and stays.
        assertEquals("x\\ud800y🙂", LogText.oneLine("x\uD800y🙂"));
    }
}

package ai.clawfactory.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.Names;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The unit's TEMPORAL_DEV_SERVER_ARGS line, as the tests read it (./clawfactory dev reads the same line). */
class DevServerArgsTest {

    private final DevServerArgs unit = DevServerArgs.ofUnit();

    @Test
    void theUnitRegistersCoresSearchAttributesAsKeywords() {
        assertEquals(
                List.of(
                        Names.SEARCH_ATTRIBUTE_DEFINITION + "=Keyword",
                        Names.SEARCH_ATTRIBUTE_DEFINITION_VERSION + "=Keyword",
                        Names.SEARCH_ATTRIBUTE_RERUN_OF + "=Keyword",
                        Names.SEARCH_ATTRIBUTE_SPEC_HASH + "=Keyword"),
                unit.values("--search-attribute"));
    }

    @Test
    void theUnitServesOnLoopbackWithWalAndNormalSync() {
        assertEquals("127.0.0.1", unit.value("--ip"));
        assertEquals(List.of("journal_mode=wal", "synchronous=normal"), unit.values("--sqlite-pragma"));
    }

    @Test
    void theHttpApiAndTheUiSitWhereTheWorkersAddressGateLooksForThem() {
        // HttpStepsConfig: TEMPORAL_HTTP_PORT and TEMPORAL_UI_PORT default to the gRPC port + 10 and + 1000.
        assertEquals(10, unit.offset("--http-port"));
        assertEquals(1000, unit.offset("--ui-port"));
    }

    @Test
    void thePortsMoveTogetherAndNothingElseChanges() {
        List<String> moved = DevServerArgs.parse(
                        "Environment=\"TEMPORAL_DEV_SERVER_ARGS=--ip 127.0.0.1 --port 7233 --http-port 7243"
                                + " --ui-port 8233 --sqlite-pragma journal_mode=wal\"\n")
                .forGrpcPort(40000);
        assertEquals(
                List.of(
                        "--ip",
                        "127.0.0.1",
                        "--port",
                        "40000",
                        "--http-port",
                        "40010",
                        "--ui-port",
                        "41000",
                        "--sqlite-pragma",
                        "journal_mode=wal"),
                moved);
    }

    @Test
    void aUnitWithoutTheLineOrWithTwoIsRefused() {
        String line = "Environment=\"TEMPORAL_DEV_SERVER_ARGS=--port 7233\"\n";
        assertTrue(assertThrows(IllegalStateException.class, () -> DevServerArgs.parse("[Service]\n"))
                .getMessage()
                .contains("found 0"));
        assertTrue(assertThrows(IllegalStateException.class, () -> DevServerArgs.parse(line + line))
                .getMessage()
                .contains("found 2"));
    }
}

package ai.clawfactory.worker.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.clawfactory.core.definition.StepKind;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DataConverterException;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** StepResult is in history and in query answers: typed in Java, the same JSON on the wire. */
class StepResultTest {

    private static final DataConverter JSON = DefaultDataConverter.newDefaultInstance();

    @Test
    void aResultIsWrittenWithItsKindAndStatusAsTheStringsTheyWere() {
        assertEquals(
                "{\"stepId\":\"execute\",\"kind\":\"agentTurn\",\"status\":\"failed\",\"runId\":null,\"output\":null,"
                        + "\"outputRef\":null,\"httpStatus\":null,\"error\":\"gateway answered 400\",\"attempts\":2}",
                json(StepResult.failed("execute", StepKind.AGENT_TURN, "gateway answered 400", 2)));
        assertEquals(
                "{\"stepId\":\"settle\",\"kind\":\"wait\",\"status\":\"ok\",\"runId\":null,\"output\":null,"
                        + "\"outputRef\":null,\"httpStatus\":null,\"error\":null,\"attempts\":1}",
                json(StepResult.ok("settle", StepKind.WAIT, 1)));
    }

    @ParameterizedTest
    @CsvSource({"agentTurn,ok", "wait,skipped", "http,failed", "wake,cancelled"})
    void everyKindAndStatusReadsBackFromItsString(String kind, String status) {
        String written = "{\"stepId\":\"s\",\"kind\":\"" + kind + "\",\"status\":\"" + status + "\",\"runId\":\"r\","
                + "\"output\":\"o\",\"outputRef\":null,\"httpStatus\":200,\"error\":null,\"attempts\":3}";
        StepResult r = read(written);
        assertEquals(StepKind.ofKey(kind), r.kind());
        assertEquals(StepStatus.ofWire(status), r.status());
        // A result written before fan-outs and re-runs reads back, and is written as it was: the
        // components it gained are left out while null.
        assertEquals(written, json(r));
    }

    @Test
    void aFanOutsResultKeepsEachItemsResultInOrder() {
        StepResult r = StepResult.ofItems(
                "research",
                StepKind.AGENT_TURN,
                StepStatus.OK,
                null,
                2,
                java.util.List.of(
                        StepResult.ok("research[0]", StepKind.AGENT_TURN, 1).withItem("a"),
                        StepResult.ok("research[1]", StepKind.AGENT_TURN, 2).withItem("b")));
        StepResult again = read(json(r));
        assertEquals(r, again);
        assertEquals("b", again.items().get(1).item());
        assertEquals(r, r.withAttempts(2), "withAttempts keeps the items");
    }

    @Test
    void aStatusNoCodeWritesIsRefusedOnRead() {
        assertThrows(
                DataConverterException.class,
                () -> read("{\"stepId\":\"s\",\"kind\":\"http\",\"status\":\"maybe\",\"attempts\":1}"));
    }

    @Test
    void theFactoriesFillWhatTheFiveNullConstructorsDid() {
        assertEquals(
                new StepResult(
                        "x", StepKind.HTTP, StepStatus.SKIPPED, null, null, null, null, "condition 'c' was false", 0),
                StepResult.skipped("x", StepKind.HTTP, "condition 'c' was false"));
        assertEquals(
                new StepResult("x", StepKind.WAKE, StepStatus.CANCELLED, null, null, null, null, "cancelled", 2),
                StepResult.cancelled("x", StepKind.WAKE, 2));
    }

    private static String json(StepResult r) {
        return JSON.toPayload(r).orElseThrow().getData().toString(StandardCharsets.UTF_8);
    }

    private static StepResult read(String json) {
        return JSON.fromPayload(
                io.temporal.api.common.v1.Payload.newBuilder()
                        .putMetadata("encoding", com.google.protobuf.ByteString.copyFromUtf8("json/plain"))
                        .setData(com.google.protobuf.ByteString.copyFromUtf8(json))
                        .build(),
                StepResult.class,
                StepResult.class);
    }
}

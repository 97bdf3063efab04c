package ai.clawfactory.worker.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.clawfactory.core.Names;
import io.temporal.api.failure.v1.Failure;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Retry-After detail keeps the wire format recorded histories hold: a bare number of milliseconds. */
class RetryAfterTest {

    private static final DataConverter CONVERTER = DefaultDataConverter.STANDARD_INSTANCE;

    @Test
    void isWrittenAsTheBareNumberOfMillisecondsLikeTheLongItReplaces() {
        var typed = CONVERTER.toPayload(RetryAfter.of(Duration.ofMinutes(7))).orElseThrow();
        var loose = CONVERTER.toPayload(Duration.ofMinutes(7).toMillis()).orElseThrow();
        assertEquals("420000", typed.getData().toString(StandardCharsets.UTF_8));
        assertEquals(loose, typed);
        assertEquals(
                "0",
                CONVERTER.toPayload(RetryAfter.of(null)).orElseThrow().getData().toString(StandardCharsets.UTF_8));
    }

    @Test
    void aFailureRecordedWithALongDetailReadsAsTheDelay() {
        Failure recorded = CONVERTER.exceptionToFailure(ApplicationFailure.newFailure(
                "429", Names.FAILURE_GATEWAY_TRANSIENT, Duration.ofSeconds(90).toMillis()));
        ApplicationFailure read = (ApplicationFailure) CONVERTER.failureToException(recorded);
        assertEquals(Duration.ofSeconds(90), RetryAfter.delayOf(read));
        assertEquals(90_000L, read.getDetails().get(0, Long.class));
    }

    @Test
    void noDetailOrZeroMeansNoDelay() {
        ApplicationFailure none = (ApplicationFailure) CONVERTER.failureToException(
                CONVERTER.exceptionToFailure(ApplicationFailure.newFailure("503", Names.FAILURE_GATEWAY_TRANSIENT)));
        assertNull(RetryAfter.delayOf(none));
        ApplicationFailure zero = (ApplicationFailure) CONVERTER.failureToException(CONVERTER.exceptionToFailure(
                ApplicationFailure.newFailure("503", Names.FAILURE_GATEWAY_TRANSIENT, RetryAfter.NONE)));
        assertNull(RetryAfter.delayOf(zero));
        assertEquals(0L, zero.getDetails().get(0, Long.class));
    }
}

package ai.clawfactory.worker.step.attempt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.worker.config.GatewayConfig;
import ai.clawfactory.worker.gateway.GatewayReply;
import io.temporal.activity.ActivityExecutionContext;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The in-flight gateway call and its heartbeats while the worker drains. */
class InFlightCallsTest {
    private final InFlightCalls calls =
            new InFlightCalls(new GatewayConfig(null, null, null, Duration.ofSeconds(2), Duration.ofMillis(200)));

    @AfterEach
    void close() {
        calls.close();
    }

    @Test
    void aHeartbeatRefusedBecauseTheSdkIsShuttingDownLetsTheCallFinish() {
        // What the SDK throws once its heartbeat executor is shut down, before it reports the
        // worker as shutting down (seen in WorkerApplicationIT on Java 25).
        AtomicInteger beats = new AtomicInteger();
        CountDownLatch refused = new CountDownLatch(1);
        ActivityExecutionContext activity = heartbeating(() -> {
            beats.incrementAndGet();
            refused.countDown();
            throw new RuntimeException(new RejectedExecutionException("heartbeat executor is shut down"));
        });
        GatewayReply answer = new GatewayReply(200, "run-1", false, "done", null);

        GatewayReply reply = calls.call(() -> awaitThen(refused, answer), activity);

        assertSame(answer, reply, "the call's own answer, recorded after the drain");
        assertEquals(1, beats.get(), "no heartbeat after the refusal: the call is simply awaited");
    }

    @Test
    void anyOtherHeartbeatFailureStillEndsTheAttempt() {
        CountDownLatch never = new CountDownLatch(1);
        ActivityExecutionContext activity = heartbeating(() -> {
            throw new IllegalStateException("something else");
        });
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> calls.call(() -> awaitThen(never, new GatewayReply(200, "r", false, "x", null)), activity));
        assertEquals("something else", e.getMessage());
    }

    private static GatewayReply awaitThen(CountDownLatch latch, GatewayReply reply) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS) || reply != null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return reply;
    }

    /** An activity context whose heartbeat runs {@code onHeartbeat}; nothing else is used. */
    private static ActivityExecutionContext heartbeating(Runnable onHeartbeat) {
        return (ActivityExecutionContext) Proxy.newProxyInstance(
                ActivityExecutionContext.class.getClassLoader(),
                new Class<?>[] {ActivityExecutionContext.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("heartbeat")) {
                        onHeartbeat.run();
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}

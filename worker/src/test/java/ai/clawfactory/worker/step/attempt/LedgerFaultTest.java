package ai.clawfactory.worker.step.attempt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.Names;
import ai.clawfactory.core.definition.StepKind;
import ai.clawfactory.worker.TestContexts;
import ai.clawfactory.worker.config.GatewayConfig;
import ai.clawfactory.worker.config.LedgerConfig;
import ai.clawfactory.worker.gateway.GatewayReply;
import ai.clawfactory.worker.ledger.LedgerAccessException;
import ai.clawfactory.worker.ledger.TurnAttempt;
import ai.clawfactory.worker.ledger.TurnAttemptRepository;
import ai.clawfactory.worker.ledger.TurnLedger;
import ai.clawfactory.worker.metrics.Metrics;
import ai.clawfactory.worker.secret.Redactor;
import ai.clawfactory.worker.step.StepResult;
import ai.clawfactory.worker.step.StepStatus;
import ai.clawfactory.worker.step.TurnContext;
import io.micronaut.context.ApplicationContext;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Ledger faults (disk full, read-only, locked) are retried inside the attempt: named plainly,
 * no step retry used, and never a second gateway call for a turn already answered.
 */
class LedgerFaultTest {

    @ActivityInterface
    public interface Probe {
        StepResult turn(String key);
    }

    @TempDir
    Path dir;

    private ApplicationContext ctx;
    private TestActivityEnvironment env;
    private FaultyLedger ledger;
    private final AtomicInteger gatewayCalls = new AtomicInteger();
    private volatile String output = "short answer";

    /** The real ledger bean, with faults switched on per operation. */
    static final class FaultyLedger extends TurnLedger {
        final AtomicInteger failStarts = new AtomicInteger();
        final AtomicInteger failFinishes = new AtomicInteger();
        volatile SQLiteErrorCode code = SQLiteErrorCode.SQLITE_FULL;
        private final TurnLedger real;

        FaultyLedger(TurnLedger real, TurnAttemptRepository repository, Metrics metrics) {
            super(repository, metrics);
            this.real = real;
        }

        @Override
        public java.util.Optional<TurnAttempt> completed(String turnKey) {
            return real.completed(turnKey);
        }

        private LedgerAccessException fault() {
            return new LedgerAccessException(
                    "UPDATE turn_attempt", new SQLiteException("[" + code.name() + "] " + code.message, code));
        }

        @Override
        public TurnAttempt start(
                String turnKey,
                String workflowId,
                String runId,
                String workflowType,
                String stepId,
                int attempt,
                String kind,
                String request,
                String bundle) {
            if (failStarts.getAndDecrement() > 0) {
                throw fault();
            }
            return real.start(turnKey, workflowId, runId, workflowType, stepId, attempt, kind, request, bundle);
        }

        @Override
        public TurnAttempt finish(
                TurnAttempt row, String status, Integer httpStatus, String gatewayRunId, String output, String error) {
            if (failFinishes.getAndDecrement() > 0) {
                throw fault();
            }
            return real.finish(row, status, httpStatus, gatewayRunId, output, error);
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        ctx = TestContexts.start(dir, Files.createDirectories(dir.resolve("defs")), Map.of());
        ledger = new FaultyLedger(
                ctx.getBean(TurnLedger.class), ctx.getBean(TurnAttemptRepository.class), ctx.getBean(Metrics.class));
        AttemptRunner runner = new AttemptRunner(
                ledger,
                new GatewayConfig(null, null, null, Duration.ofSeconds(1), Duration.ofMillis(200)),
                new LedgerConfig(Duration.ofDays(30), Duration.ofHours(24), Duration.ofSeconds(3)));
        env = TestActivityEnvironment.newInstance();
        env.registerActivitiesImplementations((Probe) key -> runner.run(
                new AttemptRunner.Attempt(
                        key,
                        new TurnContext("wf-" + key, "run-1", "T", "2026-01-01T00:00:00Z", Map.of(), Map.of()),
                        "execute",
                        StepKind.AGENT_TURN,
                        1,
                        "openclaw-hooks",
                        "{}",
                        Redactor.NONE),
                () -> {
                    gatewayCalls.incrementAndGet();
                    return new GatewayReply(200, "r-" + key, false, output);
                }));
    }

    @AfterEach
    void tearDown() {
        env.close();
        ctx.close();
    }

    private Probe probe() {
        return env.newActivityStub(
                Probe.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofMinutes(1))
                        .setRetryOptions(
                                RetryOptions.newBuilder().setMaximumAttempts(1).build())
                        .build());
    }

    private List<TurnAttempt> rows(String key) {
        return ctx.getBean(TurnLedger.class).latest("wf-" + key, 10);
    }

    @Test
    void aDiskFullWhileRecordingTheAnswerIsRetriedInsideTheAttemptWithOneGatewayCall() {
        ledger.failFinishes.set(3);
        StepResult r = probe().turn("full");
        assertEquals(StepStatus.OK, r.status());
        assertEquals(1, gatewayCalls.get());
        assertEquals(
                List.of(TurnAttempt.OK),
                rows("full").stream().map(TurnAttempt::status).toList());
    }

    @Test
    void aReadOnlyLedgerBeforeTheCallFailsNamingItAndCallsNothing() {
        ledger.code = SQLiteErrorCode.SQLITE_READONLY;
        ledger.failStarts.set(Integer.MAX_VALUE);
        ActivityFailure e = assertThrows(ActivityFailure.class, () -> probe().turn("ro"));
        ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, e.getCause());
        assertEquals(Names.FAILURE_LEDGER, cause.getType());
        assertTrue(cause.getOriginalMessage().contains("the ledger is read-only"), cause.getOriginalMessage());
        assertTrue(
                cause.getOriginalMessage()
                        .contains("Ledger fault while recording the attempt for step 'execute' of wf-ro"),
                cause.getOriginalMessage());
        assertEquals(0, gatewayCalls.get(), "nothing is sent while the attempt cannot be recorded");
    }

    @Test
    void anAnswerTheLedgerNeverTakesStillCompletesTheStepWhenItFitsInHistory() {
        ledger.code = SQLiteErrorCode.SQLITE_BUSY;
        ledger.failFinishes.set(Integer.MAX_VALUE);
        StepResult r = probe().turn("busy");
        assertEquals(StepStatus.OK, r.status());
        assertEquals("short answer", r.output());
        assertEquals(1, gatewayCalls.get());
    }

    @Test
    void aLargeAnswerTheLedgerCannotTakeIsKeptForTheNextAttemptWhichRecordsItWithoutCalling() {
        output = "x".repeat(AttemptRunner.INLINE_OUTPUT_LIMIT + 10);
        ledger.failFinishes.set(Integer.MAX_VALUE);
        ActivityFailure e = assertThrows(ActivityFailure.class, () -> probe().turn("big"));
        ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, e.getCause());
        assertEquals(Names.FAILURE_LEDGER, cause.getType());
        assertTrue(cause.getOriginalMessage().contains("the ledger's disk is full"), cause.getOriginalMessage());
        assertTrue(
                cause.getOriginalMessage().contains("The gateway's answer is kept for the next attempt"),
                cause.getOriginalMessage());
        assertEquals(1, gatewayCalls.get());

        // The next attempt of the same activity sees the previous attempt's heartbeat details.
        ledger.failFinishes.set(0);
        env.setHeartbeatDetails(new AttemptRunner.AnsweredTurn("big", false, 200, "r-big", output));
        StepResult r = probe().turn("big");
        assertEquals(StepStatus.OK, r.status());
        assertEquals("r-big", r.runId());
        assertEquals(1, gatewayCalls.get(), "the answered turn is not sent again");
        TurnAttempt recorded = rows("big").stream()
                .filter(a -> a.status().equals(TurnAttempt.OK))
                .findFirst()
                .orElseThrow();
        assertEquals(output, recorded.output());
    }
}

package ai.clawfactory.worker.step.attempt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.definition.StepKind;
import ai.clawfactory.worker.PostgresLedger;
import ai.clawfactory.worker.TestContexts;
import ai.clawfactory.worker.config.GatewayConfig;
import ai.clawfactory.worker.config.LedgerConfig;
import ai.clawfactory.worker.gateway.GatewayReply;
import ai.clawfactory.worker.ledger.TurnAttempt;
import ai.clawfactory.worker.ledger.TurnLedger;
import ai.clawfactory.worker.secret.Redactor;
import ai.clawfactory.worker.step.StepResult;
import ai.clawfactory.worker.step.StepStatus;
import ai.clawfactory.worker.step.TurnContext;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micronaut.context.ApplicationContext;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A real ledger fault: PostgreSQL turned read-only (default_transaction_read_only) right after
 * the gateway answered, and back 1.5 s later. The attempt waits it out: one gateway call, the
 * answer recorded, no step retry, and the fault named in the log.
 */
class LedgerFaultOnPostgresIT {

    @RegisterExtension
    static final PostgresLedger POSTGRES = new PostgresLedger();

    @TempDir
    Path dir;

    private ApplicationContext ctx;
    private TestActivityEnvironment env;
    private ListAppender<ILoggingEvent> logs;
    private final AtomicInteger gatewayCalls = new AtomicInteger();

    private static void readOnly(boolean on) {
        try (Connection c = DriverManager.getConnection(POSTGRES.jdbcUrl())) {
            c.createStatement().execute("SET default_transaction_read_only = off");
            c.createStatement()
                    .execute(
                            on
                                    ? "ALTER SYSTEM SET default_transaction_read_only = on"
                                    : "ALTER SYSTEM RESET default_transaction_read_only");
            c.createStatement().execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        ctx = TestContexts.start(dir, Files.createDirectories(dir.resolve("defs")), Map.of());
        AttemptRunner runner = new AttemptRunner(
                ctx.getBean(TurnLedger.class),
                new GatewayConfig(null, null, null, Duration.ofSeconds(1), Duration.ofMillis(200)),
                new LedgerConfig(Duration.ofDays(30), Duration.ofHours(24), Duration.ofSeconds(30)));
        env = TestActivityEnvironment.newInstance();
        env.registerActivitiesImplementations((LedgerFaultTest.Probe) key -> runner.run(
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
                    readOnly(true);
                    CompletableFuture.runAsync(
                            () -> readOnly(false), CompletableFuture.delayedExecutor(1500, TimeUnit.MILLISECONDS));
                    return new GatewayReply(200, "r-" + key, false, "answer");
                }));
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(AttemptRunner.class)).addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        ((Logger) LoggerFactory.getLogger(AttemptRunner.class)).detachAppender(logs);
        readOnly(false);
        env.close();
        ctx.close();
    }

    @Test
    void aReadOnlyDatabaseAfterTheAnswerIsWaitedOutWithOneGatewayCallAndTheAnswerRecorded() {
        LedgerFaultTest.Probe probe = env.newActivityStub(
                LedgerFaultTest.Probe.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofMinutes(1))
                        .setRetryOptions(
                                RetryOptions.newBuilder().setMaximumAttempts(1).build())
                        .build());
        StepResult r = probe.turn("pg-ro");
        assertEquals(StepStatus.OK, r.status());
        assertEquals("r-pg-ro", r.runId());
        assertEquals(1, gatewayCalls.get());
        List<TurnAttempt> rows = ctx.getBean(TurnLedger.class).latest("wf-pg-ro", 10);
        assertEquals(
                List.of(TurnAttempt.OK), rows.stream().map(TurnAttempt::status).toList());
        assertEquals("answer", rows.get(0).output());
        assertTrue(
                logs.list.stream()
                        .map(ILoggingEvent::getFormattedMessage)
                        .anyMatch(m -> m.startsWith(
                                        "Ledger fault while recording the answer for step 'execute' of wf-pg-ro: the ledger is read-only")
                                && m.contains("retrying inside this attempt (no step retry is used)")),
                () -> logs.list.stream()
                        .map(ILoggingEvent::getFormattedMessage)
                        .toList()
                        .toString());
    }
}

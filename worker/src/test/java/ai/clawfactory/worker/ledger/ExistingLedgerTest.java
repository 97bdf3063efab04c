package ai.clawfactory.worker.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.worker.LedgerContextTest;
import ai.clawfactory.worker.TestContexts;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A ledger written by the released worker opens as it is. The fixture {@code ledger/v1-ledger.db}
 * was made by main at 61b02d1 (plain JDBC, before Micronaut Data) through its own TurnLedger and
 * TurnAttemptRepository: an answered, a failed, a running and an abandoned attempt, a 20,000
 * character output, NULLs, zeros, empty strings, a started_at near Long.MAX_VALUE / 2. Every row
 * reads back through the repository as that code read it, the schema is left as it was, and the
 * worker goes on writing. {@code ExistingLedgerOnPostgresIT}: the same rows in PostgreSQL.
 */
class ExistingLedgerTest extends LedgerContextTest {

    static final String FIXTURE = "/ledger/v1-ledger.db";

    @Inject
    TurnAttemptRepository repository;

    @Inject
    TurnLedger ledger;

    /** The rows and the schema as plain JDBC read them before the worker's context opened the ledger. */
    private List<TurnAttempt> before;

    private List<String> schemaBefore;
    private String url;

    /** A copy of the fixture; read before the context opens it. */
    @Override
    protected String ledgerUrl(Path dir) {
        url = prepare(dir);
        before = rows(url);
        schemaBefore = schema(url);
        return url;
    }

    /** The ledger as the released worker left it, at the URL returned. */
    String prepare(Path dir) {
        return TestContexts.sqliteUrl(fixtureCopy(dir));
    }

    static Path fixtureCopy(Path dir) {
        Path file = dir.resolve("v1-ledger.db");
        try (InputStream in = ExistingLedgerTest.class.getResourceAsStream(FIXTURE)) {
            Files.copy(in, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    @Override
    protected void emptyLedger() {
        // The rows already there are what this test is about.
    }

    @Test
    void everyRowWrittenByTheReleasedWorkerReadsBackUnchanged() {
        assertEquals(7, before.size(), "the fixture's rows");
        assertTrue(before.stream().anyMatch(r -> r.httpStatus() == null && r.durationMs() == null));
        assertTrue(before.stream().anyMatch(r -> Integer.valueOf(0).equals(r.httpStatus()) && "".equals(r.output())));
        assertTrue(
                before.stream().anyMatch(r -> r.output() != null && r.output().length() == 20_000));
        for (TurnAttempt row : before) {
            assertEquals(row, repository.findById(row.id()).orElseThrow());
        }
        for (String workflow :
                before.stream().map(TurnAttempt::workflowId).distinct().toList()) {
            assertEquals(
                    before.stream()
                            .filter(r -> r.workflowId().equals(workflow))
                            .sorted(Comparator.comparingLong(TurnAttempt::startedAt)
                                    .reversed()
                                    .thenComparing(TurnAttempt::id))
                            .toList(),
                    ledger.latest(workflow, 100),
                    workflow);
        }
        assertEquals(
                "gw-run-1",
                ledger.completed("wf-daily/run-1/execute").orElseThrow().gatewayRunId());
        assertTrue(ledger.completed("wf-daily/run-1/synthesize").isEmpty(), "failed: not completed");
        assertTrue(ledger.completed("k-stale").isEmpty(), "abandoned: not completed");
        assertEquals(1, ledger.attempts("k-max"));
    }

    @Test
    void itsSchemaOnlyGainsTheLaterMigrationsAndTheWorkerGoesOnWritingToIt() {
        List<String> now = schema(url);
        List<String> expected = new ArrayList<>(schemaBefore);
        // V2 (a command step's bundle): one version row, one nullable column at the end; nothing else changes.
        String v2 = now.stream()
                .filter(l -> l.startsWith("2 V2__command_bundle.sql "))
                .findFirst()
                .orElseThrow();
        expected.add(1, v2);
        // V3 (indexes for a large ledger): one version row; the columns stay as they are.
        String v3 = now.stream()
                .filter(l -> l.startsWith("3 V3__scale_indexes.sql "))
                .findFirst()
                .orElseThrow();
        expected.add(2, v3);
        // The column as the database names its type (SQLite: VARCHAR, PostgreSQL: varchar), nullable.
        String bundle =
                now.stream().filter(l -> l.startsWith("bundle ")).findFirst().orElseThrow();
        assertEquals("bundle varchar yes", bundle.toLowerCase(java.util.Locale.ROOT));
        expected.add(bundle);
        assertEquals(expected, now);
        TurnAttempt started = ledger.start("k-new", "wf-new", "run-1", "T", "execute", 1, "http", "{}");
        TurnAttempt finished = ledger.finish(started, TurnAttempt.OK, 200, "gw-new", "out", null);
        assertEquals(List.of(finished), ledger.latest("wf-new", 10));
        assertEquals(finished, ledger.completed("k-new").orElseThrow());
    }

    /** Every row, read as the released worker's plain-JDBC repository read it (by column name, NULL kept). */
    static List<TurnAttempt> rows(String jdbcUrl) {
        try (Connection c = DriverManager.getConnection(jdbcUrl);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT * FROM turn_attempt")) {
            List<TurnAttempt> rows = new ArrayList<>();
            while (r.next()) {
                rows.add(new TurnAttempt(
                        r.getString("id"),
                        r.getString("turn_key"),
                        r.getString("workflow_id"),
                        r.getString("run_id"),
                        r.getString("workflow_type"),
                        r.getString("step_id"),
                        r.getInt("attempt"),
                        r.getString("kind"),
                        r.getString("status"),
                        nullable(r.getInt("http_status"), r),
                        r.getString("gateway_run_id"),
                        r.getLong("started_at"),
                        nullable(r.getLong("duration_ms"), r),
                        r.getString("request"),
                        r.getString("output"),
                        r.getString("error")));
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T nullable(T value, ResultSet r) throws SQLException {
        return r.wasNull() ? null : value;
    }

    /** The schema versions recorded and the columns of turn_attempt with their types. */
    static List<String> schema(String jdbcUrl) {
        try (Connection c = DriverManager.getConnection(jdbcUrl);
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery("SELECT version, script, applied_at FROM ledger_schema ORDER BY version")) {
            List<String> out = new ArrayList<>();
            while (r.next()) {
                out.add(r.getInt(1) + " " + r.getString(2) + " " + r.getLong(3));
            }
            DatabaseMetaData meta = c.getMetaData();
            try (ResultSet cols = meta.getColumns(null, null, "turn_attempt", null)) {
                while (cols.next()) {
                    out.add(cols.getString("COLUMN_NAME") + " " + cols.getString("TYPE_NAME") + " "
                            + cols.getString("IS_NULLABLE"));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

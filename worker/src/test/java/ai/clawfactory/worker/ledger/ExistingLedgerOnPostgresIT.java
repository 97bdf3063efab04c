package ai.clawfactory.worker.ledger;

import ai.clawfactory.worker.PostgresLedger;
import ai.clawfactory.worker.TestContexts;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@link ExistingLedgerTest} on PostgreSQL: the schema made by the same runner (LedgerSchema) and
 * the fixture's rows inserted with the released worker's plain-JDBC statement and bindings.
 */
@MicronautTest(transactional = false)
class ExistingLedgerOnPostgresIT extends ExistingLedgerTest {

    @RegisterExtension
    static final PostgresLedger POSTGRES = new PostgresLedger();

    private static final String INSERT = "INSERT INTO turn_attempt (id, turn_key, workflow_id, run_id, workflow_type, "
            + "step_id, attempt, kind, status, http_status, gateway_run_id, started_at, duration_ms, request, output, "
            + "error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    @Override
    String prepare(Path dir) {
        String url = POSTGRES.jdbcUrl();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        LedgerSchema.migrate(ds);
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement p = c.prepareStatement(INSERT)) {
            // The released worker's schema is version 1: take back what the later migrations added
            // (V2: a command step's bundle), so the context's runner has them to apply, as on a
            // machine that upgrades.
            c.createStatement().executeUpdate("ALTER TABLE turn_attempt DROP COLUMN IF EXISTS bundle");
            c.createStatement().executeUpdate("DELETE FROM ledger_schema WHERE version > 1");
            for (TurnAttempt row : rows(TestContexts.sqliteUrl(fixtureCopy(dir)))) {
                int i = 1;
                p.setString(i++, row.id());
                p.setString(i++, row.turnKey());
                p.setString(i++, row.workflowId());
                p.setString(i++, row.runId());
                p.setString(i++, row.workflowType());
                p.setString(i++, row.stepId());
                p.setInt(i++, row.attempt());
                p.setString(i++, row.kind());
                p.setString(i++, row.status());
                if (row.httpStatus() == null) {
                    p.setNull(i++, Types.INTEGER);
                } else {
                    p.setInt(i++, row.httpStatus());
                }
                p.setString(i++, row.gatewayRunId());
                p.setLong(i++, row.startedAt());
                if (row.durationMs() == null) {
                    p.setNull(i++, Types.BIGINT);
                } else {
                    p.setLong(i++, row.durationMs());
                }
                p.setString(i++, row.request());
                p.setString(i++, row.output());
                p.setString(i, row.error());
                p.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return url;
    }
}

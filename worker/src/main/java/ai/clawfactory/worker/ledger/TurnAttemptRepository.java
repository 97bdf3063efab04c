package ai.clawfactory.worker.ledger;

import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The ledger's SQL, in plain JDBC, that runs unchanged on SQLite and PostgreSQL. Each method is
 * one statement on a pooled connection in auto-commit, so each is its own transaction (SQLite
 * takes the write lock at the start of a write statement, so a write waits out the busy timeout
 * as under {@code transaction_mode=IMMEDIATE}). A failure is a {@link LedgerAccessException}
 * with the driver's {@link SQLException} as its cause.
 */
@Singleton
public class TurnAttemptRepository {

    /** The columns of {@code turn_attempt} (db/migration/V1__turn_ledger.sql), in {@link TurnAttempt}'s order. */
    static final String COLUMNS = "id, turn_key, workflow_id, run_id, workflow_type, step_id, attempt, kind, status, "
            + "http_status, gateway_run_id, started_at, duration_ms, request, output, error";

    private static final String SELECT = "SELECT " + COLUMNS + " FROM turn_attempt";

    private final DataSource dataSource;

    public TurnAttemptRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<TurnAttempt> findCompleted(String turnKey) {
        return one(
                SELECT + " WHERE turn_key = ? AND status IN ('ok', 'skipped') ORDER BY started_at DESC LIMIT 1",
                p -> p.setString(1, turnKey));
    }

    public Optional<TurnAttempt> findById(String id) {
        return one(SELECT + " WHERE id = ?", p -> p.setString(1, id));
    }

    public List<TurnAttempt> findLatest(int limit) {
        return list(SELECT + " ORDER BY started_at DESC, id LIMIT ?", p -> p.setInt(1, limit));
    }

    public List<TurnAttempt> findLatestOfWorkflow(String workflowId, int limit) {
        return list(SELECT + " WHERE workflow_id = ? ORDER BY started_at DESC, id LIMIT ?", p -> {
            p.setString(1, workflowId);
            p.setInt(2, limit);
        });
    }

    public long count() {
        return count("SELECT COUNT(*) FROM turn_attempt", p -> {});
    }

    public long countByTurnKey(String turnKey) {
        return count("SELECT COUNT(*) FROM turn_attempt WHERE turn_key = ?", p -> p.setString(1, turnKey));
    }

    public long countStartedBefore(long cutoff) {
        return count("SELECT COUNT(*) FROM turn_attempt WHERE started_at < ?", p -> p.setLong(1, cutoff));
    }

    /** One batch of a prune: short transactions, so a big prune never holds SQLite's write lock for long. */
    public int deleteStartedBefore(long cutoff, int batch) {
        return update(
                "DELETE FROM turn_attempt WHERE id IN (SELECT id FROM turn_attempt WHERE started_at < ? LIMIT ?)",
                p -> {
                    p.setLong(1, cutoff);
                    p.setInt(2, batch);
                });
    }

    public int abandonRunningStartedBefore(long cutoff, String note) {
        return update(
                "UPDATE turn_attempt SET status = 'abandoned', error = ? WHERE status = 'running' AND started_at < ?",
                p -> {
                    p.setString(1, note);
                    p.setLong(2, cutoff);
                });
    }

    /** Writes nothing, but takes the write lock (health: the ledger accepts writes). */
    public void deleteNothing() {
        update("DELETE FROM turn_attempt WHERE 1 = 0", p -> {});
    }

    /** Inserts a new row; returns it. */
    public TurnAttempt save(TurnAttempt row) {
        update(
                "INSERT INTO turn_attempt (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                p -> {
                    p.setString(1, row.id());
                    bindFields(p, 2, row);
                });
        return row;
    }

    /** Writes every column of the row with this id (none when it is gone); returns the row. */
    public TurnAttempt update(TurnAttempt row) {
        update(
                "UPDATE turn_attempt SET turn_key = ?, workflow_id = ?, run_id = ?, workflow_type = ?, step_id = ?, "
                        + "attempt = ?, kind = ?, status = ?, http_status = ?, gateway_run_id = ?, started_at = ?, "
                        + "duration_ms = ?, request = ?, output = ?, error = ? WHERE id = ?",
                p -> p.setString(bindFields(p, 1, row), row.id()));
        return row;
    }

    /** Binds every column but the id from parameter {@code i} on; returns the next parameter index. */
    private static int bindFields(PreparedStatement p, int i, TurnAttempt row) throws SQLException {
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
        p.setString(i++, row.error());
        return i;
    }

    /** A row of {@code turn_attempt}, by column name; SQL NULL stays null in the nullable columns. */
    static TurnAttempt map(ResultSet r) throws SQLException {
        return new TurnAttempt(
                r.getString("id"),
                r.getString("turn_key"),
                r.getString("workflow_id"),
                r.getString("run_id"),
                r.getString("workflow_type"),
                r.getString("step_id"),
                r.getInt("attempt"),
                r.getString("kind"),
                r.getString("status"),
                nullableInt(r, "http_status"),
                r.getString("gateway_run_id"),
                r.getLong("started_at"),
                nullableLong(r, "duration_ms"),
                r.getString("request"),
                r.getString("output"),
                r.getString("error"));
    }

    private static Integer nullableInt(ResultSet r, String column) throws SQLException {
        int v = r.getInt(column);
        return r.wasNull() ? null : v;
    }

    private static Long nullableLong(ResultSet r, String column) throws SQLException {
        long v = r.getLong(column);
        return r.wasNull() ? null : v;
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement p) throws SQLException;
    }

    private Optional<TurnAttempt> one(String sql, Binder binder) {
        List<TurnAttempt> rows = list(sql, binder);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private List<TurnAttempt> list(String sql, Binder binder) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement p = c.prepareStatement(sql)) {
            binder.bind(p);
            try (ResultSet r = p.executeQuery()) {
                List<TurnAttempt> rows = new ArrayList<>();
                while (r.next()) {
                    rows.add(map(r));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new LedgerAccessException(sql, e);
        }
    }

    private long count(String sql, Binder binder) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement p = c.prepareStatement(sql)) {
            binder.bind(p);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new LedgerAccessException(sql, e);
        }
    }

    private int update(String sql, Binder binder) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement p = c.prepareStatement(sql)) {
            binder.bind(p);
            return p.executeUpdate();
        } catch (SQLException e) {
            throw new LedgerAccessException(sql, e);
        }
    }
}

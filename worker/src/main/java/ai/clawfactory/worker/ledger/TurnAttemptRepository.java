package ai.clawfactory.worker.ledger;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.connection.annotation.Connectable;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;
import java.util.Optional;

/**
 * The ledger's rows, as Micronaut Data generates and checks them at compile time. One repository
 * for SQLite and PostgreSQL: the ANSI dialect (Micronaut Data has no SQLite dialect) and SQL that
 * runs unchanged on both, as TurnAttemptRepositoryTest and its *OnPostgresIT prove. Each method is
 * one statement in its own transaction (auto-commit), so a prune never holds SQLite's write lock
 * for long. {@code @Connectable}: each call takes a pooled connection as it is; without it,
 * Micronaut Data switches the connection to read-only around every read, which sqlite-jdbc
 * refuses once a connection in auto-commit has run a statement. A failure is Micronaut Data's
 * {@code DataAccessException} (no connection from the pool: {@code CannotGetJdbcConnectionException})
 * with the driver's {@link java.sql.SQLException} as its cause, which is what {@link LedgerFaults}
 * classifies.
 */
@JdbcRepository(dialect = Dialect.ANSI)
@Connectable
public interface TurnAttemptRepository extends GenericRepository<TurnAttempt, String> {

    /** Inserts a new row; returns it. */
    TurnAttempt save(TurnAttempt row);

    /** Writes every column of the row with this id (none when it is gone); returns the row. */
    TurnAttempt update(TurnAttempt row);

    Optional<TurnAttempt> findById(String id);

    long count();

    long countByTurnKey(String turnKey);

    long countByStartedAtLessThan(long startedAt);

    /** The latest ok or skipped attempt of this key. */
    @Query("SELECT * FROM turn_attempt WHERE turn_key = :turnKey AND status IN ('ok', 'skipped') "
            + "ORDER BY started_at DESC LIMIT 1")
    Optional<TurnAttempt> findCompleted(String turnKey);

    @Query("SELECT * FROM turn_attempt ORDER BY started_at DESC, id LIMIT :limit")
    List<TurnAttempt> findLatest(int limit);

    @Query("SELECT * FROM turn_attempt WHERE workflow_id = :workflowId ORDER BY started_at DESC, id LIMIT :limit")
    List<TurnAttempt> findLatestOfWorkflow(String workflowId, int limit);

    /**
     * Where a prune's next batch ends: the start time of the attempt {@code offset} places after the
     * oldest one started before {@code cutoff} (none when fewer are left). Read along the start-time index.
     */
    @Query("SELECT started_at FROM turn_attempt WHERE started_at < :cutoff ORDER BY started_at LIMIT 1 OFFSET :offset")
    List<Long> findBatchEnd(long cutoff, int offset);

    /** A range delete along the start-time index: every attempt started at or before {@code end}. */
    @Query("DELETE FROM turn_attempt WHERE started_at <= :end")
    int deleteStartedAtOrBefore(long end);

    /** A range delete along the start-time index: every attempt started before {@code cutoff}. */
    @Query("DELETE FROM turn_attempt WHERE started_at < :cutoff")
    int deleteAllStartedBefore(long cutoff);

    /** The bundles of attempts started before {@code cutoff} (command steps'), for a prune to remove first. */
    @Query("SELECT bundle FROM turn_attempt WHERE started_at < :cutoff AND bundle IS NOT NULL LIMIT :batch")
    List<String> findBundlesStartedBefore(long cutoff, int batch);

    @Query(
            "UPDATE turn_attempt SET status = 'abandoned', error = :note WHERE status = 'running' AND started_at < :cutoff")
    int abandonRunningStartedBefore(long cutoff, String note);

    /** Writes nothing, but takes the write lock (health: the ledger accepts writes). */
    @Query("DELETE FROM turn_attempt WHERE 1 = 0")
    void deleteNothing();
}

package ai.clawfactory.worker.ledger;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

/** SQL that runs unchanged on SQLite and PostgreSQL. */
@JdbcRepository(dialect = Dialect.ANSI)
public interface TurnAttemptRepository extends CrudRepository<TurnAttempt, String> {

    @Query(
            "SELECT * FROM turn_attempt WHERE turn_key = :turnKey AND status IN ('ok', 'skipped') ORDER BY started_at DESC LIMIT 1")
    Optional<TurnAttempt> findCompleted(String turnKey);

    @Query("SELECT * FROM turn_attempt ORDER BY started_at DESC, id LIMIT :limit")
    List<TurnAttempt> findLatest(int limit);

    @Query("SELECT * FROM turn_attempt WHERE workflow_id = :workflowId ORDER BY started_at DESC, id LIMIT :limit")
    List<TurnAttempt> findLatestOfWorkflow(String workflowId, int limit);

    long countByTurnKey(String turnKey);

    @Query("SELECT COUNT(*) FROM turn_attempt WHERE started_at < :cutoff")
    long countStartedBefore(long cutoff);

    /** One batch of a prune: short transactions, so a big prune never holds SQLite's write lock for long. */
    @Query("DELETE FROM turn_attempt WHERE id IN (SELECT id FROM turn_attempt WHERE started_at < :cutoff LIMIT :batch)")
    int deleteStartedBefore(long cutoff, int batch);

    @Query(
            "UPDATE turn_attempt SET status = 'abandoned', error = :note WHERE status = 'running' AND started_at < :cutoff")
    int abandonRunningStartedBefore(long cutoff, String note);

    /** Writes nothing, but takes the write lock (health: the ledger accepts writes). */
    @Query("DELETE FROM turn_attempt WHERE 1 = 0")
    void deleteNothing();
}

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

    @Query("SELECT * FROM turn_attempt WHERE turn_key = :turnKey AND status IN ('ok', 'skipped') ORDER BY started_at DESC LIMIT 1")
    Optional<TurnAttempt> findCompleted(String turnKey);

    @Query("SELECT * FROM turn_attempt ORDER BY started_at DESC, id LIMIT :limit")
    List<TurnAttempt> findLatest(int limit);

    @Query("SELECT * FROM turn_attempt WHERE workflow_id = :workflowId ORDER BY started_at DESC, id LIMIT :limit")
    List<TurnAttempt> findLatestOfWorkflow(String workflowId, int limit);

    long countByTurnKey(String turnKey);

    /** Writes nothing, but takes the write lock (health: the ledger accepts writes). */
    @Query("DELETE FROM turn_attempt WHERE 1 = 0")
    void deleteNothing();
}

-- The turn ledger: one row per attempt of an agent turn or HTTP step.
-- Portable DDL: the same file runs on SQLite and PostgreSQL (ids are assigned by the worker).
CREATE TABLE turn_attempt (
    id             VARCHAR(36)  NOT NULL PRIMARY KEY,
    turn_key       VARCHAR(300) NOT NULL,
    workflow_id    VARCHAR(255) NOT NULL,
    run_id         VARCHAR(64)  NOT NULL,
    workflow_type  VARCHAR(255) NOT NULL,
    step_id        VARCHAR(64)  NOT NULL,
    attempt        INTEGER      NOT NULL,
    kind           VARCHAR(32)  NOT NULL,
    status         VARCHAR(32)  NOT NULL,
    http_status    INTEGER,
    gateway_run_id VARCHAR(255),
    started_at     BIGINT       NOT NULL,
    duration_ms    BIGINT,
    request        TEXT,
    output         TEXT,
    error          TEXT
);
CREATE INDEX turn_attempt_key ON turn_attempt (turn_key);
CREATE INDEX turn_attempt_workflow ON turn_attempt (workflow_id, started_at);
CREATE INDEX turn_attempt_started ON turn_attempt (started_at);

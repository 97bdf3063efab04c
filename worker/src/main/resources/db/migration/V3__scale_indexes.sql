-- What a prune reads first: the execution bundles of old attempts. Few attempts have one (command
-- steps), so a partial index on them keeps that read from walking every old row (a million rows:
-- the whole start-time index). Portable: SQLite and PostgreSQL both have partial indexes.
CREATE INDEX turn_attempt_bundle_started ON turn_attempt (started_at) WHERE bundle IS NOT NULL;

-- V18: the running instances of the application (`serve`) and of `cancel-event`, each renewing its row every
-- few seconds while it may write.
--
-- `legacy import` and `legacy rollback` rewrite or drop the tables the application writes: they refuse while an
-- instance has been seen recently, and an instance stops taking requests when it cannot renew its row or sees
-- one of them running (io.ticketing.migration.legacy.ServingInstances). A row in a table rather than the
-- server's list of sessions: behind a transaction pooler, connections keep the name of their last client.
-- An instance that stops cleanly deletes its row; one that dies leaves it, ignored once it is old.
--
-- A new, empty table: no lock on anything the application uses.
-- Flyway runs this script in one transaction: a failure rolls it back whole, so it re-runs as is
-- (migration/squawk-waivers.md):
-- squawk-ignore-file prefer-robust-stmts

SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';

CREATE TABLE ticketing.serving_instance (
    id           uuid        NOT NULL,
    command      text        NOT NULL,
    host         text        NOT NULL,
    pid          bigint      NOT NULL,
    started_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    CONSTRAINT serving_instance_pkey PRIMARY KEY (id)
);

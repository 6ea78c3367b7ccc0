-- V8: the Location header of a kept answer, so that a replay of a 201 is the first answer whole
-- (status, body and where the created resource is). NULL: the answer had none.
--
-- A nullable column without a default is a catalogue change only: no rewrite, no scan, and the
-- ACCESS EXCLUSIVE lock it needs is held for milliseconds (lock_timeout makes it give up rather
-- than queue behind a long transaction).

-- Flyway runs this script in one transaction: a failure rolls it back whole, so it re-runs as is
-- (migration/squawk-waivers.md):
-- squawk-ignore-file prefer-robust-stmts

SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';

ALTER TABLE ticketing.idempotency_key ADD COLUMN response_location text;

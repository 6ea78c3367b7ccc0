-- V3: the order in which a checkout's seats were chosen, as its own column.
--
-- A checkout lists its seats in the order the buyer added them. V1 had no column for it, so the
-- order could only be inferred from created_at. position is 1, 2, 3 … within a checkout; rows
-- linked before this version (and rows the legacy import writes) have none and sort after, by
-- created_at.
--
-- A nullable column without a default is a catalogue change only: no rewrite, no scan, and the
-- ACCESS EXCLUSIVE lock it needs is held for milliseconds (lock_timeout makes it give up rather
-- than queue behind a long transaction).

-- Flyway runs this script in one transaction: a failure rolls it back whole, so it re-runs as is
-- (migration/squawk-waivers.md):
-- squawk-ignore-file prefer-robust-stmts

SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';

-- A seat's place among the few seats of one checkout cannot approach 2^31.
-- squawk-ignore prefer-bigint-over-int
ALTER TABLE ticketing.payment_session_seat ADD COLUMN position integer;

COMMENT ON COLUMN ticketing.payment_session_seat.position IS
    'Order in which the seat was added to its checkout (1, 2, …); null for links made before V3.';

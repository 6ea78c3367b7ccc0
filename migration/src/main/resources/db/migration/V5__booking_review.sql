-- V5: a booking an operator should look at, and why.
--
-- The legacy import migrates a booking with its valid seats and quarantines only the offending
-- booking-seat pairs (an unknown seat, a seat of another event, a seat that an earlier booking
-- already holds). Such a booking is served like any other, but it no longer holds every seat the
-- customer paid for, so it carries the reason here until an admin has dealt with it. NULL: nothing
-- to review. V6 indexes the short list of bookings to review.
--
-- A nullable column without a default is a catalogue change only: no rewrite, no scan, and the
-- ACCESS EXCLUSIVE lock it needs is held for milliseconds (lock_timeout makes it give up rather
-- than queue behind a long transaction).

-- Flyway runs this script in one transaction: a failure rolls it back whole, so it re-runs as is
-- (migration/squawk-waivers.md):
-- squawk-ignore-file prefer-robust-stmts

SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';

ALTER TABLE ticketing.booking ADD COLUMN review_reason text;

-- V6: the bookings to review, listed without reading the whole booking table.
--
-- booking is populated by now, so the index is built CONCURRENTLY (writes go on while it builds),
-- which cannot run inside a transaction: V6__booking_review_index.sql.conf turns Flyway's
-- transaction off. Were the build interrupted it would leave an INVALID index behind; dropping it
-- first makes the script safe to run again.

SET lock_timeout = '5s';
-- Long enough for a large booking table; the build itself does not block writes.
SET statement_timeout = '30min';

DROP INDEX CONCURRENTLY IF EXISTS ticketing.booking_review_idx;
CREATE INDEX CONCURRENTLY IF NOT EXISTS booking_review_idx ON ticketing.booking (created_at, id) WHERE review_reason IS NOT NULL;

RESET lock_timeout;
RESET statement_timeout;

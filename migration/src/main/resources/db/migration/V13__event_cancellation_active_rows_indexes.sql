-- V13: an event's cancellation reads only what it still has to undo. Each batch takes the next bookings of
-- the event that are not CANCELLED (and then the OPEN or PROCESSING checkouts) in id order; through the
-- primary key (event_id, id) it stepped over every row the batches before it had cancelled, so each batch
-- read more than the last (at 50,000 bookings, the last batches read all 50,000 to find a few hundred).
-- These partial indexes hold only the rows still to undo: a batch reads what it changes.
--
-- The booking index also makes a booking's status an indexed column: a status change no longer updates
-- the row in place (HOT). Bookings are written CONFIRMED in one insert on the usual path; the status
-- changes (a pending booking confirmed, a cancellation) are the rarer writes. payment_session's status is
-- indexed already (V11), so its index costs nothing of the kind.
--
-- Both tables are populated by now, so the indexes are built CONCURRENTLY (writes go on while they
-- build), which cannot run inside a transaction: V13__event_cancellation_active_rows_indexes.sql.conf
-- turns Flyway's transaction off. Were a build interrupted it would leave an INVALID index behind;
-- dropping it first makes the script safe to run again.

SET lock_timeout = '5s';
-- Long enough for large tables; the builds themselves do not block writes.
SET statement_timeout = '30min';

DROP INDEX CONCURRENTLY IF EXISTS ticketing.booking_event_active_idx;
CREATE INDEX CONCURRENTLY IF NOT EXISTS booking_event_active_idx
    ON ticketing.booking (event_id, id) WHERE status <> 'CANCELLED';

DROP INDEX CONCURRENTLY IF EXISTS ticketing.payment_session_event_active_idx;
CREATE INDEX CONCURRENTLY IF NOT EXISTS payment_session_event_active_idx
    ON ticketing.payment_session (event_id, id) WHERE status IN ('OPEN', 'PROCESSING');

RESET lock_timeout;
RESET statement_timeout;

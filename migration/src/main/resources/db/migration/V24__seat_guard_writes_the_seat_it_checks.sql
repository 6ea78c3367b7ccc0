-- V24: a seat's check writes the seat it did not write, so that REPEATABLE READ writers are checked one after the other.
--
-- A seat's rule (V9, V16's assert_seat) reads its claims. A transaction that changed a claim but not the seat locked the
-- seat (FOR NO KEY UPDATE), then read again: under READ COMMITTED that read sees what a transaction that held the lock
-- committed, so two transactions that each release one of a seat's two claims are checked one after the other and the
-- second is refused. Under REPEATABLE READ (or SERIALIZABLE) the read after the lock still sees the transaction's
-- snapshot, and a row that was only locked by the first is no conflict: both committed, the seat RESERVED with no claim.
-- The check now writes the seat instead of locking it, an UPDATE that changes nothing (`status = status`): it takes the
-- same lock, and a REPEATABLE READ transaction whose snapshot predates another's write of the seat fails with a
-- serialization failure (40001, retried by a client as any such failure), whichever of the two took which isolation
-- level. The update changes no value: no trigger acts on it (each compares OLD with NEW: updated_at, the summaries,
-- the audit, the seat's own guard), the row keeps its indexed values (a heap-only tuple). A seat this transaction wrote
-- is read once, as before (V10): the hot path of a booking writes its seats and never comes here.
-- Flyway runs this script in one transaction: a failure rolls it back whole, so it re-runs as is
-- (migration/squawk-waivers.md):
-- squawk-ignore-file prefer-robust-stmts

SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';

CREATE OR REPLACE FUNCTION ticketing.assert_seat(p_event_id uuid, p_seat_id uuid) RETURNS void
    LANGUAGE plpgsql
    SET enable_seqscan = off
AS $$
DECLARE
    seat_status    ticketing.seat_status;
    mine           boolean;
    written        boolean := false;
    held           boolean;
    booking_status text; -- of the active booking claim: PENDING, CONFIRMED, or NONE (never NULL: no three-valued logic below)
BEGIN
    LOOP
        SELECT s.status, ticketing.written_here(s.xmin),
               EXISTS (SELECT 1 FROM ticketing.payment_session_seat pss
                        WHERE pss.event_id = s.event_id AND pss.seat_id = s.id AND pss.released_at IS NULL),
               -- the seat's one active booking claim (a unique index), then that booking by its key
               coalesce((SELECT b.status::text
                           FROM ticketing.booking b
                          WHERE (b.event_id, b.id) = (SELECT bs.event_id, bs.booking_id
                                                        FROM ticketing.booked_seat bs
                                                       WHERE bs.event_id = s.event_id AND bs.seat_id = s.id
                                                         AND bs.released_at IS NULL)), 'NONE')
          INTO seat_status, mine, held, booking_status
          FROM ticketing.seat s
         WHERE s.event_id = p_event_id AND s.id = p_seat_id;
        IF NOT FOUND THEN
            RETURN; -- deleted: its claims went with it or kept it (foreign keys)
        END IF;
        EXIT WHEN mine OR written;
        UPDATE ticketing.seat s SET status = s.status WHERE s.event_id = p_event_id AND s.id = p_seat_id;
        written := true;
    END LOOP;
    IF (seat_status IN ('AVAILABLE', 'BLOCKED') AND (held OR booking_status <> 'NONE'))
       OR (seat_status = 'RESERVED' AND (booking_status = 'CONFIRMED' OR NOT (held OR booking_status = 'PENDING')))
       OR (seat_status = 'BOOKED' AND (held OR booking_status <> 'CONFIRMED')) THEN
        RAISE EXCEPTION 'seat % of event % is %, which disagrees with its active claims (held by a checkout: %, booking: %)',
                p_seat_id, p_event_id, seat_status, held, lower(booking_status)
            USING ERRCODE = 'check_violation', CONSTRAINT = 'seat_status_agrees_with_claims',
                  HINT = 'Claim a seat and set its status in the same transaction: RESERVED for an open or processing '
                      || 'checkout or a pending booking, BOOKED for a confirmed booking, AVAILABLE once released.';
    END IF;
END
$$;

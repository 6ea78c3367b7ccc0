-- V19: a checked-in ticket only of a booking that was paid.
--
-- V9's rule for tickets let a USED ticket stand whatever its booking (a holder who came in stays in, when the
-- booking is cancelled afterwards), so that a ticket written USED for a pending booking, never paid, was accepted at
-- commit and counted as sold and checked in. A USED ticket now needs a booking that was confirmed at some time
-- (confirmed_at, kept when a paid booking is cancelled). Same rules otherwise, same messages and constraint name as
-- V15's assert_booking, whose function-level setting is kept.
--
-- Flyway runs this script in one transaction: a failure rolls it back whole, so it re-runs as is
-- (migration/squawk-waivers.md):
-- squawk-ignore-file prefer-robust-stmts

SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';

CREATE OR REPLACE FUNCTION ticketing.assert_booking(p_event_id uuid, p_booking_id uuid) RETURNS void
    LANGUAGE plpgsql
    SET enable_seqscan = off
AS $$
DECLARE
    booking_status ticketing.booking_status;
    paid           boolean;
    mine           boolean;
    locked         boolean := false;
    wrong_claim    uuid;
    unticketed     uuid;
    unsold_id      uuid;
    unsold_status  ticketing.ticket_status;
    unsold_seat    uuid;
BEGIN
    LOOP
        SELECT b.status, b.confirmed_at IS NOT NULL, ticketing.written_here(b.xmin)
          INTO booking_status, paid, mine
          FROM ticketing.booking b
         WHERE b.event_id = p_event_id AND b.id = p_booking_id;
        IF NOT FOUND THEN
            RETURN; -- deleted in this transaction: its claims and tickets went with it (foreign keys)
        END IF;
        EXIT WHEN mine OR locked;
        PERFORM 1 FROM ticketing.booking b WHERE b.event_id = p_event_id AND b.id = p_booking_id FOR SHARE;
        locked := true;
    END LOOP;
    -- Read after the booking row is locked (written here, or FOR SHARE above): its status cannot change any
    -- more, and this later statement sees the claims and tickets as committed by then.
    WITH claims AS MATERIALIZED (
             SELECT bs.seat_id, bs.released_at IS NULL AS active
               FROM ticketing.booked_seat bs
              WHERE bs.event_id = p_event_id AND bs.booking_id = p_booking_id),
         tickets AS MATERIALIZED (
             SELECT t.id, t.seat_id, t.status
               FROM ticketing.ticket t
              WHERE t.event_id = p_event_id AND t.booking_id = p_booking_id),
         unsold AS MATERIALIZED (
             SELECT t.id, t.status, t.seat_id
               FROM tickets t
              WHERE (t.status = 'VALID'
                     AND (booking_status <> 'CONFIRMED'
                          OR NOT EXISTS (SELECT 1 FROM claims c WHERE c.seat_id = t.seat_id AND c.active)))
                 -- checked in: history that outlives a cancellation, but only of a booking that was paid
                 OR (t.status = 'USED' AND NOT paid)
              LIMIT 1)
    SELECT (SELECT c.seat_id FROM claims c WHERE c.active <> (booking_status <> 'CANCELLED') LIMIT 1),
           (SELECT c.seat_id FROM claims c
             WHERE booking_status = 'CONFIRMED' AND c.active
               AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.seat_id = c.seat_id AND t.status IN ('VALID', 'USED'))
             LIMIT 1),
           (SELECT u.id FROM unsold u), (SELECT u.status FROM unsold u), (SELECT u.seat_id FROM unsold u)
      INTO wrong_claim, unticketed, unsold_id, unsold_status, unsold_seat;
    IF wrong_claim IS NOT NULL THEN
        RAISE EXCEPTION 'booking % is %, but its claim on seat % is %', p_booking_id, booking_status, wrong_claim,
                CASE WHEN booking_status <> 'CANCELLED' THEN 'released' ELSE 'still active' END
            USING ERRCODE = 'check_violation', CONSTRAINT = 'booking_claims_follow_booking',
                  HINT = 'A booking holds its seats until it is cancelled: release its claims (released_at) in the '
                      || 'transaction that cancels it.';
    END IF;
    IF unticketed IS NOT NULL THEN
        RAISE EXCEPTION 'booking % is confirmed, but its seat % has no live ticket', p_booking_id, unticketed
            USING ERRCODE = 'check_violation', CONSTRAINT = 'confirmed_booking_is_ticketed',
                  HINT = 'Issue one VALID ticket per seat in the transaction that confirms a booking; end tickets only '
                      || 'together with the booking.';
    END IF;
    IF unsold_id IS NOT NULL THEN
        RAISE EXCEPTION 'ticket % is %, but seat % is not sold to its booking % (or the booking is not confirmed)',
                unsold_id, unsold_status, unsold_seat, p_booking_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'valid_ticket_is_sold',
                  HINT = 'Issue tickets only for the seats of a confirmed booking.';
    END IF;
END
$$;

-- V25: the checkout and booking checks write the row they check; a seat held by a checkout and claimed by a pending
-- booking is one purchase; a claim or ticket stays in its event.
--
-- 1. A checkout's rule (assert_checkout) and a booking's (assert_booking) read the claims and tickets of a row the
--    transaction did not write after locking it FOR SHARE, as V24's seat rule did before V24: under REPEATABLE READ the
--    read still sees the transaction's snapshot, and a row that was only locked by another is no conflict. A checkout
--    expired (its visible claims released) while another transaction added it a claim on a second seat both committed:
--    an EXPIRED checkout holding a RESERVED seat that the sweeper, which expires OPEN checkouts only, never frees; the
--    same for a pending booking cancelled while another transaction claimed it a seat. Each check now writes the row
--    instead, an UPDATE that changes no value (`status = status`), as V24's seat check does: a REPEATABLE READ
--    transaction whose snapshot predates the other's write fails with a serialization failure (40001), under READ
--    COMMITTED the second waits and then reads what the first committed. No trigger acts on such an update (each
--    compares OLD with NEW: updated_at, the audit, the summaries, the guards), the row keeps its indexed values. A row
--    the transaction wrote is read once, as before: a booking's hot path writes its checkout and its booking.
-- 2. A seat may be RESERVED for a checkout's hold and a pending booking's claim at once while the payment is
--    processed, but the two must be one purchase: the booking of that checkout (payment_session.booking_id, as a
--    migrated checkout names it) or the checkout of that booking (booking.payment_session_id). A pending booking of
--    someone else claiming a seat another customer's checkout holds was accepted: the seat sold twice once both paid.
--    Read only when both claims are active: the hot path never has both.
-- 3. A claim or a ticket moved to another event (its event_id updated, the seat and booking ids existing there too)
--    passed the rules, whose triggers watch the seat, checkout and booking ids: refused at once, as nothing moves a
--    claim between events (a claim is made anew).
-- Flyway runs this script in one transaction: a failure rolls it back whole, so it re-runs as is
-- (migration/squawk-waivers.md):
-- squawk-ignore-file prefer-robust-stmts

SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';

-- CREATE TRIGGER takes a SHARE ROW EXCLUSIVE lock of its table: the three tables first, in one statement and V17's order.
LOCK TABLE ticketing.payment_session_seat, ticketing.booked_seat, ticketing.ticket IN SHARE ROW EXCLUSIVE MODE;

CREATE OR REPLACE FUNCTION ticketing.assert_checkout(p_event_id uuid, p_session_id uuid) RETURNS void
    LANGUAGE plpgsql
    SET enable_seqscan = off
AS $$
DECLARE
    session_status ticketing.payment_session_status;
    mine           boolean;
    written        boolean := false;
    wrong          uuid;
BEGIN
    LOOP
        SELECT ps.status, ticketing.written_here(ps.xmin),
               (SELECT pss.seat_id FROM ticketing.payment_session_seat pss
                 WHERE pss.event_id = ps.event_id AND pss.payment_session_id = ps.id
                   AND (pss.released_at IS NULL) <> (ps.status IN ('OPEN', 'PROCESSING'))
                 LIMIT 1)
          INTO session_status, mine, wrong
          FROM ticketing.payment_session ps
         WHERE ps.event_id = p_event_id AND ps.id = p_session_id;
        EXIT WHEN NOT FOUND OR mine OR written;
        UPDATE ticketing.payment_session ps SET status = ps.status WHERE ps.event_id = p_event_id AND ps.id = p_session_id;
        written := true;
    END LOOP;
    IF wrong IS NOT NULL THEN
        RAISE EXCEPTION 'checkout % is %, but its claim on seat % is %', p_session_id, session_status, wrong,
                CASE WHEN session_status IN ('OPEN', 'PROCESSING') THEN 'released' ELSE 'still active' END
            USING ERRCODE = 'check_violation', CONSTRAINT = 'checkout_claims_follow_checkout',
                  HINT = 'A checkout holds its seats while OPEN or PROCESSING: release its claims (released_at) when it '
                      || 'leaves those states, and add claims only while it is in them.';
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION ticketing.assert_booking(p_event_id uuid, p_booking_id uuid) RETURNS void
    LANGUAGE plpgsql
    SET enable_seqscan = off
AS $$
DECLARE
    booking_status ticketing.booking_status;
    paid           boolean;
    mine           boolean;
    written        boolean := false;
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
        EXIT WHEN mine OR written;
        UPDATE ticketing.booking b SET status = b.status WHERE b.event_id = p_event_id AND b.id = p_booking_id;
        written := true;
    END LOOP;
    -- Read after the booking row is written (here, or by the UPDATE above): its status cannot change any more, and
    -- this later statement sees the claims and tickets as committed by then (under READ COMMITTED).
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
    holder         uuid;
    claimant       uuid;
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
    IF held AND booking_status = 'PENDING' THEN
        SELECT ps.id, b.id INTO holder, claimant
          FROM ticketing.payment_session_seat pss
          JOIN ticketing.payment_session ps ON ps.event_id = pss.event_id AND ps.id = pss.payment_session_id
          JOIN ticketing.booked_seat bs ON bs.event_id = pss.event_id AND bs.seat_id = pss.seat_id AND bs.released_at IS NULL
          JOIN ticketing.booking b ON b.event_id = bs.event_id AND b.id = bs.booking_id
         WHERE pss.event_id = p_event_id AND pss.seat_id = p_seat_id AND pss.released_at IS NULL
           AND ps.booking_id IS DISTINCT FROM b.id AND b.payment_session_id IS DISTINCT FROM ps.id
         LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'seat % of event % is held by checkout % and claimed by pending booking %, which is not that checkout''s booking',
                    p_seat_id, p_event_id, holder, claimant
                USING ERRCODE = 'check_violation', CONSTRAINT = 'seat_claimed_by_one_purchase',
                      HINT = 'A seat held by a checkout is claimed by a booking only for that checkout (booking.payment_session_id, '
                          || 'or payment_session.booking_id): release the hold, or claim the seat for another booking once it is free.';
        END IF;
    END IF;
END
$$;

CREATE FUNCTION ticketing.refuse_event_move() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION '% of event % cannot move to event %', TG_TABLE_NAME, OLD.event_id, NEW.event_id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'claim_stays_in_its_event',
              HINT = 'A claim or a ticket belongs to its event for good: release it (released_at, or the ticket CANCELLED) '
                  || 'and write a new one in the other event.';
END
$$;

CREATE TRIGGER payment_session_seat_stays_in_its_event BEFORE UPDATE OF event_id ON ticketing.payment_session_seat
    FOR EACH ROW WHEN (old.event_id <> new.event_id AND current_setting('ticketing.check_invariants', true) IS DISTINCT FROM 'off')
    EXECUTE FUNCTION ticketing.refuse_event_move();
CREATE TRIGGER booked_seat_stays_in_its_event BEFORE UPDATE OF event_id ON ticketing.booked_seat
    FOR EACH ROW WHEN (old.event_id <> new.event_id AND current_setting('ticketing.check_invariants', true) IS DISTINCT FROM 'off')
    EXECUTE FUNCTION ticketing.refuse_event_move();
CREATE TRIGGER ticket_stays_in_its_event BEFORE UPDATE OF event_id ON ticketing.ticket
    FOR EACH ROW WHEN (old.event_id <> new.event_id AND current_setting('ticketing.check_invariants', true) IS DISTINCT FROM 'off')
    EXECUTE FUNCTION ticketing.refuse_event_move();

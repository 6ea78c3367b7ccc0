-- V10: the V9 guards, same rules, less work per transaction.
--
-- 1. A row this transaction wrote is locked by it already (an UPDATE takes the row lock; an INSERT is
--    seen by nobody else): its check reads once, without V9's separate lock statement (which also wrote
--    the lock into the row, a WAL record each). Only a row written by another transaction, e.g. a seat
--    whose claim alone changed here, is locked and then read again, as V9 did for every row.
-- 2. The keys already queued are kept in 256 settings of the transaction instead of one, chosen by the
--    key's last two (random) hex digits: a row written looks through a short list, not one that grows
--    with the transaction (V9's single list made a transaction writing 5,000 rows spend seconds on it:
--    each write scanned and copied up to 64 kB). guard_queue is a SQL function, inlined into the
--    triggers' WHEN.
--
-- Flyway runs this script in one transaction: a failure rolls it back whole, so it re-runs as is
-- (migration/squawk-waivers.md):
-- squawk-ignore-file prefer-robust-stmts

SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';

-- Whether a check of p_key is still to be queued in this transaction (V9 says why and how), recording it
-- as queued. Each of the 256 lists holds up to 8 kB of keys (some 220); past that a key of that list is
-- queued again each time it is written (checked more than once at commit, never less).
CREATE OR REPLACE FUNCTION ticketing.guard_once(p_key text) RETURNS boolean
    LANGUAGE plpgsql
AS $$
DECLARE
    list text := 'ticketing.guard_checked_' || right(p_key, 2);
    seen text := coalesce(current_setting(list, true), '');
BEGIN
    IF strpos(seen, p_key) > 0 THEN
        RETURN false;
    END IF;
    IF length(seen) < 8192 THEN
        PERFORM set_config(list, seen || p_key || ' ', true);
    END IF;
    RETURN true;
END
$$;

CREATE OR REPLACE FUNCTION ticketing.guard_queue(p_relevant boolean, p_key text) RETURNS boolean
    LANGUAGE sql
AS $$
    SELECT CASE
               WHEN p_relevant IS NOT TRUE THEN false
               WHEN coalesce(current_setting('ticketing.check_invariants', true), '') = 'off' THEN false
               ELSE ticketing.guard_once(p_key) -- last: it records the key as queued
           END
$$;

-- Whether this transaction (not one of its savepoints) wrote the row version with this xmin, and so
-- holds its lock. A row written under a savepoint answers false: it is locked and read again, as in V9.
CREATE FUNCTION ticketing.written_here(p_xmin xid) RETURNS boolean
    LANGUAGE sql
AS $$
    SELECT p_xmin = pg_current_xact_id()::xid
$$;

-- Rule 2 for one seat. A seat this transaction did not write is locked first and read again: two
-- transactions that each change one of the seat's claims are then checked one after the other, the
-- second reading (in a statement after the lock) what the first committed.
CREATE OR REPLACE FUNCTION ticketing.assert_seat(p_event_id uuid, p_seat_id uuid) RETURNS void
    LANGUAGE plpgsql
AS $$
DECLARE
    seat_status    ticketing.seat_status;
    mine           boolean;
    locked         boolean := false;
    held           boolean;
    booking_status text; -- of the active booking claim: PENDING, CONFIRMED, or NONE (never NULL: no three-valued logic below)
BEGIN
    LOOP
        SELECT s.status, ticketing.written_here(s.xmin),
               EXISTS (SELECT 1 FROM ticketing.payment_session_seat pss
                        WHERE pss.event_id = s.event_id AND pss.seat_id = s.id AND pss.released_at IS NULL),
               coalesce((SELECT b.status::text
                           FROM ticketing.booked_seat bs
                           JOIN ticketing.booking b ON b.event_id = bs.event_id AND b.id = bs.booking_id
                          WHERE bs.event_id = s.event_id AND bs.seat_id = s.id AND bs.released_at IS NULL), 'NONE')
          INTO seat_status, mine, held, booking_status
          FROM ticketing.seat s
         WHERE s.event_id = p_event_id AND s.id = p_seat_id;
        IF NOT FOUND THEN
            RETURN; -- deleted: its claims went with it or kept it (foreign keys)
        END IF;
        EXIT WHEN mine OR locked;
        PERFORM 1 FROM ticketing.seat s WHERE s.event_id = p_event_id AND s.id = p_seat_id FOR NO KEY UPDATE;
        locked := true;
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

-- Rule 1 for all of a checkout's claims. A checkout this transaction did not write is locked (FOR SHARE,
-- against a concurrent change of its status) and read again.
CREATE OR REPLACE FUNCTION ticketing.assert_checkout(p_event_id uuid, p_session_id uuid) RETURNS void
    LANGUAGE plpgsql
AS $$
DECLARE
    session_status ticketing.payment_session_status;
    mine           boolean;
    locked         boolean := false;
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
        EXIT WHEN NOT FOUND OR mine OR locked;
        PERFORM 1 FROM ticketing.payment_session ps WHERE ps.event_id = p_event_id AND ps.id = p_session_id FOR SHARE;
        locked := true;
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

-- Rules 1 and 3 for a booking: its claims follow its status; once confirmed, each claimed seat has a live
-- ticket of the booking; a VALID ticket of the booking is on a seat it holds, and only while confirmed. A
-- booking this transaction did not write is locked (FOR SHARE) and read again.
CREATE OR REPLACE FUNCTION ticketing.assert_booking(p_event_id uuid, p_booking_id uuid) RETURNS void
    LANGUAGE plpgsql
AS $$
DECLARE
    booking_status ticketing.booking_status;
    mine           boolean;
    locked         boolean := false;
    wrong_claim    uuid;
    unticketed     uuid;
    unsold         ticketing.ticket;
BEGIN
    LOOP
        SELECT b.status, ticketing.written_here(b.xmin),
               (SELECT bs.seat_id FROM ticketing.booked_seat bs
                 WHERE bs.event_id = b.event_id AND bs.booking_id = b.id
                   AND (bs.released_at IS NULL) <> (b.status <> 'CANCELLED')
                 LIMIT 1),
               (SELECT bs.seat_id FROM ticketing.booked_seat bs
                 WHERE bs.event_id = b.event_id AND bs.booking_id = b.id AND b.status = 'CONFIRMED' AND bs.released_at IS NULL
                   AND NOT EXISTS (SELECT 1 FROM ticketing.ticket t
                                    WHERE t.event_id = bs.event_id AND t.booking_id = bs.booking_id AND t.seat_id = bs.seat_id
                                      AND t.status IN ('VALID', 'USED'))
                 LIMIT 1)
          INTO booking_status, mine, wrong_claim, unticketed
          FROM ticketing.booking b
         WHERE b.event_id = p_event_id AND b.id = p_booking_id;
        IF NOT FOUND THEN
            RETURN; -- deleted in this transaction: its claims and tickets went with it (foreign keys)
        END IF;
        EXIT WHEN mine OR locked;
        PERFORM 1 FROM ticketing.booking b WHERE b.event_id = p_event_id AND b.id = p_booking_id FOR SHARE;
        locked := true;
    END LOOP;
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
    SELECT t.* INTO unsold
      FROM ticketing.ticket t
     WHERE t.event_id = p_event_id AND t.booking_id = p_booking_id AND t.status = 'VALID'
       AND (booking_status <> 'CONFIRMED'
            OR NOT EXISTS (SELECT 1 FROM ticketing.booked_seat bs
                            WHERE bs.event_id = t.event_id AND bs.booking_id = t.booking_id AND bs.seat_id = t.seat_id
                              AND bs.released_at IS NULL))
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ticket % is %, but seat % is not sold to its booking % (or the booking is not confirmed)',
                unsold.id, unsold.status, unsold.seat_id, p_booking_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'valid_ticket_is_sold',
                  HINT = 'Issue tickets only for the seats of a confirmed booking.';
    END IF;
END
$$;

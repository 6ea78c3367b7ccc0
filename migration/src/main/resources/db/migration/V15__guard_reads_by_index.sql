-- V15: the guards read by index, whatever plan a connection keeps.
--
-- PL/pgSQL caches a function's plans per connection and, after five calls, keeps a generic plan: one made
-- for an average event, with the statistics of the moment, until the next ANALYZE of a table it reads.
-- 1. V10's assert_booking asked for a booking's active claims (released_at IS NULL) and VALID tickets,
--    conditions that let such a plan take the partial indexes booked_seat_active_claim_key and
--    ticket_live_seat_key, both (event_id, seat_id), with the event alone as their key and the booking as a
--    filter: each commit that wrote a booking then read every active claim and live ticket of its event, for
--    each of its seats. Some 40-90 ms a booking once an event had sold 7,000 seats, while a fresh event booked
--    fast (the statement log of `benchmarks/run http-vs-pgbench`). Same rules and messages as V10; the claims
--    and tickets are now read by the booking alone first (booked_seat's primary key, ticket_booking_idx: a
--    handful of rows), in CTEs that no other condition reaches, and judged there.
-- 2. A plan made while the tables were nearly empty (a fresh database's first sales) scans them sequentially,
--    and a connection keeps it until autovacuum first analyses the growing tables: a minute or more of guards
--    that read whole tables. The three guards run with sequential scans off, so their plans take the index that
--    every one of their reads has (a function-level setting: no measurable cost per call, where planning each
--    call anew, plan_cache_mode = force_custom_plan, cost 7 times the guard).
--
-- Flyway runs this script in one transaction: a failure rolls it back whole, so it re-runs as is
-- (migration/squawk-waivers.md):
-- squawk-ignore-file prefer-robust-stmts

SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';

-- Rules 1 and 3 for a booking: its claims follow its status; once confirmed, each claimed seat has a live
-- ticket of the booking; a VALID ticket of the booking is on a seat it holds, and only while confirmed. A
-- booking this transaction did not write is locked (FOR SHARE) and read again.
CREATE OR REPLACE FUNCTION ticketing.assert_booking(p_event_id uuid, p_booking_id uuid) RETURNS void
    LANGUAGE plpgsql
    SET enable_seqscan = off
AS $$
DECLARE
    booking_status ticketing.booking_status;
    mine           boolean;
    locked         boolean := false;
    wrong_claim    uuid;
    unticketed     uuid;
    unsold_id      uuid;
    unsold_status  ticketing.ticket_status;
    unsold_seat    uuid;
BEGIN
    LOOP
        SELECT b.status, ticketing.written_here(b.xmin)
          INTO booking_status, mine
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
              WHERE t.status = 'VALID'
                AND (booking_status <> 'CONFIRMED'
                     OR NOT EXISTS (SELECT 1 FROM claims c WHERE c.seat_id = t.seat_id AND c.active))
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

ALTER FUNCTION ticketing.assert_seat(uuid, uuid) SET enable_seqscan = off;
ALTER FUNCTION ticketing.assert_checkout(uuid, uuid) SET enable_seqscan = off;

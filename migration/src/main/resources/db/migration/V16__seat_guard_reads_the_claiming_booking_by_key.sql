-- V16: the seat guard finds the booking that claims a seat by that booking's key, whatever plan a
-- connection keeps.
--
-- V10's assert_seat read a seat's active booking claim joined to its booking. A generic plan made while
-- the tables were nearly empty (a fresh database's first sales, until autovacuum first analyses them; V15
-- turned sequential scans off for it) could drive that join from the bookings of the seat's event: each
-- seat it checked then read every booking of the event (2,716 blocks a call in the warm-up of
-- `benchmarks/run http-vs-pgbench`, 2.7 ms against 0.04 ms a call on a fresh event; the warm-up booked 80
-- a second, and 209 right after an ANALYZE). The claim is now read first (at most one per seat, a unique
-- index), and its booking looked up by (event_id, id): no join is left for a plan to choose. Same rules
-- and messages as V10; V15's setting is kept (CREATE OR REPLACE would drop it).
--
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
    locked         boolean := false;
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

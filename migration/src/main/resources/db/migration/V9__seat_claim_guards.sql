-- V9: the seat and claim invariants, kept by the database at commit whoever writes (our adapter, an
-- embedder's adapter, the seed guide's Prisma code, psql), and an online repair of one event's summary.
--
-- What must hold when a transaction commits (the same rules SchemaInvariants counts):
--   1. A checkout's claim on a seat is active (released_at IS NULL) exactly while the checkout is OPEN
--      or PROCESSING; a booking's claim exactly while the booking is not CANCELLED.
--   2. A seat's status agrees with its active claims: AVAILABLE or BLOCKED with none; RESERVED with a
--      checkout's hold or a pending booking's claim and no confirmed one; BOOKED with a confirmed
--      booking's claim and no hold.
--   3. Each seat of a confirmed booking has one live ticket (VALID or USED) of that booking, and a VALID
--      ticket is on a seat sold to its own confirmed booking. (A USED ticket is history: the holder came
--      in; it stays when the booking is cancelled afterwards.)
-- The guards are constraint triggers, DEFERRABLE INITIALLY DEFERRED: a transaction may pass through
-- states that break a rule (claim first, then move the seat) as long as it ends where all hold. They
-- fire only for rows written, so rows that broke a rule before V9 (legacy data) stay until touched;
-- `./ticketing maintain` reports them.
--
-- The legacy import's copy writes rows in an order that breaks rule 2 between its batches and makes
-- them agree in its last step (`legacy verify` checks the same rules set-based): it turns the guards off for its
-- own transactions (SET LOCAL ticketing.check_invariants = off; as a superuser it copies with
-- session_replication_role = replica, which skips every trigger anyway). Nothing else does.
--
-- Creating triggers takes a SHARE ROW EXCLUSIVE lock on each table for milliseconds; lock_timeout
-- makes the migration give up rather than queue behind a long transaction.
-- Flyway runs this script in one transaction: a failure rolls it back whole, so it re-runs as is
-- (migration/squawk-waivers.md):
-- squawk-ignore-file prefer-robust-stmts

SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';

-- Whether a check of p_key (a seat, checkout or booking) is still to be queued in this transaction. All
-- checks run at commit, when the rows no longer change, so one queued check of a seat covers every row
-- written about it (a booking writes the same seat three or four times). Called in the triggers' WHEN,
-- when a row is written, so that a repeated key queues nothing; the keys are kept in a setting of the
-- transaction, up to 64 kB of them (a bigger transaction queues again what it has queued). The guards
-- catch mistakes; they are not a security boundary: SET CONSTRAINTS … IMMEDIATE in the middle of a
-- transaction runs the queued checks early and may let a later change of a checked seat through.
CREATE FUNCTION ticketing.guard_once(p_key text) RETURNS boolean
    LANGUAGE plpgsql
AS $$
DECLARE
    seen text := coalesce(current_setting('ticketing.guard_checked', true), '');
BEGIN
    IF strpos(seen, p_key) > 0 THEN
        RETURN false;
    END IF;
    IF length(seen) < 65536 THEN
        seen := set_config('ticketing.guard_checked', seen || p_key || ' ', true);
    END IF;
    RETURN true;
END
$$;

-- For a trigger's WHEN: the guards are on for this transaction, the write can break a rule about p_key
-- (p_relevant), and no check of p_key is queued yet.
CREATE FUNCTION ticketing.guard_queue(p_relevant boolean, p_key text) RETURNS boolean
    LANGUAGE plpgsql
AS $$
BEGIN
    IF p_relevant IS NOT TRUE OR coalesce(current_setting('ticketing.check_invariants', true), '') = 'off' THEN
        RETURN false; -- before guard_once, which records the key as queued
    END IF;
    RETURN ticketing.guard_once(p_key);
END
$$;

-- Rule 2 for one seat. The seat is locked first, in a statement of its own: two transactions that each
-- change one of the seat's claims are then checked one after the other, the second reading (in the next
-- statement) what the first committed.
CREATE FUNCTION ticketing.assert_seat(p_event_id uuid, p_seat_id uuid) RETURNS void
    LANGUAGE plpgsql
AS $$
DECLARE
    seat_status    ticketing.seat_status;
    held           boolean;
    booking_status text; -- of the active booking claim: PENDING, CONFIRMED, or NONE (never NULL: no three-valued logic below)
BEGIN
    PERFORM 1 FROM ticketing.seat s WHERE s.event_id = p_event_id AND s.id = p_seat_id FOR NO KEY UPDATE;
    SELECT s.status,
           EXISTS (SELECT 1 FROM ticketing.payment_session_seat pss
                    WHERE pss.event_id = s.event_id AND pss.seat_id = s.id AND pss.released_at IS NULL),
           coalesce((SELECT b.status::text
                       FROM ticketing.booked_seat bs
                       JOIN ticketing.booking b ON b.event_id = bs.event_id AND b.id = bs.booking_id
                      WHERE bs.event_id = s.event_id AND bs.seat_id = s.id AND bs.released_at IS NULL), 'NONE')
      INTO seat_status, held, booking_status
      FROM ticketing.seat s
     WHERE s.event_id = p_event_id AND s.id = p_seat_id;
    IF NOT FOUND THEN
        RETURN; -- deleted: its claims went with it or kept it (foreign keys)
    END IF;
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

-- Rule 1 for all of a checkout's claims. The checkout is locked first (FOR SHARE, against a concurrent
-- change of its status), then read in a statement of its own.
CREATE FUNCTION ticketing.assert_checkout(p_event_id uuid, p_session_id uuid) RETURNS void
    LANGUAGE plpgsql
AS $$
DECLARE
    session_status ticketing.payment_session_status;
    wrong          uuid;
BEGIN
    PERFORM 1 FROM ticketing.payment_session ps WHERE ps.event_id = p_event_id AND ps.id = p_session_id FOR SHARE;
    SELECT ps.status,
           (SELECT pss.seat_id FROM ticketing.payment_session_seat pss
             WHERE pss.event_id = ps.event_id AND pss.payment_session_id = ps.id
               AND (pss.released_at IS NULL) <> (ps.status IN ('OPEN', 'PROCESSING'))
             LIMIT 1)
      INTO session_status, wrong
      FROM ticketing.payment_session ps
     WHERE ps.event_id = p_event_id AND ps.id = p_session_id;
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
-- ticket of the booking; a VALID ticket of the booking is on a seat it holds, and only while confirmed.
CREATE FUNCTION ticketing.assert_booking(p_event_id uuid, p_booking_id uuid) RETURNS void
    LANGUAGE plpgsql
AS $$
DECLARE
    booking_status ticketing.booking_status;
    wrong_claim    uuid;
    unticketed     uuid;
    unsold         ticketing.ticket;
BEGIN
    PERFORM 1 FROM ticketing.booking b WHERE b.event_id = p_event_id AND b.id = p_booking_id FOR SHARE;
    SELECT b.status,
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
      INTO booking_status, wrong_claim, unticketed
      FROM ticketing.booking b
     WHERE b.event_id = p_event_id AND b.id = p_booking_id;
    IF NOT FOUND THEN
        RETURN; -- deleted in this transaction: its claims and tickets went with it (foreign keys)
    END IF;
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

-- The trigger functions, one per rule and side: each checks the key its trigger's WHEN queued.

CREATE FUNCTION ticketing.guard_seat() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_TABLE_NAME = 'seat' THEN
        PERFORM ticketing.assert_seat(NEW.event_id, NEW.id);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM ticketing.assert_seat(OLD.event_id, OLD.seat_id);
    ELSE
        PERFORM ticketing.assert_seat(NEW.event_id, NEW.seat_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION ticketing.guard_checkout() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    -- one branch a table: an expression naming a column the row lacks fails even where it is not taken
    IF TG_TABLE_NAME = 'payment_session' THEN
        PERFORM ticketing.assert_checkout(NEW.event_id, NEW.id);
    ELSE
        PERFORM ticketing.assert_checkout(NEW.event_id, NEW.payment_session_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION ticketing.guard_booking() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM ticketing.assert_booking(OLD.event_id, OLD.booking_id);
    ELSIF TG_TABLE_NAME = 'booking' THEN
        PERFORM ticketing.assert_booking(NEW.event_id, NEW.id);
    ELSE
        PERFORM ticketing.assert_booking(NEW.event_id, NEW.booking_id);
    END IF;
    RETURN NULL;
END
$$;

-- A booking moving between PENDING and CONFIRMED changes what its seats must be: each seat not yet checked
-- in this transaction is checked.
CREATE FUNCTION ticketing.guard_booking_seats() RETURNS trigger
    LANGUAGE plpgsql
AS $$
DECLARE
    claim record;
BEGIN
    FOR claim IN SELECT bs.seat_id FROM ticketing.booked_seat bs
                  WHERE bs.event_id = NEW.event_id AND bs.booking_id = NEW.id AND bs.released_at IS NULL LOOP
        IF ticketing.guard_once('s' || claim.seat_id) THEN
            PERFORM ticketing.assert_seat(NEW.event_id, claim.seat_id);
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

-- A claim, a ticket or a booking moved to another seat, checkout or booking (rare, never done by this
-- application): what it left is checked too.
CREATE FUNCTION ticketing.guard_moved_row() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_TABLE_NAME = 'payment_session_seat' THEN
        PERFORM ticketing.assert_seat(OLD.event_id, OLD.seat_id);
        PERFORM ticketing.assert_checkout(OLD.event_id, OLD.payment_session_id);
    ELSIF TG_TABLE_NAME = 'booked_seat' THEN
        PERFORM ticketing.assert_seat(OLD.event_id, OLD.seat_id);
        PERFORM ticketing.assert_booking(OLD.event_id, OLD.booking_id);
    ELSE
        PERFORM ticketing.assert_booking(OLD.event_id, OLD.booking_id);
    END IF;
    RETURN NULL;
END
$$;

-- The triggers. Each queues a check only for a write that can break its rule and only for a key not yet
-- queued in the transaction (ticketing.guard_queue in WHEN, evaluated as the row is written): creating
-- 100,000 AVAILABLE seats, checking a ticket in (VALID to USED), or writing with the guards off queues
-- nothing, and a booking queues one check per seat, checkout and booking however often it writes them.

CREATE CONSTRAINT TRIGGER seat_guard_insert AFTER INSERT ON ticketing.seat
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (ticketing.guard_queue(NEW.status IN ('RESERVED', 'BOOKED'), 's' || NEW.id))
    EXECUTE FUNCTION ticketing.guard_seat();
CREATE CONSTRAINT TRIGGER seat_guard_update AFTER UPDATE OF status ON ticketing.seat
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (ticketing.guard_queue(OLD.status IS DISTINCT FROM NEW.status, 's' || NEW.id))
    EXECUTE FUNCTION ticketing.guard_seat();

CREATE CONSTRAINT TRIGGER payment_session_seat_guard_seat AFTER INSERT OR UPDATE OF released_at, seat_id, payment_session_id
    ON ticketing.payment_session_seat
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (ticketing.guard_queue(true, 's' || NEW.seat_id))
    EXECUTE FUNCTION ticketing.guard_seat();
CREATE CONSTRAINT TRIGGER payment_session_seat_guard_checkout AFTER INSERT OR UPDATE OF released_at, seat_id, payment_session_id
    ON ticketing.payment_session_seat
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (ticketing.guard_queue(true, 'c' || NEW.payment_session_id))
    EXECUTE FUNCTION ticketing.guard_checkout();
CREATE CONSTRAINT TRIGGER payment_session_seat_guard_moved AFTER UPDATE OF seat_id, payment_session_id ON ticketing.payment_session_seat
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (ticketing.guard_queue(OLD.seat_id <> NEW.seat_id OR OLD.payment_session_id <> NEW.payment_session_id,
                                'm' || OLD.payment_session_id || OLD.seat_id))
    EXECUTE FUNCTION ticketing.guard_moved_row();
CREATE CONSTRAINT TRIGGER payment_session_seat_guard_delete AFTER DELETE ON ticketing.payment_session_seat
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (ticketing.guard_queue(OLD.released_at IS NULL, 's' || OLD.seat_id))
    EXECUTE FUNCTION ticketing.guard_seat();

CREATE CONSTRAINT TRIGGER payment_session_guard_update AFTER UPDATE OF status ON ticketing.payment_session
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (ticketing.guard_queue(OLD.status IS DISTINCT FROM NEW.status, 'c' || NEW.id))
    EXECUTE FUNCTION ticketing.guard_checkout();

CREATE CONSTRAINT TRIGGER booked_seat_guard_seat AFTER INSERT OR UPDATE OF released_at, seat_id, booking_id ON ticketing.booked_seat
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (ticketing.guard_queue(true, 's' || NEW.seat_id))
    EXECUTE FUNCTION ticketing.guard_seat();
CREATE CONSTRAINT TRIGGER booked_seat_guard_booking AFTER INSERT OR UPDATE OF released_at, seat_id, booking_id ON ticketing.booked_seat
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (ticketing.guard_queue(true, 'b' || NEW.booking_id))
    EXECUTE FUNCTION ticketing.guard_booking();
CREATE CONSTRAINT TRIGGER booked_seat_guard_moved AFTER UPDATE OF seat_id, booking_id ON ticketing.booked_seat
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (ticketing.guard_queue(OLD.seat_id <> NEW.seat_id OR OLD.booking_id <> NEW.booking_id,
                                'm' || OLD.booking_id || OLD.seat_id))
    EXECUTE FUNCTION ticketing.guard_moved_row();
CREATE CONSTRAINT TRIGGER booked_seat_guard_delete AFTER DELETE ON ticketing.booked_seat
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (ticketing.guard_queue(OLD.released_at IS NULL, 's' || OLD.seat_id))
    EXECUTE FUNCTION ticketing.guard_seat();

CREATE CONSTRAINT TRIGGER booking_guard_insert AFTER INSERT ON ticketing.booking
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (ticketing.guard_queue(true, 'b' || NEW.id))
    EXECUTE FUNCTION ticketing.guard_booking();
CREATE CONSTRAINT TRIGGER booking_guard_update AFTER UPDATE OF status ON ticketing.booking
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (ticketing.guard_queue(OLD.status IS DISTINCT FROM NEW.status, 'b' || NEW.id))
    EXECUTE FUNCTION ticketing.guard_booking();
CREATE CONSTRAINT TRIGGER booking_guard_seats AFTER UPDATE OF status ON ticketing.booking
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (ticketing.guard_queue(OLD.status IS DISTINCT FROM NEW.status, 'p' || NEW.id))
    EXECUTE FUNCTION ticketing.guard_booking_seats();

-- A ticket's rules are its booking's: checked there, once for all the booking's tickets. VALID to USED (a
-- check-in) keeps the ticket live on the same seat: nothing to check.
CREATE CONSTRAINT TRIGGER ticket_guard_insert AFTER INSERT ON ticketing.ticket
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (ticketing.guard_queue(NEW.status IN ('VALID', 'USED'), 'b' || NEW.booking_id))
    EXECUTE FUNCTION ticketing.guard_booking();
CREATE CONSTRAINT TRIGGER ticket_guard_update AFTER UPDATE OF status, booking_id, seat_id ON ticketing.ticket
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (ticketing.guard_queue((OLD.status IN ('VALID', 'USED')) <> (NEW.status IN ('VALID', 'USED'))
                                OR OLD.booking_id <> NEW.booking_id OR OLD.seat_id <> NEW.seat_id, 'b' || NEW.booking_id))
    EXECUTE FUNCTION ticketing.guard_booking();
CREATE CONSTRAINT TRIGGER ticket_guard_moved AFTER UPDATE OF booking_id ON ticketing.ticket
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (ticketing.guard_queue(OLD.booking_id <> NEW.booking_id, 'm' || OLD.id))
    EXECUTE FUNCTION ticketing.guard_moved_row();
CREATE CONSTRAINT TRIGGER ticket_guard_delete AFTER DELETE ON ticketing.ticket
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (ticketing.guard_queue(OLD.status IN ('VALID', 'USED'), 'b' || OLD.booking_id))
    EXECUTE FUNCTION ticketing.guard_booking();

-- The online repair of one event's summary, under the locks the application takes: all 16 shard rows of
-- the event, in shard order (a writer takes one shard row before any seat, so writers of the event wait
-- here or finish first, and other events are not touched). Then the recount and the stored counters
-- describe the same committed rows. Returns whether the summary was wrong (and is now repaired).
CREATE FUNCTION ticketing.repair_event_summary(p_event_id uuid) RETURNS boolean
    LANGUAGE plpgsql
AS $$
DECLARE
    recount ticketing.event_summary_recount;
BEGIN
    PERFORM 1 FROM ticketing.event_summary_shard s
      WHERE s.event_id = p_event_id
      ORDER BY s.shard
        FOR NO KEY UPDATE;
    IF NOT EXISTS (SELECT 1 FROM ticketing.event_summary_drift d WHERE d.event_id = p_event_id) THEN
        RETURN false;
    END IF;
    SELECT * INTO recount FROM ticketing.event_summary_recount r WHERE r.event_id = p_event_id;
    INSERT INTO ticketing.event_summary_shard AS s (
           event_id, shard, seats_total, seats_available, seats_reserved, seats_booked, seats_blocked,
           bookings_pending, bookings_confirmed, bookings_cancelled,
           tickets_sold, tickets_checked_in, gross_revenue, refunded_amount)
    SELECT p_event_id, g.shard, k * recount.seats_total, k * recount.seats_available, k * recount.seats_reserved,
           k * recount.seats_booked, k * recount.seats_blocked, k * recount.bookings_pending,
           k * recount.bookings_confirmed, k * recount.bookings_cancelled, k * recount.tickets_sold,
           k * recount.tickets_checked_in, k * recount.gross_revenue, k * recount.refunded_amount
      FROM generate_series(0, 15) AS g (shard)
     CROSS JOIN LATERAL (SELECT CASE WHEN g.shard = 0 THEN 1 ELSE 0 END AS k) factor
    ON CONFLICT (event_id, shard) DO UPDATE
       SET seats_total = excluded.seats_total, seats_available = excluded.seats_available,
           seats_reserved = excluded.seats_reserved, seats_booked = excluded.seats_booked,
           seats_blocked = excluded.seats_blocked, bookings_pending = excluded.bookings_pending,
           bookings_confirmed = excluded.bookings_confirmed, bookings_cancelled = excluded.bookings_cancelled,
           tickets_sold = excluded.tickets_sold, tickets_checked_in = excluded.tickets_checked_in,
           gross_revenue = excluded.gross_revenue, refunded_amount = excluded.refunded_amount;
    RETURN true;
END
$$;

-- When the sales view was last refreshed and how long it took: one row, written by the refresh itself
-- (under its advisory lock), read by `./ticketing maintain`.
CREATE TABLE ticketing.sales_summary_refresh (
    id            boolean     NOT NULL DEFAULT true,
    refreshed_at  timestamptz NOT NULL,
    duration_ms   bigint      NOT NULL,
    CONSTRAINT sales_summary_refresh_pkey PRIMARY KEY (id),
    CONSTRAINT sales_summary_refresh_one_row_check CHECK (id)
);

CREATE OR REPLACE FUNCTION ticketing.refresh_event_sales_summary(wait boolean) RETURNS boolean
    LANGUAGE plpgsql
AS $$
DECLARE
    started timestamptz;
BEGIN
    IF wait THEN
        PERFORM pg_advisory_xact_lock(hashtext('ticketing.event_sales_summary'));
    ELSIF NOT pg_try_advisory_xact_lock(hashtext('ticketing.event_sales_summary')) THEN
        RETURN false;
    END IF;
    started := clock_timestamp();
    IF (SELECT ispopulated FROM pg_matviews WHERE schemaname = 'ticketing' AND matviewname = 'event_sales_summary') THEN
        REFRESH MATERIALIZED VIEW CONCURRENTLY ticketing.event_sales_summary;
    ELSE
        REFRESH MATERIALIZED VIEW ticketing.event_sales_summary;
    END IF;
    INSERT INTO ticketing.sales_summary_refresh AS r (id, refreshed_at, duration_ms)
    VALUES (true, clock_timestamp(), (extract(epoch FROM clock_timestamp() - started) * 1000)::bigint)
    ON CONFLICT (id) DO UPDATE SET refreshed_at = excluded.refreshed_at, duration_ms = excluded.duration_ms;
    RETURN true;
END
$$;

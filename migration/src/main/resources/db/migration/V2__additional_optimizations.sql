-- V2: additional optimizations (guide, second migration): triggers keeping updated_at and
-- event_summary current, the event_sales_summary materialized view, and the partial and
-- covering indexes of the seed queries.
--
-- Runs in one transaction on purpose: installing the summary triggers and backfilling
-- event_summary must be atomic, or a write landing between the two would be counted twice or
-- not at all. V2 ships with V1 and runs right after it on tables that are still empty (the legacy
-- import fills them later), so its plain CREATE INDEX statements hold their locks for
-- milliseconds; see migration/squawk-waivers.md. Indexes added to populated tables in later
-- versions use CREATE INDEX CONCURRENTLY in a script of their own (executeInTransaction=false).

-- Flyway runs this script in one transaction: a failure leaves nothing behind, so it can be
-- re-run as is (migration/squawk-waivers.md):
-- squawk-ignore-file prefer-robust-stmts

SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '30min';

-- updated_at: set on every UPDATE that changes something, on every table that has the column.

CREATE FUNCTION ticketing.touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

CREATE TRIGGER customer_touch_updated_at BEFORE UPDATE ON ticketing.customer
    FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION ticketing.touch_updated_at();
CREATE TRIGGER event_touch_updated_at BEFORE UPDATE ON ticketing.event
    FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION ticketing.touch_updated_at();
CREATE TRIGGER seat_touch_updated_at BEFORE UPDATE ON ticketing.seat
    FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION ticketing.touch_updated_at();
CREATE TRIGGER payment_session_touch_updated_at BEFORE UPDATE ON ticketing.payment_session
    FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION ticketing.touch_updated_at();
CREATE TRIGGER payment_session_seat_touch_updated_at BEFORE UPDATE ON ticketing.payment_session_seat
    FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION ticketing.touch_updated_at();
CREATE TRIGGER booking_touch_updated_at BEFORE UPDATE ON ticketing.booking
    FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION ticketing.touch_updated_at();
CREATE TRIGGER booked_seat_touch_updated_at BEFORE UPDATE ON ticketing.booked_seat
    FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION ticketing.touch_updated_at();
CREATE TRIGGER ticket_touch_updated_at BEFORE UPDATE ON ticketing.ticket
    FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION ticketing.touch_updated_at();
CREATE TRIGGER event_summary_touch_updated_at BEFORE UPDATE ON ticketing.event_summary
    FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION ticketing.touch_updated_at();
CREATE TRIGGER api_key_touch_updated_at BEFORE UPDATE ON ticketing.api_key
    FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION ticketing.touch_updated_at();
CREATE TRIGGER idempotency_key_touch_updated_at BEFORE UPDATE ON ticketing.idempotency_key
    FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION ticketing.touch_updated_at();

-- event_summary: what it must equal, by definition.
--   seats_*            seats of the event, in total and by status
--   bookings_*         bookings of the event by status
--   tickets_sold       tickets VALID or USED;  tickets_checked_in: tickets USED
--   gross_revenue      sum of total_amount of CONFIRMED bookings
--   refunded_amount    sum of total_amount of CANCELLED bookings that had been confirmed
--                      (confirmed_at IS NOT NULL): a confirmed booking cancelled, i.e. refunded.
--                      A booking cancelled before confirmation (abandoned checkout) is no refund.
CREATE VIEW ticketing.event_summary_recount AS
SELECT e.id                                     AS event_id,
       coalesce(s.seats_total, 0)               AS seats_total,
       coalesce(s.seats_available, 0)           AS seats_available,
       coalesce(s.seats_reserved, 0)            AS seats_reserved,
       coalesce(s.seats_booked, 0)              AS seats_booked,
       coalesce(s.seats_blocked, 0)             AS seats_blocked,
       coalesce(b.bookings_pending, 0)          AS bookings_pending,
       coalesce(b.bookings_confirmed, 0)        AS bookings_confirmed,
       coalesce(b.bookings_cancelled, 0)        AS bookings_cancelled,
       coalesce(t.tickets_sold, 0)              AS tickets_sold,
       coalesce(t.tickets_checked_in, 0)        AS tickets_checked_in,
       coalesce(b.gross_revenue, 0)::numeric(14, 2)   AS gross_revenue,
       coalesce(b.refunded_amount, 0)::numeric(14, 2) AS refunded_amount
  FROM ticketing.event e
  LEFT JOIN (SELECT event_id,
                    count(*)                                        AS seats_total,
                    count(*) FILTER (WHERE status = 'AVAILABLE')    AS seats_available,
                    count(*) FILTER (WHERE status = 'RESERVED')     AS seats_reserved,
                    count(*) FILTER (WHERE status = 'BOOKED')       AS seats_booked,
                    count(*) FILTER (WHERE status = 'BLOCKED')      AS seats_blocked
               FROM ticketing.seat
              GROUP BY event_id) s ON s.event_id = e.id
  LEFT JOIN (SELECT event_id,
                    count(*) FILTER (WHERE status = 'PENDING')      AS bookings_pending,
                    count(*) FILTER (WHERE status = 'CONFIRMED')    AS bookings_confirmed,
                    count(*) FILTER (WHERE status = 'CANCELLED')    AS bookings_cancelled,
                    sum(total_amount) FILTER (WHERE status = 'CONFIRMED') AS gross_revenue,
                    sum(total_amount) FILTER (WHERE status = 'CANCELLED' AND confirmed_at IS NOT NULL) AS refunded_amount
               FROM ticketing.booking
              GROUP BY event_id) b ON b.event_id = e.id
  LEFT JOIN (SELECT event_id,
                    count(*) FILTER (WHERE status IN ('VALID', 'USED')) AS tickets_sold,
                    count(*) FILTER (WHERE status = 'USED')             AS tickets_checked_in
               FROM ticketing.ticket
              GROUP BY event_id) t ON t.event_id = e.id;

-- The health check: every event whose summary differs from its recount (or is missing).
-- Empty when the triggers are doing their job.
CREATE VIEW ticketing.event_summary_drift AS
SELECT r.event_id,
       to_jsonb(s) - 'created_at' - 'updated_at' AS stored,
       to_jsonb(r)                               AS recounted
  FROM ticketing.event_summary_recount r
  LEFT JOIN ticketing.event_summary s ON s.event_id = r.event_id
 WHERE s.event_id IS NULL
    OR (s.seats_total, s.seats_available, s.seats_reserved, s.seats_booked, s.seats_blocked,
        s.bookings_pending, s.bookings_confirmed, s.bookings_cancelled,
        s.tickets_sold, s.tickets_checked_in, s.gross_revenue, s.refunded_amount)
       IS DISTINCT FROM
       (r.seats_total, r.seats_available, r.seats_reserved, r.seats_booked, r.seats_blocked,
        r.bookings_pending, r.bookings_confirmed, r.bookings_cancelled,
        r.tickets_sold, r.tickets_checked_in, r.gross_revenue, r.refunded_amount);

-- The repair: recounts the given event (all events when null) and stores the result; returns the
-- number of summary rows that were wrong. Takes the summary rows' locks like any booking would.
CREATE FUNCTION ticketing.rebuild_event_summary(p_event_id uuid DEFAULT NULL) RETURNS bigint
    LANGUAGE plpgsql
AS $$
DECLARE
    repaired bigint;
BEGIN
    -- Waits for in-flight writers and keeps new ones out until commit, so that the recount and
    -- the stored counters describe the same rows.
    LOCK TABLE ticketing.seat, ticketing.booking, ticketing.ticket IN SHARE MODE;
    WITH wrong AS (
        SELECT r.*
          FROM ticketing.event_summary_recount r
         WHERE (p_event_id IS NULL OR r.event_id = p_event_id)
           AND r.event_id IN (SELECT d.event_id FROM ticketing.event_summary_drift d)
         ORDER BY r.event_id
    ), stored AS (
        INSERT INTO ticketing.event_summary AS s (
               event_id, seats_total, seats_available, seats_reserved, seats_booked, seats_blocked,
               bookings_pending, bookings_confirmed, bookings_cancelled,
               tickets_sold, tickets_checked_in, gross_revenue, refunded_amount)
        SELECT event_id, seats_total, seats_available, seats_reserved, seats_booked, seats_blocked,
               bookings_pending, bookings_confirmed, bookings_cancelled,
               tickets_sold, tickets_checked_in, gross_revenue, refunded_amount
          FROM wrong
        ON CONFLICT (event_id) DO UPDATE
           SET seats_total = excluded.seats_total, seats_available = excluded.seats_available,
               seats_reserved = excluded.seats_reserved, seats_booked = excluded.seats_booked,
               seats_blocked = excluded.seats_blocked, bookings_pending = excluded.bookings_pending,
               bookings_confirmed = excluded.bookings_confirmed, bookings_cancelled = excluded.bookings_cancelled,
               tickets_sold = excluded.tickets_sold, tickets_checked_in = excluded.tickets_checked_in,
               gross_revenue = excluded.gross_revenue, refunded_amount = excluded.refunded_amount
        RETURNING 1
    )
    SELECT count(*) INTO repaired FROM stored;
    RETURN repaired;
END
$$;

-- Adds deltas to one event's summary row. The triggers below call it once per event touched by
-- a statement, in event_id order (so that two statements touching the same events lock their
-- summary rows in the same order). A plain UPDATE on the hot path; the INSERT only when the row
-- is missing (an event and its seats created in one statement).
CREATE FUNCTION ticketing.event_summary_add(
    p_event_id           uuid,
    p_seats_total        bigint  DEFAULT 0,
    p_seats_available    bigint  DEFAULT 0,
    p_seats_reserved     bigint  DEFAULT 0,
    p_seats_booked       bigint  DEFAULT 0,
    p_seats_blocked      bigint  DEFAULT 0,
    p_bookings_pending   bigint  DEFAULT 0,
    p_bookings_confirmed bigint  DEFAULT 0,
    p_bookings_cancelled bigint  DEFAULT 0,
    p_tickets_sold       bigint  DEFAULT 0,
    p_tickets_checked_in bigint  DEFAULT 0,
    p_gross_revenue      numeric DEFAULT 0,
    p_refunded_amount    numeric DEFAULT 0) RETURNS void
    LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE ticketing.event_summary
       SET seats_total        = seats_total + p_seats_total,
           seats_available    = seats_available + p_seats_available,
           seats_reserved     = seats_reserved + p_seats_reserved,
           seats_booked       = seats_booked + p_seats_booked,
           seats_blocked      = seats_blocked + p_seats_blocked,
           bookings_pending   = bookings_pending + p_bookings_pending,
           bookings_confirmed = bookings_confirmed + p_bookings_confirmed,
           bookings_cancelled = bookings_cancelled + p_bookings_cancelled,
           tickets_sold       = tickets_sold + p_tickets_sold,
           tickets_checked_in = tickets_checked_in + p_tickets_checked_in,
           gross_revenue      = gross_revenue + p_gross_revenue,
           refunded_amount    = refunded_amount + p_refunded_amount
     WHERE event_id = p_event_id;
    IF NOT FOUND THEN
        INSERT INTO ticketing.event_summary AS s (
               event_id, seats_total, seats_available, seats_reserved, seats_booked, seats_blocked,
               bookings_pending, bookings_confirmed, bookings_cancelled,
               tickets_sold, tickets_checked_in, gross_revenue, refunded_amount)
        VALUES (p_event_id, p_seats_total, p_seats_available, p_seats_reserved, p_seats_booked, p_seats_blocked,
                p_bookings_pending, p_bookings_confirmed, p_bookings_cancelled,
                p_tickets_sold, p_tickets_checked_in, p_gross_revenue, p_refunded_amount)
        ON CONFLICT (event_id) DO UPDATE
           SET seats_total        = s.seats_total + excluded.seats_total,
               seats_available    = s.seats_available + excluded.seats_available,
               seats_reserved     = s.seats_reserved + excluded.seats_reserved,
               seats_booked       = s.seats_booked + excluded.seats_booked,
               seats_blocked      = s.seats_blocked + excluded.seats_blocked,
               bookings_pending   = s.bookings_pending + excluded.bookings_pending,
               bookings_confirmed = s.bookings_confirmed + excluded.bookings_confirmed,
               bookings_cancelled = s.bookings_cancelled + excluded.bookings_cancelled,
               tickets_sold       = s.tickets_sold + excluded.tickets_sold,
               tickets_checked_in = s.tickets_checked_in + excluded.tickets_checked_in,
               gross_revenue      = s.gross_revenue + excluded.gross_revenue,
               refunded_amount    = s.refunded_amount + excluded.refunded_amount;
    END IF;
END
$$;

-- Every event has a summary row from its creation on.
CREATE FUNCTION ticketing.event_summary_on_event_insert() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO ticketing.event_summary (event_id)
    SELECT id FROM new_rows ORDER BY id
    ON CONFLICT (event_id) DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER event_summary_on_event_insert AFTER INSERT ON ticketing.event
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ticketing.event_summary_on_event_insert();

-- Delta maintenance, statement-level with transition tables: a statement that changes n rows of
-- one event updates its summary row once (bulk seat creation, the expiry sweeper), and a statement
-- whose changes cancel out (a price edit) does not touch it at all. Each change contributes +1 for
-- its new row and -1 for its old row; PostgreSQL allows transition tables on single-event
-- triggers only, hence three triggers per table sharing one function.

CREATE FUNCTION ticketing.event_summary_on_seat_change() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM ticketing.event_summary_add(d.event_id,
                    p_seats_total => d.total, p_seats_available => d.available, p_seats_reserved => d.reserved,
                    p_seats_booked => d.booked, p_seats_blocked => d.blocked)
           FROM (SELECT event_id, count(*) AS total,
                        count(*) FILTER (WHERE status = 'AVAILABLE') AS available,
                        count(*) FILTER (WHERE status = 'RESERVED')  AS reserved,
                        count(*) FILTER (WHERE status = 'BOOKED')    AS booked,
                        count(*) FILTER (WHERE status = 'BLOCKED')   AS blocked
                   FROM new_rows GROUP BY event_id ORDER BY event_id) d;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM ticketing.event_summary_add(d.event_id,
                    p_seats_total => -d.total, p_seats_available => -d.available, p_seats_reserved => -d.reserved,
                    p_seats_booked => -d.booked, p_seats_blocked => -d.blocked)
           FROM (SELECT event_id, count(*) AS total,
                        count(*) FILTER (WHERE status = 'AVAILABLE') AS available,
                        count(*) FILTER (WHERE status = 'RESERVED')  AS reserved,
                        count(*) FILTER (WHERE status = 'BOOKED')    AS booked,
                        count(*) FILTER (WHERE status = 'BLOCKED')   AS blocked
                   FROM old_rows GROUP BY event_id ORDER BY event_id) d;
    ELSE
        PERFORM ticketing.event_summary_add(d.event_id,
                    p_seats_total => d.total, p_seats_available => d.available, p_seats_reserved => d.reserved,
                    p_seats_booked => d.booked, p_seats_blocked => d.blocked)
           FROM (SELECT event_id, sum(sign) AS total,
                        coalesce(sum(sign) FILTER (WHERE status = 'AVAILABLE'), 0) AS available,
                        coalesce(sum(sign) FILTER (WHERE status = 'RESERVED'), 0)  AS reserved,
                        coalesce(sum(sign) FILTER (WHERE status = 'BOOKED'), 0)    AS booked,
                        coalesce(sum(sign) FILTER (WHERE status = 'BLOCKED'), 0)   AS blocked
                   FROM (SELECT event_id, status, 1 AS sign FROM new_rows
                         UNION ALL
                         SELECT event_id, status, -1 AS sign FROM old_rows) c
                  GROUP BY event_id ORDER BY event_id) d
          WHERE (d.total, d.available, d.reserved, d.booked, d.blocked) <> (0, 0, 0, 0, 0);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER event_summary_on_seat_insert AFTER INSERT ON ticketing.seat
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ticketing.event_summary_on_seat_change();
CREATE TRIGGER event_summary_on_seat_update AFTER UPDATE ON ticketing.seat
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ticketing.event_summary_on_seat_change();
CREATE TRIGGER event_summary_on_seat_delete AFTER DELETE ON ticketing.seat
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ticketing.event_summary_on_seat_change();

CREATE FUNCTION ticketing.event_summary_on_booking_change() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM ticketing.event_summary_add(d.event_id,
                    p_bookings_pending => d.pending, p_bookings_confirmed => d.confirmed,
                    p_bookings_cancelled => d.cancelled, p_gross_revenue => d.revenue, p_refunded_amount => d.refunded)
           FROM (SELECT event_id,
                        count(*) FILTER (WHERE status = 'PENDING')   AS pending,
                        count(*) FILTER (WHERE status = 'CONFIRMED') AS confirmed,
                        count(*) FILTER (WHERE status = 'CANCELLED') AS cancelled,
                        coalesce(sum(total_amount) FILTER (WHERE status = 'CONFIRMED'), 0) AS revenue,
                        coalesce(sum(total_amount) FILTER (WHERE status = 'CANCELLED' AND confirmed_at IS NOT NULL), 0) AS refunded
                   FROM new_rows GROUP BY event_id ORDER BY event_id) d;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM ticketing.event_summary_add(d.event_id,
                    p_bookings_pending => -d.pending, p_bookings_confirmed => -d.confirmed,
                    p_bookings_cancelled => -d.cancelled, p_gross_revenue => -d.revenue, p_refunded_amount => -d.refunded)
           FROM (SELECT event_id,
                        count(*) FILTER (WHERE status = 'PENDING')   AS pending,
                        count(*) FILTER (WHERE status = 'CONFIRMED') AS confirmed,
                        count(*) FILTER (WHERE status = 'CANCELLED') AS cancelled,
                        coalesce(sum(total_amount) FILTER (WHERE status = 'CONFIRMED'), 0) AS revenue,
                        coalesce(sum(total_amount) FILTER (WHERE status = 'CANCELLED' AND confirmed_at IS NOT NULL), 0) AS refunded
                   FROM old_rows GROUP BY event_id ORDER BY event_id) d;
    ELSE
        PERFORM ticketing.event_summary_add(d.event_id,
                    p_bookings_pending => d.pending, p_bookings_confirmed => d.confirmed,
                    p_bookings_cancelled => d.cancelled, p_gross_revenue => d.revenue, p_refunded_amount => d.refunded)
           FROM (SELECT event_id,
                        coalesce(sum(sign) FILTER (WHERE status = 'PENDING'), 0)   AS pending,
                        coalesce(sum(sign) FILTER (WHERE status = 'CONFIRMED'), 0) AS confirmed,
                        coalesce(sum(sign) FILTER (WHERE status = 'CANCELLED'), 0) AS cancelled,
                        coalesce(sum(sign * total_amount) FILTER (WHERE status = 'CONFIRMED'), 0) AS revenue,
                        coalesce(sum(sign * total_amount) FILTER (WHERE status = 'CANCELLED' AND confirmed_at IS NOT NULL), 0) AS refunded
                   FROM (SELECT event_id, status, total_amount, confirmed_at, 1 AS sign FROM new_rows
                         UNION ALL
                         SELECT event_id, status, total_amount, confirmed_at, -1 AS sign FROM old_rows) c
                  GROUP BY event_id ORDER BY event_id) d
          WHERE (d.pending, d.confirmed, d.cancelled, d.revenue, d.refunded) <> (0, 0, 0, 0, 0);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER event_summary_on_booking_insert AFTER INSERT ON ticketing.booking
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ticketing.event_summary_on_booking_change();
CREATE TRIGGER event_summary_on_booking_update AFTER UPDATE ON ticketing.booking
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ticketing.event_summary_on_booking_change();
CREATE TRIGGER event_summary_on_booking_delete AFTER DELETE ON ticketing.booking
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ticketing.event_summary_on_booking_change();

CREATE FUNCTION ticketing.event_summary_on_ticket_change() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM ticketing.event_summary_add(d.event_id, p_tickets_sold => d.sold, p_tickets_checked_in => d.used)
           FROM (SELECT event_id,
                        count(*) FILTER (WHERE status IN ('VALID', 'USED')) AS sold,
                        count(*) FILTER (WHERE status = 'USED')             AS used
                   FROM new_rows GROUP BY event_id ORDER BY event_id) d
          WHERE (d.sold, d.used) <> (0, 0);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM ticketing.event_summary_add(d.event_id, p_tickets_sold => -d.sold, p_tickets_checked_in => -d.used)
           FROM (SELECT event_id,
                        count(*) FILTER (WHERE status IN ('VALID', 'USED')) AS sold,
                        count(*) FILTER (WHERE status = 'USED')             AS used
                   FROM old_rows GROUP BY event_id ORDER BY event_id) d
          WHERE (d.sold, d.used) <> (0, 0);
    ELSE
        PERFORM ticketing.event_summary_add(d.event_id, p_tickets_sold => d.sold, p_tickets_checked_in => d.used)
           FROM (SELECT event_id,
                        coalesce(sum(sign) FILTER (WHERE status IN ('VALID', 'USED')), 0) AS sold,
                        coalesce(sum(sign) FILTER (WHERE status = 'USED'), 0)             AS used
                   FROM (SELECT event_id, status, 1 AS sign FROM new_rows
                         UNION ALL
                         SELECT event_id, status, -1 AS sign FROM old_rows) c
                  GROUP BY event_id ORDER BY event_id) d
          WHERE (d.sold, d.used) <> (0, 0);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER event_summary_on_ticket_insert AFTER INSERT ON ticketing.ticket
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ticketing.event_summary_on_ticket_change();
CREATE TRIGGER event_summary_on_ticket_update AFTER UPDATE ON ticketing.ticket
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ticketing.event_summary_on_ticket_change();
CREATE TRIGGER event_summary_on_ticket_delete AFTER DELETE ON ticketing.ticket
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ticketing.event_summary_on_ticket_change();

-- Backfill: rows already in the tables (none on a fresh install) are counted once, atomically
-- with the triggers above.
SELECT ticketing.rebuild_event_summary();

-- Analytics, refreshed on a schedule (REFRESH MATERIALIZED VIEW CONCURRENTLY, which needs the
-- unique index below). Not deleted events only, like every other read.
--   tickets_sold   tickets VALID or USED          bookings       CONFIRMED bookings
--   total_revenue  = event_summary.gross_revenue  refunds        = event_summary.refunded_amount
--   sell_through   BOOKED seats / all seats (0 to 1, 4 decimals; 0 for an event without seats)
--   last_sale_at   latest confirmed_at of the event's bookings (null before the first sale)
CREATE MATERIALIZED VIEW ticketing.event_sales_summary AS
SELECT e.id                AS event_id,
       e.title,
       e.currency,
       s.tickets_sold,
       s.bookings_confirmed AS bookings,
       s.gross_revenue      AS total_revenue,
       s.refunded_amount    AS refunds,
       CASE WHEN s.seats_total = 0 THEN 0::numeric
            ELSE round(s.seats_booked::numeric / s.seats_total, 4) END AS sell_through,
       l.last_sale_at
  FROM ticketing.event e
  JOIN ticketing.event_summary s ON s.event_id = e.id
  LEFT JOIN (SELECT event_id, max(confirmed_at) AS last_sale_at
               FROM ticketing.booking
              WHERE confirmed_at IS NOT NULL
              GROUP BY event_id) l ON l.event_id = e.id
 WHERE NOT e.is_deleted;

-- squawk-ignore require-concurrent-index-creation
CREATE UNIQUE INDEX event_sales_summary_event_key ON ticketing.event_sales_summary (event_id);

-- Partial and covering indexes of the seed queries.

-- getAvailableSeats: WHERE event_id = ? AND status = 'AVAILABLE' ORDER BY section, "row", number;
-- index-only for the displayed columns.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX seat_available_idx ON ticketing.seat (event_id, section, "row", number)
    INCLUDE (id, price) WHERE status = 'AVAILABLE';

-- getUpcomingEvents: WHERE status = 'PUBLISHED' AND NOT is_deleted AND starts_at >= now()
-- ORDER BY starts_at LIMIT n.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX event_upcoming_idx ON ticketing.event (starts_at)
    WHERE status = 'PUBLISHED' AND NOT is_deleted;

-- The expiry sweeper: WHERE status = 'OPEN' AND expires_at < now() ORDER BY expires_at
-- FOR UPDATE SKIP LOCKED.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX payment_session_open_expiry_idx ON ticketing.payment_session (expires_at)
    INCLUDE (event_id, id) WHERE status = 'OPEN';

-- getBookingSeats: booked_seat by booking_id alone, then the seat by its key.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX booked_seat_booking_idx ON ticketing.booked_seat (booking_id)
    INCLUDE (event_id, seat_id, price, released_at);

-- Seats of a checkout (addSeatsToSession, payment success): by payment_session_id alone.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX payment_session_seat_session_idx ON ticketing.payment_session_seat (payment_session_id)
    INCLUDE (event_id, seat_id, released_at);

-- A customer's bookings, newest first, keyset-paginated on (created_at, id).
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX booking_customer_idx ON ticketing.booking (customer_id, created_at DESC, id DESC);

-- "Which booking holds this seat": booked_seat_active_claim_key (V1) answers it.

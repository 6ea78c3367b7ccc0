-- V4: event_summary's counters split over 16 rows per event, so that the bookings of one hot event
-- no longer queue behind a single row.
--
-- Until V3 every seat, booking and ticket change of an event added its deltas to that event's one
-- event_summary row, and held the row's lock until commit: the bookings of one event ran one at a
-- time (docs/benchmarks.md, "Hot event"). Now each transaction adds to one of 16 shard rows of the
-- event, one that no other transaction holds, and ticketing.event_summary becomes a view summing them.
-- Readers (event stats, event_sales_summary, event_summary_drift) read the same columns as before.
--
-- Lock order. The adapter locks its transaction's shard row before any seat (as it locked the one
-- summary row before: event_summary_shard_lock), and the triggers add to that same row; so a
-- transaction holding a seat never waits for a shard row of that event.
--
-- Upgrade: the view cannot be locked, so an instance of an earlier release (which runs
-- SELECT … FROM event_summary … FOR UPDATE before changing seats) fails its seat changes once V4
-- is applied; upgrade every instance together (docs/operator-guide.md).
--
-- One transaction: moving the counters and replacing the table by the view must be atomic, or a
-- change committed in between would be lost or counted twice.
-- squawk-ignore-file prefer-robust-stmts

SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '30min';

-- Waits for the transactions adding to the old rows and keeps new ones out until commit.
LOCK TABLE ticketing.event_summary IN ACCESS EXCLUSIVE MODE;

CREATE TABLE ticketing.event_summary_shard (
    event_id           uuid           NOT NULL,
    -- 0 to 15 (checked below), never a counter or an identifier:
    -- squawk-ignore prefer-bigint-over-smallint
    shard              smallint       NOT NULL,
    seats_total        bigint         NOT NULL DEFAULT 0,
    seats_available    bigint         NOT NULL DEFAULT 0,
    seats_reserved     bigint         NOT NULL DEFAULT 0,
    seats_booked       bigint         NOT NULL DEFAULT 0,
    seats_blocked      bigint         NOT NULL DEFAULT 0,
    bookings_pending   bigint         NOT NULL DEFAULT 0,
    bookings_confirmed bigint         NOT NULL DEFAULT 0,
    bookings_cancelled bigint         NOT NULL DEFAULT 0,
    tickets_sold       bigint         NOT NULL DEFAULT 0,
    tickets_checked_in bigint         NOT NULL DEFAULT 0,
    gross_revenue      numeric(14, 2) NOT NULL DEFAULT 0,
    refunded_amount    numeric(14, 2) NOT NULL DEFAULT 0,
    created_at         timestamptz    NOT NULL DEFAULT now(),
    updated_at         timestamptz    NOT NULL DEFAULT now(),
    CONSTRAINT event_summary_shard_pkey PRIMARY KEY (event_id, shard),
    CONSTRAINT event_summary_shard_shard_check CHECK (shard BETWEEN 0 AND 15),
    CONSTRAINT event_summary_shard_event_fkey FOREIGN KEY (event_id) REFERENCES ticketing.event (id) ON DELETE CASCADE
) WITH (fillfactor = 50); -- room on each page for the next versions of these often-updated rows (HOT updates)

CREATE TRIGGER event_summary_shard_touch_updated_at BEFORE UPDATE ON ticketing.event_summary_shard
    FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION ticketing.touch_updated_at();

COMMENT ON TABLE ticketing.event_summary_shard IS
    'Per-event counters in 16 shard rows; ticketing.event_summary is their sum. Kept by triggers.';

-- The shard row of an event that this transaction adds to, locked (FOR NO KEY UPDATE, as the
-- UPDATE of the counters would). The first call of a transaction takes a row of the event that
-- no other transaction holds (SKIP LOCKED), trying first the one of its transaction id mod 16,
-- and keeps its number for the rest of the transaction (setting ticketing.summary_shard); so up
-- to 16 transactions of one event never wait for each other here. Later calls, for this or any
-- other event, use that number and wait for the row if they must: one shard number per
-- transaction, whatever the events. When all 16 rows are held, the first call waits for its own.
CREATE FUNCTION ticketing.event_summary_shard_lock(p_event_id uuid) RETURNS smallint
    LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    chosen    smallint := nullif(current_setting('ticketing.summary_shard', true), '')::smallint;
    preferred smallint;
BEGIN
    IF chosen IS NULL THEN
        preferred := (txid_current() % 16)::smallint;
        SELECT s.shard INTO chosen
          FROM ticketing.event_summary_shard s
         WHERE s.event_id = p_event_id
         ORDER BY (s.shard - preferred + 16) % 16
         LIMIT 1
           FOR NO KEY UPDATE SKIP LOCKED;
        IF chosen IS NOT NULL THEN
            -- Locked by the SELECT itself: the usual case, one statement.
            PERFORM set_config('ticketing.summary_shard', chosen::text, true);
            RETURN chosen;
        END IF;
        chosen := preferred;
        PERFORM set_config('ticketing.summary_shard', chosen::text, true);
    END IF;
    PERFORM 1
       FROM ticketing.event_summary_shard s
      WHERE s.event_id = p_event_id AND s.shard = chosen
        FOR NO KEY UPDATE;
    RETURN chosen;
END
$$;

-- The counters so far go to shard 0; the other 15 start at zero.
INSERT INTO ticketing.event_summary_shard (
       event_id, shard, seats_total, seats_available, seats_reserved, seats_booked, seats_blocked,
       bookings_pending, bookings_confirmed, bookings_cancelled,
       tickets_sold, tickets_checked_in, gross_revenue, refunded_amount, created_at, updated_at)
SELECT event_id, 0, seats_total, seats_available, seats_reserved, seats_booked, seats_blocked,
       bookings_pending, bookings_confirmed, bookings_cancelled,
       tickets_sold, tickets_checked_in, gross_revenue, refunded_amount, created_at, updated_at
  FROM ticketing.event_summary
 ORDER BY event_id;
INSERT INTO ticketing.event_summary_shard (event_id, shard)
SELECT event_id, shard
  FROM ticketing.event_summary CROSS JOIN generate_series(1, 15) AS g (shard)
 ORDER BY event_id, shard;

-- What reads the old table is replaced below, reading the view the same way.
DROP VIEW ticketing.event_summary_drift;
DROP MATERIALIZED VIEW ticketing.event_sales_summary;
-- Replaced in this transaction by a view of the same name and columns (migration/squawk-waivers.md):
-- squawk-ignore ban-drop-table
DROP TABLE ticketing.event_summary;

CREATE VIEW ticketing.event_summary AS
SELECT event_id,
       sum(seats_total)::bigint                 AS seats_total,
       sum(seats_available)::bigint             AS seats_available,
       sum(seats_reserved)::bigint              AS seats_reserved,
       sum(seats_booked)::bigint                AS seats_booked,
       sum(seats_blocked)::bigint               AS seats_blocked,
       sum(bookings_pending)::bigint            AS bookings_pending,
       sum(bookings_confirmed)::bigint          AS bookings_confirmed,
       sum(bookings_cancelled)::bigint          AS bookings_cancelled,
       sum(tickets_sold)::bigint                AS tickets_sold,
       sum(tickets_checked_in)::bigint          AS tickets_checked_in,
       sum(gross_revenue)::numeric(14, 2)       AS gross_revenue,
       sum(refunded_amount)::numeric(14, 2)     AS refunded_amount,
       min(created_at)                          AS created_at,
       max(updated_at)                          AS updated_at
  FROM ticketing.event_summary_shard
 GROUP BY event_id;

COMMENT ON VIEW ticketing.event_summary IS
    'Per-event counters: the sum of the event''s rows in event_summary_shard.';

-- As in V2, over the view.
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

-- As in V2, over the view (see V2 for what each column means).
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

-- A new view in this transaction: nobody else can see it, let alone wait on it.
-- squawk-ignore require-concurrent-index-creation
CREATE UNIQUE INDEX event_sales_summary_event_key ON ticketing.event_sales_summary (event_id);

-- Adds deltas to the transaction's shard row of the event; same signature as V2's, so the
-- triggers of V2 call it unchanged. The INSERT only when the row is missing (an event and its
-- seats created in one statement, before the event trigger made the rows).
CREATE OR REPLACE FUNCTION ticketing.event_summary_add(
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
DECLARE
    -- The transaction's shard; chosen (and locked) here when nothing locked one before.
    my_shard smallint := nullif(current_setting('ticketing.summary_shard', true), '')::smallint;
BEGIN
    IF my_shard IS NULL THEN
        my_shard := ticketing.event_summary_shard_lock(p_event_id);
    END IF;
    UPDATE ticketing.event_summary_shard
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
     WHERE event_id = p_event_id AND shard = my_shard;
    IF NOT FOUND THEN
        INSERT INTO ticketing.event_summary_shard AS s (
               event_id, shard, seats_total, seats_available, seats_reserved, seats_booked, seats_blocked,
               bookings_pending, bookings_confirmed, bookings_cancelled,
               tickets_sold, tickets_checked_in, gross_revenue, refunded_amount)
        VALUES (p_event_id, my_shard, p_seats_total, p_seats_available, p_seats_reserved, p_seats_booked, p_seats_blocked,
                p_bookings_pending, p_bookings_confirmed, p_bookings_cancelled,
                p_tickets_sold, p_tickets_checked_in, p_gross_revenue, p_refunded_amount)
        ON CONFLICT (event_id, shard) DO UPDATE
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

-- Every event has its 16 shard rows from its creation on, so that the adapter's lock on its
-- transaction's shard always finds a row to lock.
CREATE OR REPLACE FUNCTION ticketing.event_summary_on_event_insert() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO ticketing.event_summary_shard (event_id, shard)
    SELECT n.id, g.shard FROM new_rows n CROSS JOIN generate_series(0, 15) AS g (shard)
     ORDER BY n.id, g.shard
    ON CONFLICT (event_id, shard) DO NOTHING;
    RETURN NULL;
END
$$;

-- The repair, as in V2: recounts the given event (all events when null); for each event whose
-- summary was wrong, shard 0 gets the recount and the other shards zero. Returns the number of
-- events that were wrong.
CREATE OR REPLACE FUNCTION ticketing.rebuild_event_summary(p_event_id uuid DEFAULT NULL) RETURNS bigint
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
    ), stored AS (
        INSERT INTO ticketing.event_summary_shard AS s (
               event_id, shard, seats_total, seats_available, seats_reserved, seats_booked, seats_blocked,
               bookings_pending, bookings_confirmed, bookings_cancelled,
               tickets_sold, tickets_checked_in, gross_revenue, refunded_amount)
        -- The recount for shard 0, zeros (k = 0) for the others.
        SELECT w.event_id, g.shard, k * w.seats_total, k * w.seats_available, k * w.seats_reserved,
               k * w.seats_booked, k * w.seats_blocked, k * w.bookings_pending, k * w.bookings_confirmed,
               k * w.bookings_cancelled, k * w.tickets_sold, k * w.tickets_checked_in,
               k * w.gross_revenue, k * w.refunded_amount
          FROM wrong w
         CROSS JOIN generate_series(0, 15) AS g (shard)
         CROSS JOIN LATERAL (SELECT CASE WHEN g.shard = 0 THEN 1 ELSE 0 END AS k) factor
         ORDER BY w.event_id, g.shard
        ON CONFLICT (event_id, shard) DO UPDATE
           SET seats_total = excluded.seats_total, seats_available = excluded.seats_available,
               seats_reserved = excluded.seats_reserved, seats_booked = excluded.seats_booked,
               seats_blocked = excluded.seats_blocked, bookings_pending = excluded.bookings_pending,
               bookings_confirmed = excluded.bookings_confirmed, bookings_cancelled = excluded.bookings_cancelled,
               tickets_sold = excluded.tickets_sold, tickets_checked_in = excluded.tickets_checked_in,
               gross_revenue = excluded.gross_revenue, refunded_amount = excluded.refunded_amount
        RETURNING s.event_id
    )
    SELECT count(DISTINCT event_id) INTO repaired FROM stored;
    RETURN repaired;
END
$$;

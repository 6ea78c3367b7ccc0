-- V21: an event's revenue and refunds add up to whatever its bookings hold.
--
-- A booking's total is numeric(10, 2) (at most 99,999,999.99) and an event's sums were numeric(14, 2): 10,001
-- bookings at the largest total overflow them. The summary triggers then fail the sale that crosses the line
-- ('numeric field overflow'), and a legacy import of such an event stopped for good in rebuild_event_summary, naming
-- no event. numeric(20, 2) holds ten billion bookings at the largest total: more than an event has seats.
--
-- Raising a numeric's precision at the same scale rewrites no row (the values are stored alike); the ALTER takes
-- the shard table's ACCESS EXCLUSIVE lock for that moment (lock_timeout: given up rather than queued behind a long
-- transaction). The views over the two columns are made again as they were, with the wider type; the materialized
-- view is recounted once (a refresh's time) and keeps its unique index, which its concurrent refreshes need.
--
-- Flyway runs this script in one transaction: a failure rolls it back whole, so it re-runs as is
-- (migration/squawk-waivers.md):
-- squawk-ignore-file prefer-robust-stmts

SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '30min';

DROP MATERIALIZED VIEW ticketing.event_sales_summary;
DROP VIEW ticketing.event_summary_drift;
DROP VIEW ticketing.event_summary;
DROP VIEW ticketing.event_summary_recount;

-- No rewrite (see above), a lock of a moment, and the one client reading the columns is the set of views made below:
-- squawk-ignore changing-column-type
ALTER TABLE ticketing.event_summary_shard ALTER COLUMN gross_revenue TYPE numeric(20, 2);
-- squawk-ignore changing-column-type
ALTER TABLE ticketing.event_summary_shard ALTER COLUMN refunded_amount TYPE numeric(20, 2);

-- As in V2 (see there for what each column means), with the wider sums.
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
       coalesce(b.gross_revenue, 0)::numeric(20, 2)   AS gross_revenue,
       coalesce(b.refunded_amount, 0)::numeric(20, 2) AS refunded_amount
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

-- As in V4.
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
       sum(gross_revenue)::numeric(20, 2)       AS gross_revenue,
       sum(refunded_amount)::numeric(20, 2)     AS refunded_amount,
       min(created_at)                          AS created_at,
       max(updated_at)                          AS updated_at
  FROM ticketing.event_summary_shard
 GROUP BY event_id;

COMMENT ON VIEW ticketing.event_summary IS
    'Per-event counters: the sum of the event''s rows in event_summary_shard.';

-- As in V4.
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

-- As in V4.
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

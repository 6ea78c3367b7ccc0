package io.ticketing.migration.legacy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Currency;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One legacy table's move, as set-based SQL over the legacy ids in {@code pg_temp.batch_ids}:
 * classify every row (the first rule it breaks is its quarantine reason), insert the good rows,
 * quarantine the others with their original payload. Placeholders: {t} the target schema
 * (ticketing, or pg_temp for `plan`), {i} the import schema, {cur} the events' currency ({whole_cur}: whether it
 * has no minor unit, as JPY; the application refuses decimals in such a currency, see Money),
 * {in_batch} a condition on the batch's legacy ids besides the join with it (see {@link #IN_BATCH}).
 * Parents go first, so a row whose parent is missing from the target had its parent quarantined.
 * Parents are found by their legacy id (customer and event keep it unique), a plain text match.
 * Rows are inserted in the order of their primary key: the unique indexes then grow in one sweep
 * a batch instead of at random places (twice as fast at a million seats).
 * A legacy updatedAt later than the import's own clock (the legacy app's clock ran ahead, or a far date) is
 * stored as the import's time: updated_at after the import's last write means "changed by the new
 * application" to the repeat import, verify and rollback, which would otherwise take such a row for one.
 */
enum ImportStep {

    USER("User", "user", ImportStep.USER_ROWS + """
            -- Those leaving go first, and the changing addresses are parked: one customer may take over the
            -- address that another leaves.
            DELETE FROM {t}.customer t USING pg_temp.batch_ids b
             WHERE t.id = {i}.legacy_uuid('user', b.id)
               AND NOT EXISTS (SELECT 1 FROM batch_rows r WHERE r.legacy_id = b.id AND r.reason IS NULL);
            UPDATE {t}.customer c SET email = c.id || '@moving.invalid'
              FROM batch_rows r WHERE c.id = r.id AND c.legacy_id = r.legacy_id AND c.email <> r.email;
            INSERT INTO {t}.customer (id, email, name, legacy_id, created_at, updated_at)
            SELECT id, email, name, legacy_id, created_at, updated_at FROM batch_rows WHERE reason IS NULL ORDER BY id""", """
            ON CONFLICT (id) DO UPDATE SET email = excluded.email, name = excluded.name, updated_at = excluded.updated_at;
            """, ""),

    EVENT("Event", "event", ImportStep.EVENT_ROWS + """
            INSERT INTO {t}.event (id, title, description, venue, starts_at, ends_at, currency, status, legacy_id, created_at, updated_at)
            SELECT id, title, description, venue, starts_at, ends_at, '{cur}', status::{t}.event_status, legacy_id, created_at, updated_at
              FROM batch_rows WHERE reason IS NULL""", """
            ON CONFLICT (id) DO UPDATE SET title = excluded.title, description = excluded.description, venue = excluded.venue,
                   starts_at = excluded.starts_at, ends_at = excluded.ends_at, status = excluded.status, updated_at = excluded.updated_at;
            """, """
            -- The summary rows go first: a catch-up round with the triggers off has no cascade to delete them.
            DELETE FROM {t}.event_summary_shard s USING pg_temp.batch_ids b
             WHERE s.event_id = {i}.legacy_uuid('event', b.id)
               AND NOT EXISTS (SELECT 1 FROM batch_rows r WHERE r.legacy_id = b.id AND r.reason IS NULL);
            DELETE FROM {t}.event t USING pg_temp.batch_ids b
             WHERE t.id = {i}.legacy_uuid('event', b.id)
               AND NOT EXISTS (SELECT 1 FROM batch_rows r WHERE r.legacy_id = b.id AND r.reason IS NULL);
            """),

    SEAT("Seat", "seat", """
            CREATE TEMP TABLE batch_rows ON COMMIT DROP AS
            SELECT s.id AS legacy_id, {i}.legacy_uuid('seat', s.id) AS id, ev.id AS event_id, s.section, s."row", s.number, s.price,
                   {i}.map_status('seat', s.status) AS status,
                   s."createdAt" AT TIME ZONE 'UTC' AS created_at, least(s."updatedAt" AT TIME ZONE 'UTC', now()) AS updated_at,
                   CASE WHEN {i}.long_id(s.id) THEN 'id longer than 1000 bytes'
                        WHEN ev.id IS NULL AND NOT EXISTS (SELECT 1 FROM public."Event" x WHERE x.id = s."eventId") THEN 'unknown event'
                        WHEN ev.id IS NULL THEN 'event quarantined'
                        WHEN {i}.map_status('seat', s.status) IS NULL THEN 'unknown status'
                        WHEN s.price < 0 THEN 'negative price'
                        WHEN {whole_cur} AND s.price <> trunc(s.price) THEN 'price with decimals, which {cur} has none of'
                        WHEN NOT {i}.has_visible_text(s.section) OR NOT {i}.has_visible_text(s."row") THEN 'blank section or row'
                        -- a seat's position is a key (seat_position_key): its entry holds at most some 2,700 bytes
                        WHEN octet_length(s.section) + octet_length(s."row") > 2000 THEN 'section and row longer than 2000 bytes'
                        WHEN s.number <= 0 THEN 'number not positive'
                        WHEN {i}.far_date(s."createdAt") OR {i}.far_date(s."updatedAt") THEN 'date out of range' END AS reason
              FROM public."Seat" s JOIN pg_temp.batch_ids b ON b.id = s.id
              LEFT JOIN {t}.event ev ON ev.legacy_id = s."eventId"
             WHERE s.id {in_batch};
            -- Statistics for the planner, of the columns it joins and filters on only: those of every column cost
            -- some 100 ms a batch, also in each catch-up round, the cut-over's included.
            ANALYZE batch_rows (legacy_id, event_id, reason);
            UPDATE batch_rows r SET reason = 'duplicate position'
              FROM (SELECT legacy_id
                      FROM (SELECT legacy_id, row_number() OVER (PARTITION BY event_id, section, "row", number ORDER BY legacy_id) AS n
                              FROM batch_rows WHERE reason IS NULL) w
                     WHERE n > 1
                    UNION
                    SELECT b.legacy_id FROM batch_rows b
                      JOIN {t}.seat o ON o.event_id = b.event_id AND o.section = b.section AND o."row" = b."row"
                                     AND o.number = b.number AND o.id <> b.id
                     WHERE b.reason IS NULL) d
             WHERE r.legacy_id = d.legacy_id;
            INSERT INTO {t}.seat (event_id, id, section, "row", number, price, status, legacy_id, created_at, updated_at)
            SELECT event_id, id, section, "row", number, price, status::{t}.seat_status, legacy_id, created_at, updated_at
              FROM batch_rows WHERE reason IS NULL ORDER BY event_id, id""", """
            ON CONFLICT (event_id, id) DO UPDATE SET section = excluded.section, "row" = excluded."row", number = excluded.number,
                   price = excluded.price, status = excluded.status, updated_at = excluded.updated_at;
            """, """
            DELETE FROM {t}.seat t USING pg_temp.batch_ids b
             WHERE t.id = {i}.legacy_uuid('seat', b.id)
               AND NOT EXISTS (SELECT 1 FROM batch_rows r WHERE r.legacy_id = b.id AND r.reason IS NULL);
            """),

    /**
     * Every active booking's claim on each seat it could be migrated with, recorded before any
     * booking is copied: a seat goes to the earliest claim by (createdAt, id), first come first
     * served, whichever batch the bookings fall into.
     */
    CLAIMS("Booking", "claims", ImportStep.BOOKING_SEATS + """
            DELETE FROM {i}.seat_claim c USING pg_temp.batch_ids b WHERE c.booking_legacy_id = b.id;
            INSERT INTO {i}.seat_claim (seat_legacy_id, created_at, booking_legacy_id)
            SELECT seat_legacy_id, created_at, booking_legacy_id FROM batch_seats
             WHERE reason IS NULL AND status IN ('PENDING', 'CONFIRMED');
            """),

    /**
     * A booking is migrated with its valid seats; each offending booking-seat pair is quarantined
     * on its own (table "Booking.seats") and the booking marked for review. A booking left without
     * any valid seat is quarantined whole, with the reason of its first bad seat.
     */
    BOOKING("Booking", "booking", ImportStep.BOOKING_SEATS + """
            UPDATE batch_seats s SET reason = 'seat already claimed'
             WHERE s.reason IS NULL AND s.status IN ('PENDING', 'CONFIRMED')
               AND (EXISTS (SELECT 1 FROM {i}.seat_claim c
                             WHERE c.seat_legacy_id = s.seat_legacy_id
                               AND (c.created_at, c.booking_legacy_id) < (s.created_at, s.booking_legacy_id))
                    OR EXISTS (SELECT 1 FROM {t}.booked_seat o
                                WHERE o.event_id = s.event_id AND o.seat_id = s.seat_id AND o.released_at IS NULL));
            UPDATE batch_rows r
               SET reason = (SELECT s.reason FROM batch_seats s WHERE s.booking_legacy_id = r.legacy_id ORDER BY s.seat_legacy_id LIMIT 1)
             WHERE r.reason IS NULL AND NOT EXISTS (SELECT 1 FROM batch_seats s WHERE s.booking_legacy_id = r.legacy_id AND s.reason IS NULL);
            UPDATE batch_rows r SET review_reason = x.bad || ' of ' || x.seats || ' seats quarantined: ' || x.reasons
              FROM (SELECT booking_legacy_id, count(*) AS seats, count(reason) AS bad, string_agg(DISTINCT reason, ', ') AS reasons
                      FROM batch_seats GROUP BY booking_legacy_id HAVING count(reason) > 0) x
             WHERE r.legacy_id = x.booking_legacy_id AND r.reason IS NULL;
            INSERT INTO {t}.booking (event_id, id, customer_id, total_amount, status, confirmed_at, cancelled_at, review_reason,
                                     legacy_id, created_at, updated_at)
            SELECT event_id, id, customer_id, total_amount, status::{t}.booking_status,
                   CASE WHEN status = 'CONFIRMED' THEN updated_at END, CASE WHEN status = 'CANCELLED' THEN updated_at END,
                   review_reason, legacy_id, created_at, updated_at
              FROM batch_rows WHERE reason IS NULL ORDER BY event_id, id;
            INSERT INTO {t}.booked_seat (event_id, booking_id, seat_id, price, created_at, updated_at, released_at)
            SELECT r.event_id, r.id, s.seat_id, s.price, r.created_at, r.updated_at,
                   CASE WHEN r.status = 'CANCELLED' THEN r.updated_at END
              FROM batch_rows r JOIN batch_seats s ON s.booking_legacy_id = r.legacy_id
             WHERE r.reason IS NULL AND s.reason IS NULL ORDER BY r.event_id, r.id, s.seat_id;
            INSERT INTO {i}.quarantine (table_name, legacy_id, batch_key, reason, payload)
            SELECT 'Booking.seats', {pair:s.booking_legacy_id,s.seat_legacy_id}, s.booking_legacy_id, s.reason,
                   jsonb_build_object('bookingId', s.booking_legacy_id, 'seatId', s.seat_legacy_id)
              FROM batch_seats s JOIN batch_rows r ON r.legacy_id = s.booking_legacy_id
             WHERE s.reason IS NOT NULL AND r.reason IS NULL;
            """),

    PAYMENT_SESSION("PaymentSession", "payment_session", """
            CREATE TEMP TABLE batch_rows ON COMMIT DROP AS
            SELECT p.id AS legacy_id, {i}.legacy_uuid('payment_session', p.id) AS id, p."eventId" AS legacy_event_id,
                   ev.id AS event_id, ev.currency, cu.id AS customer_id, p.amount,
                   {i}.checkout_status(p.status, lb.status, p."expiresAt", {i}.import_started()) AS status, p."providerRef" AS provider_ref,
                   p."expiresAt" AT TIME ZONE 'UTC' AS expires_at, bk.id AS booking_id, bk.event_id AS booking_event_id,
                   p."bookingId" AS booking_legacy_id,
                   {i}.map_status('payment_session', p.status) = 'OPEN'
                       AND {i}.checkout_status(p.status, lb.status, p."expiresAt", {i}.import_started()) = 'EXPIRED' AS expired_unpaid,
                   p."createdAt" AT TIME ZONE 'UTC' AS created_at, least(p."updatedAt" AT TIME ZONE 'UTC', now()) AS updated_at,
                   CASE WHEN {i}.long_id(p.id) THEN 'id longer than 1000 bytes'
                        WHEN ev.id IS NULL AND NOT EXISTS (SELECT 1 FROM public."Event" x WHERE x.id = p."eventId") THEN 'unknown event'
                        WHEN ev.id IS NULL THEN 'event quarantined'
                        WHEN cu.id IS NULL AND NOT EXISTS (SELECT 1 FROM public."User" x WHERE x.id = p."userId") THEN 'unknown customer'
                        WHEN cu.id IS NULL THEN 'customer quarantined'
                        WHEN {i}.map_status('payment_session', p.status) IS NULL THEN 'unknown status'
                        WHEN p.amount < 0 THEN 'negative amount'
                        WHEN {whole_cur} AND p.amount <> trunc(p.amount) THEN 'amount with decimals, which {cur} has none of'
                        WHEN octet_length(p."providerRef") > 1000 THEN 'provider reference longer than 1000 bytes' -- a key's part
                        WHEN {i}.far_date(p."expiresAt") OR {i}.far_date(p."createdAt") OR {i}.far_date(p."updatedAt") THEN 'date out of range'
                        WHEN p."bookingId" IS NOT NULL AND lb.id IS NULL THEN 'unknown booking'
                        WHEN p."bookingId" IS NOT NULL AND bk.id IS NULL THEN 'booking quarantined'
                        WHEN bk.event_id <> ev.id THEN 'booking of another event'
                        -- Still open although its booking is paid: whether this checkout took the money is unknown,
                        -- and as OPEN it would hold (and the sweeper release) seats that the booking owns.
                        WHEN {i}.checkout_status(p.status, lb.status, p."expiresAt", {i}.import_started()) = 'OPEN' AND bk.status = 'CONFIRMED'
                             THEN 'open checkout of a confirmed booking' END AS reason
              FROM public."PaymentSession" p JOIN pg_temp.batch_ids x ON x.id = p.id
              LEFT JOIN {t}.event ev ON ev.legacy_id = p."eventId"
              LEFT JOIN {t}.customer cu ON cu.legacy_id = p."userId"
              LEFT JOIN public."Booking" lb ON lb.id = p."bookingId"
              LEFT JOIN {t}.booking bk ON bk.id = {i}.legacy_uuid('booking', p."bookingId") AND bk.legacy_id = p."bookingId"
             WHERE p.id {in_batch};
            ANALYZE batch_rows (legacy_id, event_id, provider_ref, reason);
            UPDATE batch_rows r SET reason = 'duplicate provider reference'
              FROM (SELECT w.legacy_id
                      FROM (SELECT legacy_id, id, event_id, provider_ref,
                                   row_number() OVER (PARTITION BY event_id, provider_ref ORDER BY legacy_id) AS n
                              FROM batch_rows WHERE reason IS NULL AND provider_ref IS NOT NULL) w
                     WHERE w.n > 1
                        OR EXISTS (SELECT 1 FROM {t}.payment_session o
                                    WHERE o.event_id = w.event_id AND o.provider_ref = w.provider_ref AND o.id <> w.id)) d
             WHERE r.legacy_id = d.legacy_id;
            INSERT INTO {t}.payment_session (event_id, id, customer_id, amount, currency, status, provider_ref, expires_at, booking_id,
                                             legacy_id, created_at, updated_at)
            SELECT event_id, id, customer_id, amount, currency, status::{t}.payment_session_status, provider_ref, expires_at, booking_id,
                   legacy_id, created_at, updated_at
              FROM batch_rows WHERE reason IS NULL ORDER BY event_id, id;
            -- A running checkout that the payment webhook cannot name is never paid here, and a PROCESSING one never
            -- expires: its booking is marked for review, for an admin to settle. A re-imported booking comes with all its
            -- checkouts (LegacyImporter's DEPENDANTS): the mark goes once none of them needs it.
            UPDATE {t}.booking b SET review_reason = concat_ws('; ', b.review_reason, x.reason)
              FROM (SELECT DISTINCT booking_event_id, booking_id, 'a running checkout has an id the payment webhook cannot name'::text AS reason
                      FROM batch_rows
                     WHERE reason IS NULL AND booking_id IS NOT NULL AND status IN ('OPEN', 'PROCESSING') AND NOT {i}.webhook_can_name(legacy_id)) x
             WHERE b.event_id = x.booking_event_id AND b.id = x.booking_id AND strpos(coalesce(b.review_reason, ''), x.reason) = 0;
            CREATE TEMP TABLE batch_links ON COMMIT DROP AS
            SELECT {pair:j."A",j."B"} AS legacy_id, r.legacy_id AS session_legacy_id, r.id AS payment_session_id,
                   r.event_id, r.status, r.booking_id, r.created_at, r.updated_at, r.reason AS session_reason,
                   ls."eventId" AS seat_legacy_event_id, r.legacy_event_id, st.id AS seat_id,
                   jsonb_build_object('A', j."A", 'B', j."B") AS payload, NULL::text AS reason
              FROM public."_PaymentSessionToSeat" j JOIN batch_rows r ON r.legacy_id = j."A"
              JOIN public."Seat" ls ON ls.id = j."B"
              LEFT JOIN {t}.seat st ON st.event_id = r.event_id AND st.legacy_id = j."B"
             WHERE j."A" {in_batch};
            UPDATE batch_links SET reason = CASE WHEN session_reason IS NOT NULL THEN 'session quarantined'
                                                 WHEN seat_legacy_event_id <> legacy_event_id THEN 'seat of another event'
                                                 WHEN seat_id IS NULL THEN 'seat quarantined' END;
            ANALYZE batch_links (legacy_id, event_id, seat_id, status, reason);
            UPDATE batch_links l SET reason = 'seat already claimed'
              FROM (SELECT w.legacy_id
                      FROM (SELECT legacy_id, event_id, seat_id, booking_id,
                                   row_number() OVER (PARTITION BY event_id, seat_id ORDER BY session_legacy_id) AS n
                              FROM batch_links WHERE reason IS NULL AND status IN ('OPEN', 'PROCESSING')) w
                     WHERE w.n > 1
                        OR EXISTS (SELECT 1 FROM {t}.payment_session_seat o
                                    WHERE o.event_id = w.event_id AND o.seat_id = w.seat_id AND o.released_at IS NULL)
                        -- an active booking of someone else holds it (its own booking's claim is the normal PROCESSING state)
                        OR EXISTS (SELECT 1 FROM {t}.booked_seat o
                                    WHERE o.event_id = w.event_id AND o.seat_id = w.seat_id AND o.released_at IS NULL
                                      AND o.booking_id IS DISTINCT FROM w.booking_id)) d
             WHERE l.legacy_id = d.legacy_id;
            INSERT INTO {t}.payment_session_seat (event_id, payment_session_id, seat_id, created_at, updated_at, released_at)
            SELECT event_id, payment_session_id, seat_id, created_at, updated_at,
                   CASE WHEN status IN ('OPEN', 'PROCESSING') THEN NULL ELSE updated_at END
              FROM batch_links WHERE reason IS NULL ORDER BY event_id, payment_session_id, seat_id;
            INSERT INTO {i}.quarantine (table_name, legacy_id, batch_key, reason, payload)
            SELECT '_PaymentSessionToSeat', legacy_id, session_legacy_id, reason, payload FROM batch_links WHERE reason IS NOT NULL;
            """ + ImportStep.EXPIRED_UNPAID + ImportStep.PAID_BEFORE_CANCELLED.formatted("booking_event_id", "status = 'SUCCEEDED'", "updated_at")),

    TICKET("Ticket", "ticket", """
            CREATE TEMP TABLE batch_rows ON COMMIT DROP AS
            SELECT t.id AS legacy_id, {i}.legacy_uuid('ticket', t.id) AS id, bk.event_id, bk.id AS booking_id, bs.seat_id,
                   cu.id AS customer_id, t.code, {i}.map_status('ticket', t.status) AS status,
                   t."createdAt" AT TIME ZONE 'UTC' AS created_at, least(t."updatedAt" AT TIME ZONE 'UTC', now()) AS updated_at,
                   CASE WHEN {i}.long_id(t.id) THEN 'id longer than 1000 bytes'
                        WHEN bk.id IS NULL AND NOT EXISTS (SELECT 1 FROM public."Booking" x WHERE x.id = t."bookingId") THEN 'unknown booking'
                        WHEN bk.id IS NULL THEN 'booking quarantined'
                        WHEN cu.id IS NULL AND NOT EXISTS (SELECT 1 FROM public."User" x WHERE x.id = t."userId") THEN 'unknown customer'
                        WHEN cu.id IS NULL THEN 'customer quarantined'
                        WHEN {i}.map_status('ticket', t.status) IS NULL THEN 'unknown status'
                        -- A cancelled booking's ticket the legacy app left valid would admit at the door. A used one
                        -- of a cancelled booking is who came in before the refund (the application keeps those when it
                        -- cancels an event, its seats BLOCKED; the ticket makes the booking a paid one,
                        -- PAID_BEFORE_CANCELLED below), but only on a seat RECONCILE leaves BLOCKED: on a seat for sale
                        -- (AVAILABLE, or claimed by another booking or a checkout) the live ticket would hold it in
                        -- ticket_live_seat_key, and the next buyer would pay and get no ticket. Of a pending booking, a
                        -- check-in never paid for. The legacy seat's status, not the migrated one: a catch-up round
                        -- finds it reconciled already.
                        WHEN {i}.map_status('ticket', t.status) = 'VALID' AND bk.status <> 'CONFIRMED'
                          OR {i}.map_status('ticket', t.status) = 'USED' AND bk.status = 'PENDING'
                          OR {i}.map_status('ticket', t.status) = 'USED' AND bk.status = 'CANCELLED'
                             AND bs.seat_id IS NOT NULL
                             AND ({i}.expected_seat_status({i}.map_status('seat', ls.status), false, false) IS DISTINCT FROM 'BLOCKED'
                                  OR EXISTS (SELECT 1 FROM {t}.booked_seat o WHERE o.event_id = bs.event_id AND o.seat_id = bs.seat_id
                                                AND o.released_at IS NULL AND o.booking_id <> bk.id)
                                  OR EXISTS (SELECT 1 FROM {t}.payment_session_seat o WHERE o.event_id = bs.event_id AND o.seat_id = bs.seat_id
                                                AND o.released_at IS NULL))
                             THEN 'live ticket of a booking that is not confirmed'
                        WHEN {i}.legacy_uuid('event', t."eventId") <> bk.event_id THEN 'event mismatch'
                        -- the pair by its two ids (batch_key is the booking's), not by a name an earlier version may have given
                        WHEN bs.seat_id IS NULL AND EXISTS (SELECT 1 FROM {i}.quarantine q WHERE q.table_name = 'Booking.seats'
                                                               AND q.batch_key = t."bookingId" AND q.payload ->> 'seatId' = t."seatId")
                             THEN 'seat of its booking quarantined'
                        WHEN bs.seat_id IS NULL THEN 'seat not in booking'
                        WHEN length(t.code) < 8 THEN 'code too short'
                        -- What the application accepts at the door: 8 to 128 visible ASCII characters. (The
                        -- regex '^[!-~]{8,128}$' says it in one, at some 45 µs a ticket.)
                        WHEN length(t.code) > 128 OR t.code !~ '^[!-~]+$' THEN 'malformed code'
                        WHEN {i}.far_date(t."createdAt") OR {i}.far_date(t."updatedAt") THEN 'date out of range' END AS reason
              FROM public."Ticket" t JOIN pg_temp.batch_ids x ON x.id = t.id
              LEFT JOIN {t}.booking bk ON bk.id = {i}.legacy_uuid('booking', t."bookingId") AND bk.legacy_id = t."bookingId"
              -- the seat by its legacy id within the booking's event: an index lookup, where comparing each
              -- booked seat of the booking with the seat's computed UUID cost more than the rest of the row
              LEFT JOIN {t}.seat ts ON ts.event_id = bk.event_id AND ts.legacy_id = t."seatId"
              LEFT JOIN public."Seat" ls ON ls.id = ts.legacy_id
              LEFT JOIN {t}.booked_seat bs ON bs.event_id = bk.event_id AND bs.booking_id = bk.id AND bs.seat_id = ts.id
              LEFT JOIN {t}.customer cu ON cu.legacy_id = t."userId"
             WHERE t.id {in_batch};
            ANALYZE batch_rows (legacy_id, event_id, seat_id, status, reason);
            -- A live legacy ticket for a seat of its booking replaces the one the import issued for it (ISSUED_TICKETS).
            WITH replaced AS (
                DELETE FROM {i}.issued_ticket it USING batch_rows r
                 WHERE r.reason IS NULL AND r.status IN ('VALID', 'USED')
                   AND it.event_id = r.event_id AND it.booking_id = r.booking_id AND it.seat_id = r.seat_id
                RETURNING it.event_id, it.ticket_id)
            DELETE FROM {t}.ticket t USING replaced x WHERE t.event_id = x.event_id AND t.id = x.ticket_id;
            UPDATE batch_rows r SET reason = 'seat already ticketed'
              FROM (SELECT w.legacy_id
                      FROM (SELECT legacy_id, id, event_id, seat_id,
                                   row_number() OVER (PARTITION BY event_id, seat_id ORDER BY legacy_id) AS n
                              FROM batch_rows WHERE reason IS NULL AND status IN ('VALID', 'USED')) w
                     WHERE w.n > 1
                        OR EXISTS (SELECT 1 FROM {t}.ticket o WHERE o.event_id = w.event_id AND o.seat_id = w.seat_id
                                      AND o.status IN ('VALID', 'USED') AND o.id <> w.id)) d
             WHERE r.legacy_id = d.legacy_id;
            INSERT INTO {t}.ticket (event_id, id, booking_id, seat_id, customer_id, code, status, checked_in_at, legacy_id, created_at, updated_at)
            SELECT event_id, id, booking_id, seat_id, customer_id, code, status::{t}.ticket_status,
                   CASE WHEN status = 'USED' THEN updated_at END, legacy_id, created_at, updated_at
              FROM batch_rows WHERE reason IS NULL ORDER BY event_id, id;
            """ + ImportStep.PAID_BEFORE_CANCELLED.formatted("event_id", "true", "created_at")),

    /**
     * Seat statuses made to agree with the claims, for the seats of the events in the batch. The
     * claims are aggregated per seat first and joined by hash: an EXISTS per seat and kind of claim
     * costs an index probe each, which at a million seats no longer hit the cache. In the copy a
     * seat still has the status mapped from its legacy one (nothing else changes it before this
     * step); the catch-up reads the legacy seat again.
     */
    RECONCILE("Event", "reconcile", """
            UPDATE {t}.seat s SET status = x.expected::{t}.seat_status
              FROM (SELECT st.event_id, st.id,
                           {i}.expected_seat_status({legacy_status}, coalesce(c.confirmed, false), coalesce(c.held, false)) AS expected
                      FROM {t}.seat st {legacy_seat}
                      LEFT JOIN (SELECT event_id, seat_id, bool_or(confirmed) AS confirmed, bool_or(NOT confirmed) AS held
                                   FROM (SELECT c.event_id, c.seat_id, b.status = 'CONFIRMED' AS confirmed
                                           FROM {booked_claims} c JOIN {t}.booking b ON b.event_id = c.event_id AND b.id = c.booking_id
                                          WHERE b.status IN ('CONFIRMED', 'PENDING')
                                         UNION ALL
                                         SELECT c.event_id, c.seat_id, false
                                           FROM {held_claims} c
                                           JOIN {t}.payment_session p ON p.event_id = c.event_id AND p.id = c.payment_session_id
                                          WHERE p.status IN ('OPEN', 'PROCESSING')) claim
                                  GROUP BY event_id, seat_id) c ON c.event_id = st.event_id AND c.seat_id = st.id
                     WHERE {seats:st.event_id,st.id}) x
             WHERE s.event_id = x.event_id AND s.id = x.id AND s.status::text <> x.expected;
            """ + ImportStep.ISSUED_TICKETS);

    /**
     * What a box office expects of a confirmed legacy booking that has no valid ticket for one of its seats (the legacy
     * app issued none, or the import quarantined it): the customer paid, the seat is theirs, and the new schema requires
     * one live ticket per seat of a confirmed booking (without it, every later write to the booking is refused). The
     * import issues that ticket (a new random code, as the application's), records it in issued_ticket, and marks the
     * booking for review. It withdraws it when the legacy booking no longer needs it: cancelled, its claim released, or
     * deleted in a catch-up round (issued again if still needed). A legacy ticket arriving for the seat replaces it
     * (TICKET). Run with RECONCILE, on its seats: the copy's events, a catch-up round's touched seats.
     */
    private static final String ISSUED_TICKETS = """
            WITH withdrawn AS (
                DELETE FROM {i}.issued_ticket it
                 WHERE {seats:it.event_id,it.seat_id}
                   AND NOT EXISTS (SELECT 1 FROM {t}.booked_seat bs JOIN {t}.booking b ON b.event_id = bs.event_id AND b.id = bs.booking_id
                                    WHERE bs.event_id = it.event_id AND bs.booking_id = it.booking_id AND bs.seat_id = it.seat_id
                                      AND bs.released_at IS NULL AND b.status = 'CONFIRMED')
                RETURNING it.event_id, it.ticket_id)
            DELETE FROM {t}.ticket t USING withdrawn w WHERE t.event_id = w.event_id AND t.id = w.ticket_id;
            -- A ticket set aside by this catch-up round (its booking changed in the legacy app) is taken back as it was,
            -- code and check-in included, where the booking still needs it: a code the customer was given keeps admitting.
            WITH missing AS (
                SELECT c.event_id, c.booking_id, c.seat_id, b.customer_id
                  FROM {booked_claims} c JOIN {t}.booking b ON b.event_id = c.event_id AND b.id = c.booking_id
                 WHERE b.status = 'CONFIRMED'
                   AND NOT EXISTS (SELECT 1 FROM {t}.ticket t WHERE t.event_id = c.event_id AND t.seat_id = c.seat_id
                                      AND t.status IN ('VALID', 'USED'))),
                 taken_back AS (
                INSERT INTO {t}.ticket (event_id, id, booking_id, seat_id, customer_id, code, status, checked_in_at, version, created_at, updated_at)
                SELECT a.event_id, a.id, a.booking_id, a.seat_id, m.customer_id, a.code, a.status, a.checked_in_at, a.version, a.created_at, a.updated_at
                  FROM {set_aside} a JOIN missing m ON m.event_id = a.event_id AND m.booking_id = a.booking_id AND m.seat_id = a.seat_id
                RETURNING event_id, id, booking_id, seat_id),
                 issued AS (
                INSERT INTO {t}.ticket (event_id, id, booking_id, seat_id, customer_id, code, status, created_at, updated_at)
                SELECT event_id, gen_random_uuid(), booking_id, seat_id, customer_id,
                       -- 122 random bits in 22 URL-safe characters, like the application's codes (TicketCode)
                       rtrim(translate(encode(uuid_send(gen_random_uuid()), 'base64'), '+/', '-_'), '='), 'VALID', now(), now()
                  FROM missing m
                 WHERE NOT EXISTS (SELECT 1 FROM {set_aside} a WHERE a.event_id = m.event_id AND a.booking_id = m.booking_id AND a.seat_id = m.seat_id)
                RETURNING event_id, id, booking_id, seat_id)
            INSERT INTO {i}.issued_ticket (event_id, ticket_id, booking_id, seat_id, issued_at)
            SELECT event_id, id, booking_id, seat_id, now() FROM issued
            UNION ALL
            SELECT b.event_id, b.id, b.booking_id, b.seat_id, a.issued_at FROM taken_back b JOIN {set_aside} a ON a.event_id = b.event_id AND a.id = b.id;
            UPDATE {t}.booking b SET review_reason = concat_ws('; ', b.review_reason, x.reason)
              FROM (SELECT 'ticket issued by the import for a seat the legacy booking had no valid ticket for'::text AS reason) x
             WHERE (b.event_id, b.id) IN (SELECT it.event_id, it.booking_id FROM {i}.issued_ticket it WHERE {seats:it.event_id,it.seat_id})
               AND strpos(coalesce(b.review_reason, ''), x.reason) = 0;
            UPDATE {t}.booking b SET review_reason = nullif(array_to_string(array_remove(string_to_array(b.review_reason, '; '), x.reason), '; '), '')
              FROM (SELECT 'ticket issued by the import for a seat the legacy booking had no valid ticket for'::text AS reason) x
             WHERE strpos(b.review_reason, x.reason) > 0
               AND (b.event_id, b.id) IN (SELECT bs.event_id, bs.booking_id FROM {t}.booked_seat bs WHERE {seats:bs.event_id,bs.seat_id})
               AND NOT EXISTS (SELECT 1 FROM {i}.issued_ticket it WHERE it.event_id = b.event_id AND it.booking_id = b.id);
            """;

    /**
     * The tickets the import issued for the bookings a catch-up round re-imports, as they were (their issued_at
     * with them), until {@link #ISSUED_TICKETS} takes them back; gone at the round's commit.
     */
    static final String SET_ASIDE_TICKETS = """
            CREATE TEMP TABLE IF NOT EXISTS set_aside_ticket ON COMMIT DROP AS
            SELECT t.*, it.issued_at FROM {t}.ticket t JOIN {i}.issued_ticket it ON false WITH NO DATA;
            """;

    /**
     * With the triggers off, the audit trail of the tickets this transaction issued ({@link #ISSUED_TICKETS}: their
     * issued_at is the transaction's start), one entry per event like {@link #batchAudit}'s, marked {@code issued}.
     */
    static final String ISSUED_TICKETS_AUDIT = """
            INSERT INTO {t}.audit_log (actor, action, entity_type, entity_id, event_id, new_values)
            SELECT {t}.audit_actor(), 'INSERT', 'legacy_import', it.event_id, it.event_id,
                   jsonb_build_object('table', 'ticket', 'issued', true, 'rows', count(*), 'ids', jsonb_agg(it.ticket_id ORDER BY it.ticket_id))
              FROM {i}.issued_ticket it WHERE it.issued_at = now() GROUP BY it.event_id ORDER BY it.event_id;
            """;

    /** The tickets the import issued ({@link #ISSUED_TICKETS}) as a relation: empty for an import made before it recorded them. */
    static String issuedTickets(Connection connection) throws SQLException {
        return Jdbc.exists(connection, LegacyImporter.IMPORT_SCHEMA, "issued_ticket") ? LegacyImporter.IMPORT_SCHEMA + ".issued_ticket"
                : "(SELECT NULL::uuid AS event_id, NULL::uuid AS ticket_id, NULL::uuid AS booking_id, NULL::uuid AS seat_id WHERE false)";
    }

    /** The users of the batch (batch_rows), with the first rule each breaks. */
    private static final String USER_ROWS = """
            CREATE TEMP TABLE batch_rows ON COMMIT DROP AS
            SELECT u.id AS legacy_id, {i}.legacy_uuid('user', u.id) AS id, n.email, u.name,
                   u."createdAt" AT TIME ZONE 'UTC' AS created_at, least(u."updatedAt" AT TIME ZONE 'UTC', now()) AS updated_at,
                   CASE WHEN {i}.long_id(u.id) THEN 'id longer than 1000 bytes'
                        WHEN position('@' IN n.email) <= 1 THEN 'invalid email'
                        WHEN octet_length(n.email) > 1000 THEN 'email longer than 1000 bytes' -- a key (customer_email_key)
                        -- stored as the database lowers it, it would not be found as the application lowers it (EmailCase)
                        WHEN {i}.email_case_apart(u.email) THEN 'email lowered differently by the database and the application'
                        WHEN {i}.far_date(u."createdAt") OR {i}.far_date(u."updatedAt") THEN 'date out of range' END AS reason
              FROM public."User" u JOIN pg_temp.batch_ids b ON b.id = u.id
             CROSS JOIN LATERAL (SELECT {i}.normal_email(u.email) AS email) n
             WHERE u.id {in_batch};
            -- Customers sign in by their address as the application normalizes it (normal_email): two legacy
            -- users whose addresses differ only in case, or in what shows nothing at their ends, would be one
            -- customer; the lowest legacy id keeps the address (a customer of an earlier batch keeps it too;
            -- one of this batch is decided anew, it may have moved away).
            UPDATE batch_rows r SET reason = 'email of another user, up to case and spaces'
              FROM (SELECT legacy_id
                      FROM (SELECT legacy_id, row_number() OVER (PARTITION BY email ORDER BY legacy_id) AS n
                              FROM batch_rows WHERE reason IS NULL) w
                     WHERE n > 1
                    UNION
                    SELECT b.legacy_id FROM batch_rows b JOIN {t}.customer c ON c.email = b.email AND c.id <> b.id
                     WHERE b.reason IS NULL AND NOT EXISTS (SELECT 1 FROM pg_temp.batch_ids x WHERE x.id = c.legacy_id)) d
             WHERE r.legacy_id = d.legacy_id;
            """;

    /** The events of the batch (batch_rows), with the first rule each breaks. */
    private static final String EVENT_ROWS = """
            CREATE TEMP TABLE batch_rows ON COMMIT DROP AS
            SELECT e.id AS legacy_id, {i}.legacy_uuid('event', e.id) AS id, e.title, e.description, e.venue,
                   e."startDate" AT TIME ZONE 'UTC' AS starts_at, e."endDate" AT TIME ZONE 'UTC' AS ends_at,
                   {i}.map_status('event', e.status) AS status,
                   e."createdAt" AT TIME ZONE 'UTC' AS created_at, least(e."updatedAt" AT TIME ZONE 'UTC', now()) AS updated_at,
                   CASE WHEN {i}.long_id(e.id) THEN 'id longer than 1000 bytes'
                        WHEN {i}.map_status('event', e.status) IS NULL THEN 'unknown status'
                        WHEN NOT {i}.has_visible_text(e.title) THEN 'blank title'
                        WHEN {i}.far_date(e."startDate") OR {i}.far_date(e."endDate")
                             OR {i}.far_date(e."createdAt") OR {i}.far_date(e."updatedAt") THEN 'date out of range'
                        WHEN e."endDate" < e."startDate" THEN 'ends before start' END AS reason
              FROM public."Event" e JOIN pg_temp.batch_ids b ON b.id = e.id
             WHERE e.id {in_batch};
            """;

    /**
     * The bookings of the batch (batch_rows, with the first booking-level rule each breaks) and
     * the distinct seats each lists (batch_seats, with the first rule the pair breaks), for the
     * bookings that break no booking-level rule.
     */
    private static final String BOOKING_SEATS = """
            CREATE TEMP TABLE batch_rows ON COMMIT DROP AS
            SELECT b.id AS legacy_id, {i}.legacy_uuid('booking', b.id) AS id, b."eventId" AS legacy_event_id,
                   ev.id AS event_id, cu.id AS customer_id, b."totalAmount" AS total_amount,
                   {i}.map_status('booking', b.status) AS status, d.ids AS seat_ids,
                   b."createdAt" AT TIME ZONE 'UTC' AS created_at, least(b."updatedAt" AT TIME ZONE 'UTC', now()) AS updated_at,
                   NULL::text AS review_reason,
                   CASE WHEN {i}.long_id(b.id) THEN 'id longer than 1000 bytes'
                        WHEN ev.id IS NULL AND NOT EXISTS (SELECT 1 FROM public."Event" x WHERE x.id = b."eventId") THEN 'unknown event'
                        WHEN ev.id IS NULL THEN 'event quarantined'
                        WHEN cu.id IS NULL AND NOT EXISTS (SELECT 1 FROM public."User" x WHERE x.id = b."userId") THEN 'unknown customer'
                        WHEN cu.id IS NULL THEN 'customer quarantined'
                        WHEN {i}.map_status('booking', b.status) IS NULL THEN 'unknown status'
                        WHEN d.problem IS NOT NULL THEN d.problem
                        WHEN cardinality(d.ids) = 0 THEN 'no seats'
                        WHEN b."totalAmount" < 0 THEN 'negative amount'
                        WHEN {whole_cur} AND b."totalAmount" <> trunc(b."totalAmount") THEN 'amount with decimals, which {cur} has none of'
                        WHEN {i}.far_date(b."createdAt") OR {i}.far_date(b."updatedAt") THEN 'date out of range' END AS reason
              FROM public."Booking" b JOIN pg_temp.batch_ids x ON x.id = b.id
              LEFT JOIN {t}.event ev ON ev.legacy_id = b."eventId"
              LEFT JOIN {t}.customer cu ON cu.legacy_id = b."userId"
              CROSS JOIN LATERAL {i}.decode_seats(b.seats) AS d
             WHERE b.id {in_batch};
            CREATE TEMP TABLE batch_seats ON COMMIT DROP AS
            SELECT DISTINCT r.legacy_id AS booking_legacy_id, r.created_at, r.status, x.seat_legacy_id,
                   st.event_id, st.id AS seat_id, st.price,
                   -- a seat found in the booking's event is the legacy seat of that event; the legacy
                   -- table is read only for those not found (a lookup per seat cost a third of the step)
                   CASE WHEN st.id IS NOT NULL THEN NULL
                        WHEN NOT EXISTS (SELECT 1 FROM public."Seat" ls WHERE ls.id = x.seat_legacy_id) THEN 'unknown seat'
                        WHEN EXISTS (SELECT 1 FROM public."Seat" ls WHERE ls.id = x.seat_legacy_id AND ls."eventId" <> r.legacy_event_id)
                             THEN 'seat of another event'
                        ELSE 'seat quarantined' END AS reason
              FROM batch_rows r CROSS JOIN LATERAL unnest(r.seat_ids) AS x(seat_legacy_id)
              LEFT JOIN {t}.seat st ON st.event_id = r.event_id AND st.legacy_id = x.seat_legacy_id
             WHERE r.reason IS NULL;
            ANALYZE batch_rows (legacy_id, reason);
            ANALYZE batch_seats (booking_legacy_id, seat_legacy_id, event_id, seat_id, status, reason);
            """;

    /**
     * A cancelled booking that had been paid (a checkout of it completed, or it has tickets,
     * quarantined ones included) was refunded, not a failed payment: it keeps a confirmed_at, the
     * earliest sign of the payment. Filled in by the checkouts' and the tickets' batches (the
     * legacy tables have no index to find them from the booking's side). Arguments: the batch's
     * column holding the booking's event, the condition for a sign, the column holding its time.
     */
    private static final String PAID_BEFORE_CANCELLED = """
            UPDATE {t}.booking b SET confirmed_at = least(coalesce(b.confirmed_at, x.at), x.at, b.cancelled_at)
              FROM (SELECT %1$s AS event_id, booking_id, min(%3$s) AS at FROM batch_rows
                     WHERE booking_id IS NOT NULL AND %2$s GROUP BY 1, 2) x
             WHERE b.event_id = x.event_id AND b.id = x.booking_id AND b.status = 'CANCELLED'
               AND b.confirmed_at IS DISTINCT FROM least(coalesce(b.confirmed_at, x.at), x.at, b.cancelled_at);
            """;

    /**
     * A pending booking whose checkout expired before the import without a payment result, and of
     * which no other checkout still runs, will never be paid: cancelled at that expiry, its seats
     * released, marked for review (the same rule as {@code expired_unpaid_bookings()}, which verify uses).
     */
    private static final String EXPIRED_UNPAID = """
            -- Guarded: the check for another running checkout reads the whole legacy table (no index on
            -- "bookingId"), which every batch and catch-up round would pay although stale checkouts are rare.
            DO $$
            BEGIN
                IF EXISTS (SELECT 1 FROM batch_rows WHERE reason IS NULL AND expired_unpaid) THEN
                    UPDATE {t}.booking b SET status = 'CANCELLED', cancelled_at = x.expired_at,
                           review_reason = concat_ws('; ', b.review_reason, 'checkout expired before the import without a payment result')
                      FROM (SELECT booking_event_id, booking_id, booking_legacy_id, max(expires_at) AS expired_at FROM batch_rows
                             WHERE reason IS NULL AND expired_unpaid GROUP BY 1, 2, 3) x
                     WHERE b.event_id = x.booking_event_id AND b.id = x.booking_id AND b.status = 'PENDING'
                       AND NOT EXISTS (SELECT 1 FROM public."PaymentSession" o JOIN public."Booking" ob ON ob.id = o."bookingId"
                                        WHERE o."bookingId" = x.booking_legacy_id
                                          AND {i}.checkout_status(o.status, ob.status, o."expiresAt", {i}.import_started()) IN ('OPEN', 'PROCESSING'));
                    UPDATE {t}.booked_seat bs SET released_at = b.cancelled_at
                      FROM batch_rows r JOIN {t}.booking b ON b.event_id = r.booking_event_id AND b.id = r.booking_id
                     WHERE r.reason IS NULL AND r.expired_unpaid AND b.status = 'CANCELLED'
                       AND bs.event_id = b.event_id AND bs.booking_id = b.id AND bs.released_at IS NULL;
                END IF;
            END
            $$;
            """;

    /**
     * A range condition on the batch's legacy ids, besides the join with pg_temp.batch_ids: the
     * planner then reads the batch's rows by index instead of scanning the whole legacy table for
     * every batch, which at a million seats costs more than the rest of the copy.
     */
    private static final String IN_BATCH = "BETWEEN (SELECT min(id) FROM pg_temp.batch_ids) AND (SELECT max(id) FROM pg_temp.batch_ids)";

    /**
     * {in_batch} in a catch-up round: none. Its changed ids are scattered over the whole table, so IN_BATCH's range
     * covered nearly every row, and the planner, which cannot see the range's bounds, read them all (a bitmap scan of a
     * million seats for 2,467 changed ones, 650 ms at a million seats, each changed table likewise); without it the
     * rows are looked up by key.
     */
    private static final String ANY_ID = "IS NOT NULL";

    /** The legacy tables, in the order the import moves them, and the order {@code rollback} restores them. */
    static final List<String> LEGACY_TABLES = List.of("User", "Event", "Seat", "Booking", "PaymentSession", "_PaymentSessionToSeat", "Ticket");

    private final String legacyTable;
    private final String kind;
    private final String sql;
    private final String onConflict;
    private final String removals;

    ImportStep(String legacyTable, String kind, String sql) {
        this(legacyTable, kind, sql, "", "");
    }

    /**
     * A step whose rows the catch-up imports again in place: {@code sql} ends with its INSERT,
     * {@code onConflict} completes that INSERT, and {@code removals} takes out the rows of the batch
     * that are quarantined now. The copy runs without either: a batch's rows are not in the target
     * yet (a batch commits with its checkpoint), and an upsert costs twice an insert.
     */
    ImportStep(String legacyTable, String kind, String sql, String onConflict, String removals) {
        this.legacyTable = legacyTable;
        this.kind = kind;
        this.sql = sql;
        this.onConflict = onConflict;
        this.removals = removals;
    }

    /** The legacy table whose ids drive the keyset (for RECONCILE: the events whose seats it reconciles). */
    String legacyTable() {
        return legacyTable;
    }

    String kind() {
        return kind;
    }

    /**
     * The legacy column naming the event of each row, by which the copy shares the step's rows
     * among its connections; null for a step whose rows meet across events (two users' addresses)
     * or that is too small to share.
     */
    String shareColumn() {
        return switch (this) {
            case USER, EVENT -> null;
            case SEAT, CLAIMS, BOOKING, PAYMENT_SESSION, TICKET -> "\"eventId\"";
            case RECONCILE -> "id";
        };
    }

    /** The new schema's tables the step writes (its batches' own bookkeeping aside). */
    List<String> targetTables() {
        return switch (this) {
            case USER -> List.of("customer");
            case EVENT -> List.of("event");
            case SEAT -> List.of("seat");
            case BOOKING -> List.of("booking", "booked_seat");
            case PAYMENT_SESSION -> List.of("payment_session", "payment_session_seat");
            case TICKET -> List.of("ticket");
            case CLAIMS, RECONCILE -> List.of();
        };
    }

    /**
     * The unique and primary keys of the step's tables that the copy builds once after the step, as
     * it does the non-unique indexes, instead of row by row: keys that no statement of the step reads
     * and that the copy cannot break, however long it reads (a legacy id is the legacy primary key,
     * read once, and the new id is derived from it; the copy inserts without ON CONFLICT, a batch's
     * rows not being in the target before it commits; a migrated booking has no checkout of its own
     * yet; a booking's seats are distinct, a checkout's seats are the legacy join table's key). Each
     * one maintained during the copy cost an index insert a row, at a random place, and its WAL
     * record: the primary keys alone were 45 % of the btree records of a 1M-seat copy. Not the
     * customers' and events' keys (small, and the users' batches read their own table by id), nor the
     * tickets' codes: unique in the legacy schema at any one moment only, a code that the app moves to
     * another ticket while the copy runs would be copied twice, and the key built after the step would
     * fail (kept, it refuses the second one, which the catch-up imports once the first has let go of
     * the code).
     */
    List<String> deferredKeys() {
        return switch (this) {
            case USER -> List.of("customer_legacy_id_key");
            case EVENT -> List.of("event_legacy_id_key");
            case SEAT -> List.of("seat_pkey", "seat_legacy_id_key");
            case BOOKING -> List.of("booking_pkey", "booked_seat_pkey", "booking_legacy_id_key", "booking_payment_session_key");
            case PAYMENT_SESSION -> List.of("payment_session_pkey", "payment_session_seat_pkey", "payment_session_legacy_id_key");
            case TICKET -> List.of("ticket_pkey", "ticket_legacy_id_key");
            case CLAIMS, RECONCILE -> List.of();
        };
    }

    /**
     * The batch's statements in a copy that runs with the new schema's triggers off (see
     * {@link ImportSession#useBulkLoad}), and the audit trail of what it inserted ({@link #batchAudit}).
     */
    String bulkSql(String target, String importSchema, String currency) {
        return sql(target, importSchema, currency, Pass.COPY) + batchAudit(target, "INSERT", "legacy_import");
    }

    /**
     * With the triggers off, the audit trail of the rows the batch wrote (batch_rows without a
     * reason): one entry per event ({@code entity_id} the event) naming them by id and legacy id,
     * where the row triggers would write one entry per row; nothing for the tables the triggers
     * do not audit either.
     */
    String batchAudit(String target, String action, String entityType) {
        if (this == RECONCILE) {
            return ISSUED_TICKETS_AUDIT.replace("{t}", target).replace("{i}", LegacyImporter.IMPORT_SCHEMA);
        }
        String table = switch (this) {
            case EVENT -> "event";
            case BOOKING -> "booking";
            case PAYMENT_SESSION -> "payment_session";
            case TICKET -> "ticket";
            default -> null;
        };
        return table == null ? "" : """
                INSERT INTO {t}.audit_log (actor, action, entity_type, entity_id, event_id, new_values)
                SELECT {t}.audit_actor(), '%3$s', '%4$s', %2$s, %2$s,
                       jsonb_build_object('table', '%1$s', 'rows', count(*), 'ids', jsonb_agg(r.id ORDER BY r.legacy_id),
                                          'legacyIds', jsonb_agg(r.legacy_id ORDER BY r.legacy_id))
                  FROM batch_rows r WHERE r.reason IS NULL GROUP BY %2$s ORDER BY %2$s;
                """.formatted(table, this == EVENT ? "r.id" : "r.event_id", action, entityType).replace("{t}", target);
    }

    /** The first copy of every legacy row, or the catch-up's import of changed rows again. */
    enum Pass { COPY, CATCH_UP }

    /** The batch's statements, with the quarantine of its bad rows. */
    String sql(String target, String importSchema, String currency, Pass pass) {
        String body = onConflict.isEmpty() ? sql : sql + (pass == Pass.COPY ? ";\n" : "\n" + onConflict + removals);
        String quarantine = this == RECONCILE || this == CLAIMS ? "" : """
                DELETE FROM {i}.quarantine q USING pg_temp.batch_ids b WHERE q.table_name = '%1$s' AND q.legacy_id = b.id;
                INSERT INTO {i}.quarantine (table_name, legacy_id, batch_key, reason, payload)
                SELECT '%1$s', r.legacy_id, r.legacy_id, r.reason, to_jsonb(l)
                  FROM batch_rows r JOIN public.%2$s l ON l.id = r.legacy_id WHERE r.reason IS NOT NULL;
                """.formatted(legacyTable, Jdbc.quoteIdent(legacyTable));
        String pairs = switch (this) {
            case PAYMENT_SESSION -> """
                    DELETE FROM {i}.quarantine q USING pg_temp.batch_ids b WHERE q.table_name = '_PaymentSessionToSeat' AND q.batch_key = b.id;
                    """;
            case BOOKING -> """
                    DELETE FROM {i}.quarantine q USING pg_temp.batch_ids b WHERE q.table_name = 'Booking.seats' AND q.batch_key = b.id;
                    """;
            default -> "";
        };
        String prologue = "DROP TABLE IF EXISTS pg_temp.batch_rows, pg_temp.batch_seats, pg_temp.batch_links;\n";
        return seats(pairKeys(claimsInline(prologue + pairs + body + quarantine)), RECONCILE_BATCH_EVENTS)
                .replace("{legacy_status}", "st.status::text").replace("{legacy_seat}", "")
                .replace("{set_aside}", "(SELECT t.*, now() AS issued_at FROM {t}.ticket t WHERE false)")
                .replace("{t}", target).replace("{i}", importSchema).replace("{cur}", currency)
                .replace("{whole_cur}", String.valueOf(Currency.getInstance(currency).getDefaultFractionDigits() == 0))
                .replace("{in_batch}", pass == Pass.COPY ? IN_BATCH : ANY_ID);
    }

    /**
     * The classification alone of a parent step (USER, EVENT): batch_rows with each row's reason,
     * nothing written. The catch-up uses it to find the parents that a change moves between
     * migrated and quarantined, whose children then move along.
     */
    String classification(String target, String importSchema) {
        String rows = switch (this) {
            case USER -> USER_ROWS;
            case EVENT -> EVENT_ROWS;
            default -> throw new IllegalArgumentException(this + " is not a parent step");
        };
        return ("DROP TABLE IF EXISTS pg_temp.batch_rows;\n" + rows).replace("{t}", target).replace("{i}", importSchema)
                .replace("{in_batch}", ANY_ID);
    }

    /**
     * RECONCILE for the seats listed in {@code pg_temp.touched_seats (event_id, id)} only: a
     * catch-up round touches a few seats of many events, and recomputing whole events there costs
     * seconds of the cut-over's write lock.
     */
    static String reconcileTouchedSeats(String target, String importSchema) {
        String claims = """
                DROP TABLE IF EXISTS pg_temp.touched_booked_claims, pg_temp.touched_held_claims;
                CREATE TEMP TABLE touched_booked_claims ON COMMIT DROP AS %s;
                CREATE TEMP TABLE touched_held_claims ON COMMIT DROP AS %s;
                ANALYZE touched_booked_claims;
                ANALYZE touched_held_claims;
                """.formatted(BOOKED_CLAIMS, HELD_CLAIMS);
        return seats(SET_ASIDE_TICKETS + claims + RECONCILE.sql, "(%1$s, %2$s) IN (SELECT event_id, id FROM pg_temp.touched_seats)")
                .replace("{booked_claims}", "pg_temp.touched_booked_claims").replace("{held_claims}", "pg_temp.touched_held_claims")
                .replace("{set_aside}", "pg_temp.set_aside_ticket")
                .replace("{legacy_status}", "{i}.map_status('seat', ls.status)")
                .replace("{legacy_seat}", "JOIN public.\"Seat\" ls ON ls.id = st.legacy_id")
                .replace("{t}", target).replace("{i}", importSchema);
    }

    /**
     * RECONCILE's seats in the copy: those of the batch's events, found by legacy id. (Joined on
     * legacy_uuid() instead, a hash join computes the UUID again for every seat it matches.)
     */
    private static final String RECONCILE_BATCH_EVENTS = "%1$s IN (SELECT e.id FROM {t}.event e JOIN pg_temp.batch_ids b ON e.legacy_id = b.id)";

    /**
     * RECONCILE's active claims ({booked_claims}, {held_claims}) of the seats in scope. In the copy (whole events) they
     * are written inline, for the planner to join as it sees fit. A catch-up round reads them first, into tables of
     * their own: inline, with a few thousand seats of some fifty events, the planner joined those seats to every active
     * booking of their events (the seats' and the bookings' event being one column to it), then each booking to its
     * claims: 1.5 s a statement at a million seats, where reading the claims by seat and the bookings by key takes
     * milliseconds.
     */
    private static final String BOOKED_CLAIMS = """
            SELECT bs.event_id, bs.seat_id, bs.booking_id FROM {t}.booked_seat bs
             WHERE bs.released_at IS NULL AND {seats:bs.event_id,bs.seat_id}""";
    private static final String HELD_CLAIMS = """
            SELECT ps.event_id, ps.seat_id, ps.payment_session_id FROM {t}.payment_session_seat ps
             WHERE ps.released_at IS NULL AND {seats:ps.event_id,ps.seat_id}""";

    private static String claimsInline(String sql) {
        return sql.replace("{booked_claims}", "(" + BOOKED_CLAIMS + ")").replace("{held_claims}", "(" + HELD_CLAIMS + ")");
    }

    /**
     * A pair's name in the quarantine (its legacy_id): "a/b", a '%' or '/' in {@code a} written %25 or %2F, so that no two
     * pairs share one (('p1/q', 's1') is p1%2Fq/s1, ('p1', 'q/s1') p1/q/s1); the legacy app's ids (cuid, UUID) read as they are.
     */
    static String pairKey(String a, String b) {
        return "replace(replace(" + a + ", '%', '%25'), '/', '%2F') || '/' || " + b;
    }

    private static final Pattern PAIR = Pattern.compile("\\{pair:([\\w.\"]+),([\\w.\"]+)}");

    /** The placeholders {pair:first id,second id} filled with {@link #pairKey}. */
    private static String pairKeys(String sql) {
        return PAIR.matcher(sql).replaceAll(m -> Matcher.quoteReplacement(pairKey(m.group(1), m.group(2))));
    }

    private static final Pattern SEATS = Pattern.compile("\\{seats:([\\w.]+),([\\w.]+)}");

    /** RECONCILE's placeholders {seats:event column,seat column} filled with {@code condition} (%1$s the event, %2$s the seat). */
    private static String seats(String sql, String condition) {
        return SEATS.matcher(sql).replaceAll(m -> Matcher.quoteReplacement(condition.formatted(m.group(1), m.group(2))));
    }
}

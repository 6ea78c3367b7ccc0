-- One booking as PostgreSQL sees it when it goes through the API: POST /payment-sessions with an
-- Idempotency-Key, then a signed "succeeded" payment webhook, one transaction each. The statements
-- are the mappers' (XML under persistence-mybatis/src/main/resources/io/ticketing/persistence/mybatis/;
-- where a mapper binds one array parameter, ARRAY[…] of one pgbench variable per element here),
-- in the order and transactions in which the server's log shows them for one booking of an existing
-- customer (`benchmarks/run http-vs-pgbench --show-sql` prints that log). Values the driver binds as
-- parameters are pgbench variables here; only casts the driver's typed binds make unnecessary, and
-- whitespace, differ. pgbench takes a colon followed by a name for a variable even inside quotes, so
-- string constants with such colons (the actors) are split after them: 'system:' || 'api'.
-- booking-before.sql is the same booking before a request became one transaction (the reference).
--
-- HttpVsPgbench expands this file for a booking of N seats (Pgbench.script): text in double square
-- brackets is repeated once per seat, joined by ", ", with n in braces = 1, 2, … and i in braces
-- = 0, 1, …; seats in braces is N. The customers pgbench<client>@example.com exist (setup.sql).
--
-- Not the application's: the first statement. It claims this booking's seats from a queue that the
-- benchmark filled (so that no two clients want the same seat; an index lookup and a nextval) and
-- makes what the application makes in Java: UUIDv7 ids, ticket codes, the request hash, the
-- checkout's answer that the idempotency record keeps, timestamps.

WITH q AS (SELECT * FROM bench.booking_queue_{seats}
            WHERE n = (SELECT nextval('bench.booking_queue_{seats}_n'))),
     made AS (SELECT bench.uuid_v7() AS session_id, clock_timestamp() AS now, 'evt_' || gen_random_uuid() AS provider_event_id)
SELECT q.event_id, [[q.seat{n}, q.price{n}]], q.amount,
       'pgbench' || :client_id::text || '@example.com' AS email,
       'customer:' || 'pgbench' || :client_id::text || '@example.com' AS principal,
       gen_random_uuid()::text AS idempotency_key,
       encode(sha256(uuid_send(gen_random_uuid())), 'hex') AS request_hash,
       bench.uuid_v7() AS new_customer_id,
       made.session_id, made.now, made.now + interval '15 minutes' AS expires_at,
       json_build_object('id', made.session_id, 'eventId', q.event_id, 'customerId', gen_random_uuid(),
                         'seatIds', json_build_array([[q.seat{n}]]),
                         'amount', json_build_object('amount', q.amount::text, 'currency', 'EUR'),
                         'status', 'OPEN', 'createdAt', made.now, 'expiresAt', made.now + interval '15 minutes',
                         'providerReference', NULL)::text AS checkout_answer,
       made.provider_event_id, 'pay_' || made.provider_event_id AS provider_ref,
       bench.uuid_v7() AS booking_id,
       [[bench.uuid_v7() AS ticket{n}, bench.ticket_code() AS code{n}]]
  FROM q, made \gset

-- POST /payment-sessions, one transaction (RequestService): the Idempotency-Key is taken and its
-- answer looked for; the customer is found; CheckoutService.openCheckout (customer, event, quota,
-- seats, policy); the actor is set before the first write; the seats move (one statement: summary
-- shard, seats in id order, the move); the checkout is written once with its seats; its answer kept.
BEGIN;
SELECT pg_try_advisory_xact_lock(hashtext(:principal), hashtext(:idempotency_key));
SELECT request_hash, response_status, response_body
  FROM ticketing.idempotency_key
 WHERE principal = :principal AND key = :idempotency_key
   AND state = 'COMPLETED';
SELECT c.id, c.email, c.name, c.created_at
  FROM ticketing.customer c
 WHERE c.email = :email \gset customer_
SELECT c.id, c.email, c.name, c.created_at
  FROM ticketing.customer c
 WHERE c.id = :customer_id
   FOR UPDATE OF c;
SELECT e.id, e.title, e.description, e.venue, e.starts_at, e.ends_at, e.currency, e.status::text AS status,
       e.deleted_at, e.deleted_by, e.version, e.created_at
  FROM ticketing.event e
 WHERE e.id = :event_id
   FOR SHARE OF e;
SELECT count(*)
  FROM ticketing.payment_session
 WHERE customer_id = :customer_id
   AND status = 'OPEN' AND expires_at > :now;
SELECT s.id, s.event_id, s.section, s."row", s.number, s.price, e.currency, s.status::text AS status, s.version
  FROM ticketing.seat s
  JOIN ticketing.event e ON e.id = s.event_id
 WHERE s.event_id = :event_id
   AND s.id = ANY(ARRAY[ [[:seat{n}]] ]::uuid[])
 ORDER BY s.section, s."row", s.number;
SELECT set_config('ticketing.actor', 'customer:' || :customer_id::text, true);
WITH shard AS MATERIALIZED (
         SELECT ticketing.event_summary_shard_lock(:event_id) AS shard),
     locked AS MATERIALIZED (
         SELECT s.id, s.status
           FROM ticketing.seat s CROSS JOIN shard
          WHERE s.event_id = :event_id
            AND s.id = ANY(ARRAY[ [[:seat{n}]] ]::uuid[])
          ORDER BY s.id
            FOR UPDATE OF s),
     moved AS (
         UPDATE ticketing.seat t
            SET status = 'RESERVED'::ticketing.seat_status, version = t.version + 1
           FROM locked l
          WHERE t.event_id = :event_id
            AND t.id = l.id
            AND (SELECT count(*) FROM locked WHERE status = 'AVAILABLE'::ticketing.seat_status) = {seats}
      RETURNING t.id, t.event_id, t.section, t."row", t.number, t.price, t.status, t.version)
SELECT l.id, l.status::text AS status_before, m.id IS NOT NULL AS moved,
       m.event_id, m.section, m."row", m.number, m.price, e.currency, m.status::text AS status, m.version
  FROM locked l
  LEFT JOIN moved m ON m.id = l.id
  LEFT JOIN ticketing.event e ON e.id = m.event_id
 ORDER BY m.section, m."row", m.number, l.id;
WITH session AS (
    INSERT INTO ticketing.payment_session (event_id, id, customer_id, amount, currency, status, provider_ref,
                                           expires_at, version, created_at)
    VALUES (:event_id, :session_id, :customer_id, :amount, 'EUR', 'OPEN'::ticketing.payment_session_status,
            NULL, :expires_at, 0, :now)
    RETURNING event_id, id)
INSERT INTO ticketing.payment_session_seat (event_id, payment_session_id, seat_id, position)
SELECT session.event_id, session.id, v.seat_id, v.ord
  FROM session, unnest(ARRAY[ [[:seat{n}]] ]::uuid[]) WITH ORDINALITY AS v (seat_id, ord)
 ORDER BY v.ord;
INSERT INTO ticketing.idempotency_key (principal, key, request_hash, state, response_status, response_body)
VALUES (:principal, :idempotency_key, :request_hash, 'COMPLETED', 201, :checkout_answer)
ON CONFLICT (principal, key) DO UPDATE
   SET request_hash = excluded.request_hash, state = excluded.state,
       response_status = excluded.response_status, response_body = excluded.response_body
 WHERE idempotency_key.state = 'IN_FLIGHT';
COMMIT;

-- POST /webhooks/payments "succeeded", one transaction: recorded once (WebhookEventRepository) with
-- its effect, PaymentResultService.applyPaymentResult: the checkout locked and read, the seats
-- RESERVED -> BOOKED, the checkout SUCCEEDED with its claims released, the booking looked for, then
-- written once CONFIRMED with its booked seats and the checkout's link, one ticket a seat.
BEGIN;
INSERT INTO ticketing.processed_webhook_event (provider_event_id, event_type, payment_session_id)
VALUES (:provider_event_id, 'SUCCEEDED', :session_id)
ON CONFLICT (provider_event_id) DO NOTHING;
SELECT ps.id
  FROM ticketing.payment_session ps
 WHERE ps.id = :session_id
   FOR UPDATE OF ps;
SELECT ps.id, ps.event_id, ps.customer_id, ps.amount, ps.currency, ps.status::text AS status, ps.created_at,
       ps.expires_at, ps.provider_ref, pss.seat_id AS link_seat_id
  FROM ticketing.payment_session ps
  LEFT JOIN ticketing.payment_session_seat pss
         ON pss.event_id = ps.event_id AND pss.payment_session_id = ps.id
 WHERE ps.id = :session_id
 ORDER BY pss.position NULLS LAST, pss.created_at, pss.seat_id;
SELECT set_config('ticketing.actor', 'system:' || 'payment-webhook', true);
WITH shard AS MATERIALIZED (
         SELECT ticketing.event_summary_shard_lock(:event_id) AS shard),
     locked AS MATERIALIZED (
         SELECT s.id, s.status
           FROM ticketing.seat s CROSS JOIN shard
          WHERE s.event_id = :event_id
            AND s.id = ANY(ARRAY[ [[:seat{n}]] ]::uuid[])
          ORDER BY s.id
            FOR UPDATE OF s),
     moved AS (
         UPDATE ticketing.seat t
            SET status = 'BOOKED'::ticketing.seat_status, version = t.version + 1
           FROM locked l
          WHERE t.event_id = :event_id
            AND t.id = l.id
            AND (SELECT count(*) FROM locked WHERE status = 'RESERVED'::ticketing.seat_status) = {seats}
      RETURNING t.id, t.event_id, t.section, t."row", t.number, t.price, t.status, t.version)
SELECT l.id, l.status::text AS status_before, m.id IS NOT NULL AS moved,
       m.event_id, m.section, m."row", m.number, m.price, e.currency, m.status::text AS status, m.version
  FROM locked l
  LEFT JOIN moved m ON m.id = l.id
  LEFT JOIN ticketing.event e ON e.id = m.event_id
 ORDER BY m.section, m."row", m.number, l.id;
WITH released AS (
    UPDATE ticketing.payment_session_seat
       SET released_at = now()
     WHERE event_id = :event_id
       AND payment_session_id = :session_id
       AND released_at IS NULL
       AND true)
UPDATE ticketing.payment_session
   SET status       = 'SUCCEEDED'::ticketing.payment_session_status,
       amount       = :amount,
       provider_ref = :provider_ref,
       expires_at   = :expires_at,
       version      = version + 1
 WHERE event_id = :event_id
   AND id = :session_id
   AND status = 'OPEN'::ticketing.payment_session_status;
SELECT b.id, b.event_id, b.customer_id, b.payment_session_id, b.total_amount, e.currency, b.status::text AS status,
       b.created_at, b.confirmed_at, b.cancelled_at, bs.seat_id AS bs_seat_id, bs.price AS bs_price
  FROM ticketing.payment_session ps
  JOIN ticketing.booking b ON b.event_id = ps.event_id AND b.payment_session_id = ps.id
  JOIN ticketing.event e ON e.id = b.event_id
  LEFT JOIN ticketing.booked_seat bs ON bs.event_id = b.event_id AND bs.booking_id = b.id
  LEFT JOIN ticketing.seat s ON s.event_id = bs.event_id AND s.id = bs.seat_id
 WHERE ps.id = :session_id
 ORDER BY s.section, s."row", s.number;
WITH booking AS (
    INSERT INTO ticketing.booking (event_id, id, customer_id, payment_session_id, total_amount, status,
                                   confirmed_at, cancelled_at, review_reason, version, created_at)
    VALUES (:event_id, :booking_id, :customer_id, :session_id, :amount, 'CONFIRMED'::ticketing.booking_status,
            :now, NULL, NULL, 0, :now)
    RETURNING event_id, id),
     linked AS (
    UPDATE ticketing.payment_session
       SET booking_id = :booking_id
     WHERE event_id = :event_id
       AND id = :session_id::uuid)
INSERT INTO ticketing.booked_seat (event_id, booking_id, seat_id, price, released_at)
SELECT booking.event_id, booking.id, v.seat_id, v.price, CASE WHEN false THEN now() END
  FROM booking, unnest(ARRAY[ [[:seat{n}]] ]::uuid[], ARRAY[ [[:price{n}]] ]::numeric[]) AS v (seat_id, price);
INSERT INTO ticketing.ticket (event_id, id, booking_id, seat_id, customer_id, code, status, checked_in_at,
                              version, created_at)
SELECT t.event_id, t.id, t.booking_id, t.seat_id, t.customer_id, t.code, t.status::ticketing.ticket_status,
       t.checked_in_at, 0, t.created_at
  FROM unnest(ARRAY[ [[:event_id]] ]::uuid[], ARRAY[ [[:ticket{n}]] ]::uuid[], ARRAY[ [[:booking_id]] ]::uuid[],
              ARRAY[ [[:seat{n}]] ]::uuid[], ARRAY[ [[:customer_id]] ]::uuid[], ARRAY[ [[:code{n}]] ]::text[],
              ARRAY[ [['VALID']] ]::text[], ARRAY[ [[NULL]] ]::timestamptz[], ARRAY[ [[:now]] ]::timestamptz[])
       AS t (event_id, id, booking_id, seat_id, customer_id, code, status, checked_in_at, created_at);
COMMIT;

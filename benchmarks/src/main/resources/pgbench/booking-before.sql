-- The REFERENCE: one booking as PostgreSQL saw it before a request became one transaction (46
-- statements with BEGIN/COMMIT, in five transactions: the idempotency claim, the customer lookup,
-- the checkout, the idempotency record, the webhook). Kept unchanged so that http-vs-pgbench can
-- show, side by side in one run, what the stack now does against what the database alone did with
-- that SQL. It is not checked against the API (booking.sql is); the tables are the same.
--
-- HttpVsPgbench expands this file for a booking of N seats (Pgbench.script): text in double square
-- brackets is repeated once per seat, joined by ", ", with n in braces = 1, 2, … and i in braces
-- = 0, 1, …; seats in braces is N.
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

-- POST /payment-sessions: the Idempotency-Key is claimed (IdempotencyRepository.claim) ...
BEGIN;
SELECT set_config('ticketing.actor', 'system', true);
INSERT INTO ticketing.idempotency_key (principal, key, request_hash)
VALUES (:principal, :idempotency_key, :request_hash)
ON CONFLICT (principal, key) DO NOTHING;
COMMIT;

-- ... the bearer token's customer is registered on first use, else found (CustomerMapper) ...
BEGIN;
SELECT set_config('ticketing.actor', 'system:' || 'api', true);
INSERT INTO ticketing.customer (id, email, name, created_at)
VALUES (:new_customer_id, :email, :email, :now)
ON CONFLICT (email) DO NOTHING;
SELECT c.id, c.email, c.name, c.created_at
  FROM ticketing.customer c
 WHERE c.email = :email \gset customer_
COMMIT;

-- ... the checkout: CheckoutService.openCheckout (customer, event, limits, seats, then the seat
-- transition of SeatPersistenceAdapter.transitionSeats: summary shard, seats in id order, update) ...
BEGIN;
SELECT set_config('ticketing.actor', 'customer:' || :customer_id::text, true);
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
   AND (status = 'PROCESSING' OR (status = 'OPEN' AND expires_at > :now));
SELECT s.id, s.event_id, s.section, s."row", s.number, s.price, e.currency, s.status::text AS status, s.version
  FROM ticketing.seat s
  JOIN ticketing.event e ON e.id = s.event_id
 WHERE s.event_id = :event_id
   AND s.id IN ([[:seat{n}]])
 ORDER BY s.section, s."row", s.number;
INSERT INTO ticketing.payment_session (event_id, id, customer_id, amount, currency, status, provider_ref,
                                      expires_at, version, created_at)
VALUES (:event_id, :session_id, :customer_id, 0.00, 'EUR', 'OPEN'::ticketing.payment_session_status,
        NULL, :expires_at, 0, :now);
SELECT ticketing.event_summary_shard_lock(:event_id);
SELECT s.id, s.status::text AS status FROM ticketing.seat s
 WHERE s.event_id = :event_id
   AND s.id IN ([[:seat{n}]])
 ORDER BY s.id
   FOR UPDATE;
UPDATE ticketing.seat
   SET status = 'RESERVED'::ticketing.seat_status, version = version + 1
 WHERE event_id = :event_id
   AND id IN ([[:seat{n}]])
   AND status = 'AVAILABLE'::ticketing.seat_status;
SELECT s.id, s.event_id, s.section, s."row", s.number, s.price, e.currency, s.status::text AS status, s.version
  FROM ticketing.seat s
  JOIN ticketing.event e ON e.id = s.event_id
 WHERE s.event_id = :event_id
   AND s.id IN ([[:seat{n}]])
 ORDER BY s.section, s."row", s.number;
UPDATE ticketing.payment_session
   SET status       = 'OPEN'::ticketing.payment_session_status,
       amount       = :amount,
       provider_ref = NULL,
       expires_at   = :expires_at,
       version      = version + 1
 WHERE event_id = :event_id
   AND id = :session_id
   AND status = 'OPEN'::ticketing.payment_session_status;
INSERT INTO ticketing.payment_session_seat (event_id, payment_session_id, seat_id, position)
SELECT :event_id::uuid, :session_id::uuid, v.seat_id,
       coalesce((SELECT max(l.position)
                   FROM ticketing.payment_session_seat l
                  WHERE l.event_id = :event_id AND l.payment_session_id = :session_id), 0) + v.ord + 1
  FROM (VALUES [[(:seat{n}::uuid, {i}::int)]]) AS v (seat_id, ord)
 ORDER BY v.ord
ON CONFLICT (event_id, payment_session_id, seat_id) DO NOTHING;
COMMIT;

-- ... and its answer is kept for retries (IdempotencyRepository.complete).
BEGIN;
SELECT set_config('ticketing.actor', 'system', true);
UPDATE ticketing.idempotency_key
   SET state = 'COMPLETED', response_status = 201, response_body = :checkout_answer
 WHERE principal = :principal AND key = :idempotency_key;
COMMIT;

-- POST /webhooks/payments "succeeded": recorded once (WebhookEventRepository) in the transaction of
-- its effect, PaymentResultService.applyPaymentResult: checkout SUCCEEDED, its seat claims released,
-- booking PENDING then CONFIRMED with its booked seats, seats RESERVED -> BOOKED, one ticket a seat.
BEGIN;
SELECT set_config('ticketing.actor', 'system:' || 'payment-webhook', true);
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
UPDATE ticketing.payment_session
   SET status       = 'SUCCEEDED'::ticketing.payment_session_status,
       amount       = :amount,
       provider_ref = :provider_ref,
       expires_at   = :expires_at,
       version      = version + 1
 WHERE event_id = :event_id
   AND id = :session_id
   AND status = 'OPEN'::ticketing.payment_session_status;
INSERT INTO ticketing.payment_session_seat (event_id, payment_session_id, seat_id, position)
SELECT :event_id::uuid, :session_id::uuid, v.seat_id,
       coalesce((SELECT max(l.position)
                   FROM ticketing.payment_session_seat l
                  WHERE l.event_id = :event_id AND l.payment_session_id = :session_id), 0) + v.ord + 1
  FROM (VALUES [[(:seat{n}::uuid, {i}::int)]]) AS v (seat_id, ord)
 ORDER BY v.ord
ON CONFLICT (event_id, payment_session_id, seat_id) DO NOTHING;
UPDATE ticketing.payment_session_seat
   SET released_at = now()
 WHERE event_id = :event_id
   AND payment_session_id = :session_id
   AND released_at IS NULL;
SELECT b.id, b.event_id, b.customer_id, b.payment_session_id, b.total_amount, e.currency, b.status::text AS status,
       b.created_at, b.confirmed_at, b.cancelled_at, bs.seat_id AS bs_seat_id, bs.price AS bs_price
  FROM ticketing.payment_session ps
  JOIN ticketing.booking b ON b.event_id = ps.event_id AND b.payment_session_id = ps.id
  JOIN ticketing.event e ON e.id = b.event_id
  LEFT JOIN ticketing.booked_seat bs ON bs.event_id = b.event_id AND bs.booking_id = b.id
  LEFT JOIN ticketing.seat s ON s.event_id = bs.event_id AND s.id = bs.seat_id
 WHERE ps.id = :session_id
 ORDER BY s.section, s."row", s.number;
SELECT s.id, s.event_id, s.section, s."row", s.number, s.price, e.currency, s.status::text AS status, s.version
  FROM ticketing.seat s
  JOIN ticketing.event e ON e.id = s.event_id
 WHERE s.event_id = :event_id
   AND s.id IN ([[:seat{n}]])
 ORDER BY s.section, s."row", s.number;
INSERT INTO ticketing.booking (event_id, id, customer_id, payment_session_id, total_amount, status,
                               confirmed_at, cancelled_at, version, created_at)
VALUES (:event_id, :booking_id, :customer_id, :session_id, :amount, 'PENDING'::ticketing.booking_status,
        NULL, NULL, 0, :now);
INSERT INTO ticketing.booked_seat (event_id, booking_id, seat_id, price, released_at)
VALUES [[(:event_id, :booking_id, :seat{n}, :price{n}, NULL)]];
UPDATE ticketing.payment_session
   SET booking_id = :booking_id
 WHERE event_id = :event_id
   AND id = :session_id;
UPDATE ticketing.booking
   SET status       = 'CONFIRMED'::ticketing.booking_status,
       confirmed_at = :now,
       cancelled_at = NULL,
       version      = version + 1
 WHERE event_id = :event_id
   AND id = :booking_id
   AND status = 'PENDING'::ticketing.booking_status;
SELECT ticketing.event_summary_shard_lock(:event_id);
SELECT s.id, s.status::text AS status FROM ticketing.seat s
 WHERE s.event_id = :event_id
   AND s.id IN ([[:seat{n}]])
 ORDER BY s.id
   FOR UPDATE;
UPDATE ticketing.seat
   SET status = 'BOOKED'::ticketing.seat_status, version = version + 1
 WHERE event_id = :event_id
   AND id IN ([[:seat{n}]])
   AND status = 'RESERVED'::ticketing.seat_status;
INSERT INTO ticketing.ticket (event_id, id, booking_id, seat_id, customer_id, code, status, checked_in_at,
                              version, created_at)
VALUES [[(:event_id, :ticket{n}, :booking_id, :seat{n}, :customer_id, :code{n}, 'VALID'::ticketing.ticket_status,
          NULL, 0, :now)]];
COMMIT;

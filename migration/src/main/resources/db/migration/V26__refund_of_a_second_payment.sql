-- V26: a refund request may give back a payment that is not its checkout's own. A provider that charged one checkout
-- twice reports a second success under another payment reference: that money is refunded under a booking of its own
-- (cancelled, paid), whose request names the payment (provider_payment_ref). NULL, as for every request before V26:
-- the checkout's provider_ref, read when the refund is sent.
--
-- Such a checkout has two refund requests, which the provider's `refunded` report tells apart by the refund's
-- reference; the report finds the second through a partial index of the few requests that name their payment.
-- refund_request is populated by now, so the index is built CONCURRENTLY (writes go on while it builds), which cannot
-- run inside a transaction: V26__refund_of_a_second_payment.sql.conf turns Flyway's transaction off. Each statement is
-- safe to run again (IF NOT EXISTS; an interrupted build's INVALID index dropped first).

SET lock_timeout = '5s';
-- Long enough for a large refund_request table; the build itself does not block writes.
SET statement_timeout = '30min';

ALTER TABLE ticketing.refund_request ADD COLUMN IF NOT EXISTS provider_payment_ref text;
COMMENT ON COLUMN ticketing.refund_request.provider_payment_ref IS
    'The provider''s reference of the payment to refund when it is not the checkout''s provider_ref (a second payment of the checkout); NULL: the checkout''s.';

DROP INDEX CONCURRENTLY IF EXISTS ticketing.refund_request_second_payment_idx;
CREATE INDEX CONCURRENTLY IF NOT EXISTS refund_request_second_payment_idx
    ON ticketing.refund_request (event_id, payment_session_id) WHERE provider_payment_ref IS NOT NULL;

RESET lock_timeout;
RESET statement_timeout;

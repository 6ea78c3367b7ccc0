-- V11: a customer's open and processing checkouts, counted at every checkout (the quota of
-- CheckoutLimits) without reading the customer's whole history. payment_session_customer_idx holds
-- every checkout a customer ever made, so the count read more of it with each booking: a box-office
-- account or a returning customer with thousands of past checkouts paid for all of them each time.
-- This index holds only the live ones (a handful per customer at most).
--
-- payment_session is populated by now, so the index is built CONCURRENTLY (writes go on while it
-- builds), which cannot run inside a transaction: V11__customer_active_checkouts_index.sql.conf turns
-- Flyway's transaction off. Were the build interrupted it would leave an INVALID index behind;
-- dropping it first makes the script safe to run again.

SET lock_timeout = '5s';
-- Long enough for a large payment_session table; the build itself does not block writes.
SET statement_timeout = '30min';

DROP INDEX CONCURRENTLY IF EXISTS ticketing.payment_session_customer_active_idx;
CREATE INDEX CONCURRENTLY IF NOT EXISTS payment_session_customer_active_idx
    ON ticketing.payment_session (customer_id) WHERE status IN ('OPEN', 'PROCESSING');

RESET lock_timeout;
RESET statement_timeout;

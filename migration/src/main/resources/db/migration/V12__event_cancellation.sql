-- V12: cancelling an event as one operation, run in batches: the cancellation and its progress (the
-- checkpoint every batch commits with its effect), and the refund outbox its paid bookings fill.
--
-- event_cancellation: one row per cancelled event: who asked, why, when, what there was to undo when it
-- started (…_total) and what is undone (…_done). A batch locks the row (FOR UPDATE) first, so two runners
-- of the same cancellation take turns and each continues where the last committed batch stopped.
--
-- refund_request: the outbox of refunds owed, one row per booking at most (refund_request_booking_key):
-- written in the transaction that cancels the booking, so a refund is owed exactly when the booking is
-- cancelled; a refund worker sends REQUESTED rows to the payment provider (claiming them with SKIP LOCKED
-- through refund_request_due_idx, retrying with attempts and next_attempt_at, under its own
-- provider_idempotency_key) and records the outcome (SENT, REFUNDED or FAILED, provider_refund_ref,
-- last_error).
--
-- Both tables are new and empty: creating them and their indexes locks nobody out. The audit trail records
-- each cancellation's insert and each change of its state (not every batch's counters), and every refund
-- request. Flyway runs this script in one transaction: a failure rolls it back whole, so it re-runs as is
-- (migration/squawk-waivers.md):
-- squawk-ignore-file prefer-robust-stmts, require-concurrent-index-creation

SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';

CREATE TABLE ticketing.event_cancellation (
    id                uuid        NOT NULL DEFAULT gen_random_uuid(),
    event_id          uuid        NOT NULL,
    reason            text        NOT NULL,
    requested_by      text        NOT NULL,
    requested_at      timestamptz NOT NULL,
    state             text        NOT NULL DEFAULT 'RUNNING',
    bookings_total    bigint      NOT NULL DEFAULT 0,
    bookings_done     bigint      NOT NULL DEFAULT 0,
    checkouts_total   bigint      NOT NULL DEFAULT 0,
    checkouts_done    bigint      NOT NULL DEFAULT 0,
    seats_total       bigint      NOT NULL DEFAULT 0,
    seats_done        bigint      NOT NULL DEFAULT 0,
    refunds_requested bigint      NOT NULL DEFAULT 0,
    finished_at       timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT event_cancellation_pkey PRIMARY KEY (id),
    CONSTRAINT event_cancellation_event_key UNIQUE (event_id),
    CONSTRAINT event_cancellation_event_fkey FOREIGN KEY (event_id) REFERENCES ticketing.event (id),
    CONSTRAINT event_cancellation_reason_check CHECK (btrim(reason) <> '' AND length(reason) <= 500),
    CONSTRAINT event_cancellation_state_check CHECK (state IN ('RUNNING', 'DONE')),
    CONSTRAINT event_cancellation_finished_check CHECK ((state = 'DONE') = (finished_at IS NOT NULL)),
    CONSTRAINT event_cancellation_progress_check CHECK (
        bookings_done BETWEEN 0 AND bookings_total AND checkouts_done BETWEEN 0 AND checkouts_total
        AND seats_done BETWEEN 0 AND seats_total AND refunds_requested >= 0)
);
-- The worker's question: which cancellations are still running, oldest first.
CREATE INDEX event_cancellation_running_idx ON ticketing.event_cancellation (requested_at, event_id)
    WHERE state = 'RUNNING';

CREATE TABLE ticketing.refund_request (
    event_id                 uuid           NOT NULL,
    id                       uuid           NOT NULL DEFAULT gen_random_uuid(),
    booking_id               uuid           NOT NULL,
    customer_id              uuid           NOT NULL,
    -- The checkout that took the money (whose provider_ref the provider refunds); NULL for a migrated booking.
    payment_session_id       uuid,
    amount                   numeric(10, 2) NOT NULL,
    currency                 text           NOT NULL,
    reason                   text           NOT NULL,
    status                   text           NOT NULL DEFAULT 'REQUESTED',
    provider_idempotency_key text           NOT NULL,
    -- squawk-ignore prefer-bigint-over-int
    attempts                 integer        NOT NULL DEFAULT 0,
    next_attempt_at          timestamptz    NOT NULL DEFAULT now(),
    last_error               text,
    provider_refund_ref      text,
    requested_at             timestamptz    NOT NULL,
    completed_at             timestamptz,
    created_at               timestamptz    NOT NULL DEFAULT now(),
    updated_at               timestamptz    NOT NULL DEFAULT now(),
    CONSTRAINT refund_request_pkey PRIMARY KEY (event_id, id),
    CONSTRAINT refund_request_booking_key UNIQUE (event_id, booking_id),
    CONSTRAINT refund_request_provider_idempotency_key_key UNIQUE (provider_idempotency_key),
    CONSTRAINT refund_request_booking_fkey FOREIGN KEY (event_id, booking_id) REFERENCES ticketing.booking (event_id, id),
    CONSTRAINT refund_request_customer_fkey FOREIGN KEY (customer_id) REFERENCES ticketing.customer (id),
    CONSTRAINT refund_request_payment_session_fkey FOREIGN KEY (event_id, payment_session_id)
        REFERENCES ticketing.payment_session (event_id, id),
    CONSTRAINT refund_request_amount_check CHECK (amount >= 0),
    CONSTRAINT refund_request_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT refund_request_reason_check CHECK (btrim(reason) <> '' AND length(reason) <= 500),
    CONSTRAINT refund_request_status_check CHECK (status IN ('REQUESTED', 'SENT', 'REFUNDED', 'FAILED')),
    CONSTRAINT refund_request_attempts_check CHECK (attempts >= 0),
    CONSTRAINT refund_request_completed_check CHECK ((status IN ('REFUNDED', 'FAILED')) = (completed_at IS NOT NULL))
);
CREATE INDEX refund_request_id_idx ON ticketing.refund_request (id);
-- The refund worker's queue: requests due to be sent, oldest due first.
CREATE INDEX refund_request_due_idx ON ticketing.refund_request (next_attempt_at) WHERE status = 'REQUESTED';

CREATE TRIGGER event_cancellation_touch_updated_at BEFORE UPDATE ON ticketing.event_cancellation
    FOR EACH ROW EXECUTE FUNCTION ticketing.touch_updated_at();
CREATE TRIGGER refund_request_touch_updated_at BEFORE UPDATE ON ticketing.refund_request
    FOR EACH ROW EXECUTE FUNCTION ticketing.touch_updated_at();

-- Who cancelled and why (the row holds both, and the audit row its actor), and when it finished; the batches'
-- counters are progress, not history.
CREATE TRIGGER event_cancellation_audit AFTER INSERT OR DELETE ON ticketing.event_cancellation
    FOR EACH ROW EXECUTE FUNCTION ticketing.audit_row_change();
CREATE TRIGGER event_cancellation_audit_state AFTER UPDATE ON ticketing.event_cancellation
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.reason IS DISTINCT FROM NEW.reason)
    EXECUTE FUNCTION ticketing.audit_row_change();
CREATE TRIGGER refund_request_audit AFTER INSERT OR UPDATE OR DELETE ON ticketing.refund_request
    FOR EACH ROW EXECUTE FUNCTION ticketing.audit_row_change();

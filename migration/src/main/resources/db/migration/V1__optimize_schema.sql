-- V1: the optimized schema (guide, first migration): statuses as enums, relationships and their
-- indexes, explicit join tables, soft delete, audit trail; plus the application's own tables.
--
-- Runs in one transaction (Flyway's default): every table here is new, so nothing waits on it
-- and a failure leaves nothing behind.
--
-- Co-location (DESIGN §3): every event-scoped table (seat, payment_session, payment_session_seat,
-- booking, booked_seat, ticket, event_summary) carries event_id, and every primary key, unique key
-- and foreign key between them includes it, so that Citus can distribute them all by event_id.
-- Lookups by a bare id (the API's /bookings/{id}) use the plain indexes on id.

-- Flyway runs this script in one transaction and every table in it is new, so squawk's rules
-- about re-running a half-applied script and about locking populated tables do not apply
-- (migration/squawk-waivers.md; squawk with assume_in_transaction reports nothing here):
-- squawk-ignore-file prefer-robust-stmts, require-concurrent-index-creation, adding-foreign-key-constraint, constraint-missing-not-valid

SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5min';

-- Enums: exactly the values of DESIGN §2, in that order.

CREATE TYPE ticketing.event_status AS ENUM ('DRAFT', 'PUBLISHED', 'CANCELLED');
CREATE TYPE ticketing.seat_status AS ENUM ('AVAILABLE', 'RESERVED', 'BOOKED', 'BLOCKED');
CREATE TYPE ticketing.booking_status AS ENUM ('PENDING', 'CONFIRMED', 'CANCELLED');
CREATE TYPE ticketing.payment_session_status AS ENUM ('OPEN', 'PROCESSING', 'SUCCEEDED', 'FAILED', 'EXPIRED', 'CANCELLED');
CREATE TYPE ticketing.ticket_status AS ENUM ('VALID', 'USED', 'CANCELLED', 'REFUNDED');

-- Customers and events (not event-scoped).

CREATE TABLE ticketing.customer (
    id         uuid        NOT NULL DEFAULT gen_random_uuid(),
    email      text        NOT NULL,
    name       text        NOT NULL,
    legacy_id  text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT customer_pkey PRIMARY KEY (id),
    CONSTRAINT customer_email_key UNIQUE (email),
    CONSTRAINT customer_legacy_id_key UNIQUE (legacy_id),
    CONSTRAINT customer_email_check CHECK (position('@' IN email) > 1)
);

CREATE TABLE ticketing.event (
    id          uuid                   NOT NULL DEFAULT gen_random_uuid(),
    title       text                   NOT NULL,
    description text,
    venue       text,
    starts_at   timestamptz            NOT NULL,
    ends_at     timestamptz,
    -- ISO 4217 code. text + CHECK rather than char(3): same values, no blank padding.
    currency    text                   NOT NULL,
    status      ticketing.event_status NOT NULL DEFAULT 'DRAFT',
    -- Optimistic locking: UPDATE … SET version = version + 1 WHERE id = ? AND version = ?
    version     bigint                 NOT NULL DEFAULT 0,
    is_deleted  boolean                NOT NULL DEFAULT false,
    deleted_at  timestamptz,
    deleted_by  text,
    legacy_id   text,
    created_at  timestamptz            NOT NULL DEFAULT now(),
    updated_at  timestamptz            NOT NULL DEFAULT now(),
    CONSTRAINT event_pkey PRIMARY KEY (id),
    CONSTRAINT event_legacy_id_key UNIQUE (legacy_id),
    CONSTRAINT event_title_check CHECK (btrim(title) <> ''),
    CONSTRAINT event_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT event_ends_after_start_check CHECK (ends_at IS NULL OR ends_at >= starts_at),
    -- Soft delete: deleted_at is set exactly when is_deleted; a restore clears both.
    CONSTRAINT event_soft_delete_check CHECK (
        (is_deleted AND deleted_at IS NOT NULL)
        OR (NOT is_deleted AND deleted_at IS NULL AND deleted_by IS NULL))
);

-- Seats.

CREATE TABLE ticketing.seat (
    event_id   uuid                  NOT NULL,
    id         uuid                  NOT NULL DEFAULT gen_random_uuid(),
    section    text                  NOT NULL,
    "row"      text                  NOT NULL,
    -- squawk-ignore prefer-bigint-over-int
    number     integer               NOT NULL,
    price      numeric(10, 2)        NOT NULL,
    status     ticketing.seat_status NOT NULL DEFAULT 'AVAILABLE',
    version    bigint                NOT NULL DEFAULT 0,
    legacy_id  text,
    created_at timestamptz           NOT NULL DEFAULT now(),
    updated_at timestamptz           NOT NULL DEFAULT now(),
    CONSTRAINT seat_pkey PRIMARY KEY (event_id, id),
    CONSTRAINT seat_event_fkey FOREIGN KEY (event_id) REFERENCES ticketing.event (id),
    CONSTRAINT seat_position_key UNIQUE (event_id, section, "row", number),
    CONSTRAINT seat_legacy_id_key UNIQUE (event_id, legacy_id),
    CONSTRAINT seat_price_check CHECK (price >= 0)
);
CREATE INDEX seat_id_idx ON ticketing.seat (id);

-- Checkouts (payment sessions) and bookings. They point at each other: a booking is made from
-- one session (booking.payment_session_id, unique), and a session records the booking it led to
-- (payment_session.booking_id; legacy sessions, several of which may point at one booking).

CREATE TABLE ticketing.payment_session (
    event_id     uuid                             NOT NULL,
    id           uuid                             NOT NULL DEFAULT gen_random_uuid(),
    customer_id  uuid                             NOT NULL,
    amount       numeric(10, 2)                   NOT NULL,
    -- The event's currency when the session opened; the webhook checks amount and currency.
    currency     text                             NOT NULL,
    status       ticketing.payment_session_status NOT NULL DEFAULT 'OPEN',
    provider_ref text,
    expires_at   timestamptz                      NOT NULL,
    booking_id   uuid,
    version      bigint                           NOT NULL DEFAULT 0,
    legacy_id    text,
    created_at   timestamptz                      NOT NULL DEFAULT now(),
    updated_at   timestamptz                      NOT NULL DEFAULT now(),
    CONSTRAINT payment_session_pkey PRIMARY KEY (event_id, id),
    CONSTRAINT payment_session_event_fkey FOREIGN KEY (event_id) REFERENCES ticketing.event (id),
    CONSTRAINT payment_session_customer_fkey FOREIGN KEY (customer_id) REFERENCES ticketing.customer (id),
    CONSTRAINT payment_session_provider_ref_key UNIQUE (event_id, provider_ref),
    CONSTRAINT payment_session_legacy_id_key UNIQUE (event_id, legacy_id),
    CONSTRAINT payment_session_amount_check CHECK (amount >= 0),
    CONSTRAINT payment_session_currency_check CHECK (currency ~ '^[A-Z]{3}$')
);
CREATE INDEX payment_session_id_idx ON ticketing.payment_session (id);
CREATE INDEX payment_session_provider_ref_idx ON ticketing.payment_session (provider_ref) WHERE provider_ref IS NOT NULL;
CREATE INDEX payment_session_customer_idx ON ticketing.payment_session (customer_id, created_at DESC, id DESC);

CREATE TABLE ticketing.booking (
    event_id           uuid                     NOT NULL,
    id                 uuid                     NOT NULL DEFAULT gen_random_uuid(),
    customer_id        uuid                     NOT NULL,
    payment_session_id uuid,
    total_amount       numeric(10, 2)           NOT NULL,
    status             ticketing.booking_status NOT NULL DEFAULT 'PENDING',
    confirmed_at       timestamptz,
    cancelled_at       timestamptz,
    version            bigint                   NOT NULL DEFAULT 0,
    legacy_id          text,
    created_at         timestamptz              NOT NULL DEFAULT now(),
    updated_at         timestamptz              NOT NULL DEFAULT now(),
    CONSTRAINT booking_pkey PRIMARY KEY (event_id, id),
    CONSTRAINT booking_event_fkey FOREIGN KEY (event_id) REFERENCES ticketing.event (id),
    CONSTRAINT booking_customer_fkey FOREIGN KEY (customer_id) REFERENCES ticketing.customer (id),
    CONSTRAINT booking_payment_session_fkey FOREIGN KEY (event_id, payment_session_id)
        REFERENCES ticketing.payment_session (event_id, id),
    CONSTRAINT booking_payment_session_key UNIQUE (event_id, payment_session_id),
    CONSTRAINT booking_legacy_id_key UNIQUE (event_id, legacy_id),
    CONSTRAINT booking_total_amount_check CHECK (total_amount >= 0),
    -- A confirmed booking says when; a cancelled one says when, and confirmed_at tells a refund
    -- (cancelled after confirmation) from an abandoned booking (never confirmed).
    CONSTRAINT booking_confirmed_at_check CHECK (status <> 'CONFIRMED' OR confirmed_at IS NOT NULL),
    CONSTRAINT booking_cancelled_at_check CHECK (status <> 'CANCELLED' OR cancelled_at IS NOT NULL)
);
CREATE INDEX booking_id_idx ON ticketing.booking (id);

ALTER TABLE ticketing.payment_session
    ADD CONSTRAINT payment_session_booking_fkey FOREIGN KEY (event_id, booking_id)
        REFERENCES ticketing.booking (event_id, id);
CREATE INDEX payment_session_booking_idx ON ticketing.payment_session (event_id, booking_id) WHERE booking_id IS NOT NULL;

-- Join tables. A claim is active while released_at IS NULL; releasing (expiry, failure,
-- cancellation) sets released_at and keeps the row as history. The partial unique indexes are
-- the last line of defence: at most one active claim per seat in each table, whatever the
-- application does.

CREATE TABLE ticketing.payment_session_seat (
    event_id           uuid        NOT NULL,
    payment_session_id uuid        NOT NULL,
    seat_id            uuid        NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    released_at        timestamptz,
    CONSTRAINT payment_session_seat_pkey PRIMARY KEY (event_id, payment_session_id, seat_id),
    CONSTRAINT payment_session_seat_payment_session_fkey FOREIGN KEY (event_id, payment_session_id)
        REFERENCES ticketing.payment_session (event_id, id) ON DELETE CASCADE,
    CONSTRAINT payment_session_seat_seat_fkey FOREIGN KEY (event_id, seat_id)
        REFERENCES ticketing.seat (event_id, id)
);
CREATE UNIQUE INDEX payment_session_seat_active_claim_key
    ON ticketing.payment_session_seat (event_id, seat_id) INCLUDE (payment_session_id)
    WHERE released_at IS NULL;

CREATE TABLE ticketing.booked_seat (
    event_id    uuid           NOT NULL,
    booking_id  uuid           NOT NULL,
    seat_id     uuid           NOT NULL,
    -- The price paid, frozen at booking time (the seat's price may change later).
    price       numeric(10, 2) NOT NULL,
    created_at  timestamptz    NOT NULL DEFAULT now(),
    updated_at  timestamptz    NOT NULL DEFAULT now(),
    released_at timestamptz,
    CONSTRAINT booked_seat_pkey PRIMARY KEY (event_id, booking_id, seat_id),
    CONSTRAINT booked_seat_booking_fkey FOREIGN KEY (event_id, booking_id)
        REFERENCES ticketing.booking (event_id, id) ON DELETE CASCADE,
    CONSTRAINT booked_seat_seat_fkey FOREIGN KEY (event_id, seat_id)
        REFERENCES ticketing.seat (event_id, id),
    CONSTRAINT booked_seat_price_check CHECK (price >= 0)
);
-- Also answers "which booking holds this seat" (index-only, through the INCLUDE).
CREATE UNIQUE INDEX booked_seat_active_claim_key
    ON ticketing.booked_seat (event_id, seat_id) INCLUDE (booking_id)
    WHERE released_at IS NULL;

-- Tickets. The ticket's seat must be one of its booking's seats (foreign key to booked_seat).

CREATE TABLE ticketing.ticket (
    event_id      uuid                    NOT NULL,
    id            uuid                    NOT NULL DEFAULT gen_random_uuid(),
    booking_id    uuid                    NOT NULL,
    seat_id       uuid                    NOT NULL,
    customer_id   uuid                    NOT NULL,
    code          text                    NOT NULL,
    status        ticketing.ticket_status NOT NULL DEFAULT 'VALID',
    checked_in_at timestamptz,
    version       bigint                  NOT NULL DEFAULT 0,
    legacy_id     text,
    created_at    timestamptz             NOT NULL DEFAULT now(),
    updated_at    timestamptz             NOT NULL DEFAULT now(),
    CONSTRAINT ticket_pkey PRIMARY KEY (event_id, id),
    CONSTRAINT ticket_booked_seat_fkey FOREIGN KEY (event_id, booking_id, seat_id)
        REFERENCES ticketing.booked_seat (event_id, booking_id, seat_id),
    CONSTRAINT ticket_customer_fkey FOREIGN KEY (customer_id) REFERENCES ticketing.customer (id),
    CONSTRAINT ticket_code_key UNIQUE (event_id, code),
    CONSTRAINT ticket_legacy_id_key UNIQUE (event_id, legacy_id),
    CONSTRAINT ticket_code_check CHECK (length(code) >= 8),
    CONSTRAINT ticket_checked_in_at_check CHECK (status <> 'USED' OR checked_in_at IS NOT NULL)
);
CREATE INDEX ticket_id_idx ON ticketing.ticket (id);
-- Check-in scans a code without knowing the event.
CREATE INDEX ticket_code_idx ON ticketing.ticket (code);
CREATE INDEX ticket_booking_idx ON ticketing.ticket (event_id, booking_id);
CREATE INDEX ticket_customer_idx ON ticketing.ticket (customer_id, created_at DESC, id DESC);
-- At most one live (VALID or USED) ticket per seat.
CREATE UNIQUE INDEX ticket_live_seat_key ON ticketing.ticket (event_id, seat_id) WHERE status IN ('VALID', 'USED');

-- Per-event counters, kept equal to a recount by the triggers of V2.

CREATE TABLE ticketing.event_summary (
    event_id           uuid           NOT NULL,
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
    CONSTRAINT event_summary_pkey PRIMARY KEY (event_id),
    CONSTRAINT event_summary_event_fkey FOREIGN KEY (event_id) REFERENCES ticketing.event (id) ON DELETE CASCADE
);

-- Audit trail: one row per audited change, written by triggers in the changing transaction.

CREATE TABLE ticketing.audit_log (
    id             bigint      GENERATED ALWAYS AS IDENTITY,
    occurred_at    timestamptz NOT NULL DEFAULT now(),
    transaction_id bigint      NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
    actor          text        NOT NULL,
    action         text        NOT NULL,
    entity_type    text        NOT NULL,
    entity_id      uuid        NOT NULL,
    event_id       uuid,
    old_values     jsonb,
    new_values     jsonb,
    CONSTRAINT audit_log_pkey PRIMARY KEY (id),
    CONSTRAINT audit_log_action_check CHECK (action IN ('INSERT', 'UPDATE', 'DELETE'))
);
CREATE INDEX audit_log_entity_idx ON ticketing.audit_log (entity_type, entity_id, id);
CREATE INDEX audit_log_event_idx ON ticketing.audit_log (event_id, id) WHERE event_id IS NOT NULL;

-- The application sets the actor per transaction: SELECT set_config('ticketing.actor', 'admin:alice', true).
-- Without it (psql, a DBA) the database role is recorded.
CREATE FUNCTION ticketing.audit_actor() RETURNS text
    LANGUAGE sql STABLE
AS $$
    SELECT coalesce(nullif(current_setting('ticketing.actor', true), ''), session_user::text)
$$;

-- INSERT: new_values holds the whole row, old_values is null. DELETE: the reverse.
-- UPDATE: old_values and new_values hold only the columns that changed, ignoring the
-- bookkeeping columns updated_at and version; an update that changes nothing else writes no row.
CREATE FUNCTION ticketing.audit_row_change() RETURNS trigger
    LANGUAGE plpgsql
AS $$
DECLARE
    old_row    jsonb;
    new_row    jsonb;
    old_values jsonb;
    new_values jsonb;
    subject    jsonb;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        old_row := to_jsonb(OLD);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        new_row := to_jsonb(NEW);
    END IF;
    IF TG_OP = 'UPDATE' THEN
        SELECT jsonb_object_agg(n.key, old_row -> n.key), jsonb_object_agg(n.key, n.value)
          INTO old_values, new_values
          FROM jsonb_each(new_row) AS n
         WHERE n.key NOT IN ('updated_at', 'version')
           AND n.value IS DISTINCT FROM old_row -> n.key;
        IF new_values IS NULL THEN
            RETURN NULL;
        END IF;
    ELSE
        old_values := old_row;
        new_values := new_row;
    END IF;
    subject := coalesce(new_row, old_row);
    INSERT INTO ticketing.audit_log (actor, action, entity_type, entity_id, event_id, old_values, new_values)
    VALUES (ticketing.audit_actor(), TG_OP, TG_TABLE_NAME, (subject ->> 'id')::uuid,
            CASE WHEN TG_TABLE_NAME = 'event' THEN subject ->> 'id' ELSE subject ->> 'event_id' END::uuid,
            old_values, new_values);
    RETURN NULL;
END
$$;

CREATE FUNCTION ticketing.audit_log_refuse_update() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: rows may be purged (DELETE) but never changed'
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON ticketing.audit_log
    FOR EACH ROW EXECUTE FUNCTION ticketing.audit_log_refuse_update();

CREATE TRIGGER event_audit AFTER INSERT OR UPDATE OR DELETE ON ticketing.event
    FOR EACH ROW EXECUTE FUNCTION ticketing.audit_row_change();
CREATE TRIGGER payment_session_audit AFTER INSERT OR UPDATE OR DELETE ON ticketing.payment_session
    FOR EACH ROW EXECUTE FUNCTION ticketing.audit_row_change();
CREATE TRIGGER booking_audit AFTER INSERT OR UPDATE OR DELETE ON ticketing.booking
    FOR EACH ROW EXECUTE FUNCTION ticketing.audit_row_change();
CREATE TRIGGER ticket_audit AFTER INSERT OR UPDATE OR DELETE ON ticketing.ticket
    FOR EACH ROW EXECUTE FUNCTION ticketing.audit_row_change();
-- Seats: admin changes only. Blocking/unblocking and edits of price or position are audited; the
-- reserve/book/release churn (AVAILABLE <-> RESERVED <-> BOOKED) is not, nor is the creation of a
-- venue's seats (bulk layout set-up, audited through its event); deleting a seat is.
CREATE TRIGGER seat_audit_admin_change AFTER UPDATE ON ticketing.seat
    FOR EACH ROW
    WHEN (OLD.section IS DISTINCT FROM NEW.section
          OR OLD."row" IS DISTINCT FROM NEW."row"
          OR OLD.number IS DISTINCT FROM NEW.number
          OR OLD.price IS DISTINCT FROM NEW.price
          OR (OLD.status IS DISTINCT FROM NEW.status AND (OLD.status = 'BLOCKED' OR NEW.status = 'BLOCKED')))
    EXECUTE FUNCTION ticketing.audit_row_change();
CREATE TRIGGER seat_audit_delete AFTER DELETE ON ticketing.seat
    FOR EACH ROW EXECUTE FUNCTION ticketing.audit_row_change();

-- The application's own tables.

CREATE TABLE ticketing.api_key (
    id         uuid        NOT NULL DEFAULT gen_random_uuid(),
    name       text        NOT NULL,
    role       text        NOT NULL,
    -- A hash of the key (e.g. hex SHA-256); the key itself is shown once and never stored.
    key_hash   text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz,
    CONSTRAINT api_key_pkey PRIMARY KEY (id),
    CONSTRAINT api_key_key_hash_key UNIQUE (key_hash),
    CONSTRAINT api_key_role_check CHECK (role IN ('ADMIN', 'STAFF'))
);

CREATE TABLE ticketing.idempotency_key (
    principal       text        NOT NULL,
    key             text        NOT NULL,
    request_hash    text        NOT NULL,
    state           text        NOT NULL DEFAULT 'IN_FLIGHT',
    -- squawk-ignore prefer-bigint-over-int
    response_status integer,
    -- Kept as text so that a replay is byte-for-byte the first answer.
    response_body   text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT idempotency_key_pkey PRIMARY KEY (principal, key),
    CONSTRAINT idempotency_key_state_check CHECK (state IN ('IN_FLIGHT', 'COMPLETED')),
    CONSTRAINT idempotency_key_completed_check CHECK (
        state = 'IN_FLIGHT' OR (response_status BETWEEN 100 AND 599))
);
-- Purging expired keys.
CREATE INDEX idempotency_key_created_idx ON ticketing.idempotency_key (created_at);

CREATE TABLE ticketing.processed_webhook_event (
    provider_event_id  text        NOT NULL,
    payment_session_id uuid,
    event_type         text        NOT NULL,
    received_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT processed_webhook_event_pkey PRIMARY KEY (provider_event_id)
);

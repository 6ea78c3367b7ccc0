-- `legacy plan` rehearses the import into these temporary tables (pg_temp): the same columns,
-- keys and indexes the import's rules consult as the real schema, nothing outside this session.
CREATE TYPE pg_temp.event_status AS ENUM ('DRAFT', 'PUBLISHED', 'CANCELLED');
CREATE TYPE pg_temp.seat_status AS ENUM ('AVAILABLE', 'RESERVED', 'BOOKED', 'BLOCKED');
CREATE TYPE pg_temp.booking_status AS ENUM ('PENDING', 'CONFIRMED', 'CANCELLED');
CREATE TYPE pg_temp.payment_session_status AS ENUM ('OPEN', 'PROCESSING', 'SUCCEEDED', 'FAILED', 'EXPIRED', 'CANCELLED');
CREATE TYPE pg_temp.ticket_status AS ENUM ('VALID', 'USED', 'CANCELLED', 'REFUNDED');

CREATE TEMP TABLE customer (id uuid PRIMARY KEY, email text, name text, legacy_id text, created_at timestamptz, updated_at timestamptz);
CREATE INDEX ON customer (legacy_id);
CREATE TEMP TABLE event (id uuid PRIMARY KEY, title text, description text, venue text, starts_at timestamptz, ends_at timestamptz,
    currency text, status pg_temp.event_status, legacy_id text, created_at timestamptz, updated_at timestamptz);
CREATE INDEX ON event (legacy_id);
CREATE TEMP TABLE seat (event_id uuid, id uuid, section text, "row" text, number integer, price numeric(10, 2),
    status pg_temp.seat_status, legacy_id text, created_at timestamptz, updated_at timestamptz, PRIMARY KEY (event_id, id));
CREATE INDEX ON seat (id);
CREATE INDEX ON seat (event_id, section, "row", number);
CREATE TEMP TABLE booking (event_id uuid, id uuid, customer_id uuid, total_amount numeric(10, 2), status pg_temp.booking_status,
    confirmed_at timestamptz, cancelled_at timestamptz, review_reason text, legacy_id text, created_at timestamptz,
    updated_at timestamptz, PRIMARY KEY (event_id, id));
CREATE INDEX ON booking (id);
CREATE TEMP TABLE booked_seat (event_id uuid, booking_id uuid, seat_id uuid, price numeric(10, 2), created_at timestamptz,
    updated_at timestamptz, released_at timestamptz, PRIMARY KEY (event_id, booking_id, seat_id));
CREATE INDEX ON booked_seat (event_id, seat_id) WHERE released_at IS NULL;
CREATE TEMP TABLE payment_session (event_id uuid, id uuid, customer_id uuid, amount numeric(10, 2), currency text,
    status pg_temp.payment_session_status, provider_ref text, expires_at timestamptz, booking_id uuid, legacy_id text,
    created_at timestamptz, updated_at timestamptz, PRIMARY KEY (event_id, id));
CREATE INDEX ON payment_session (event_id, provider_ref);
CREATE TEMP TABLE payment_session_seat (event_id uuid, payment_session_id uuid, seat_id uuid, created_at timestamptz,
    updated_at timestamptz, released_at timestamptz, PRIMARY KEY (event_id, payment_session_id, seat_id));
CREATE INDEX ON payment_session_seat (event_id, seat_id) WHERE released_at IS NULL;
CREATE TEMP TABLE ticket (event_id uuid, id uuid, booking_id uuid, seat_id uuid, customer_id uuid, code text,
    status pg_temp.ticket_status, checked_in_at timestamptz, version bigint NOT NULL DEFAULT 0, legacy_id text, created_at timestamptz, updated_at timestamptz,
    PRIMARY KEY (event_id, id));
CREATE INDEX ON ticket (event_id, seat_id);

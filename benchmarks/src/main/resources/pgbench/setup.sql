-- What booking.sql needs beside the application's schema, in a schema of its own: the queues of
-- seats to book (refilled by HttpVsPgbench before each pgbench run) and two functions making the
-- values the application makes in Java.

CREATE SCHEMA IF NOT EXISTS bench;

-- Bookings of one seat and of two seats, numbered from 1; a client claims the next with nextval.
CREATE TABLE bench.booking_queue_1 (
    n bigint PRIMARY KEY, event_id uuid NOT NULL,
    seat1 uuid NOT NULL, price1 numeric NOT NULL, amount numeric NOT NULL);
CREATE TABLE bench.booking_queue_2 (
    n bigint PRIMARY KEY, event_id uuid NOT NULL,
    seat1 uuid NOT NULL, price1 numeric NOT NULL, seat2 uuid NOT NULL, price2 numeric NOT NULL, amount numeric NOT NULL);
CREATE SEQUENCE bench.booking_queue_1_n;
CREATE SEQUENCE bench.booking_queue_2_n;

-- A time-ordered UUID (version 7, RFC 9562) like the application's ids: new rows land at the end
-- of the primary-key indexes, as the application's do, rather than at random places.
CREATE FUNCTION bench.uuid_v7() RETURNS uuid LANGUAGE sql VOLATILE AS $$
    SELECT encode(set_bit(set_bit(
               overlay(uuid_send(gen_random_uuid())
                       PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
                       FROM 1 FOR 6),
               52, 1), 53, 1), 'hex')::uuid
$$;

-- 128 random bits in URL-safe base64 without padding (22 characters), like the application's ticket codes.
CREATE FUNCTION bench.ticket_code() RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT rtrim(translate(encode(uuid_send(gen_random_uuid()), 'base64'), '+/', '-_'), '=')
$$;

-- The customers of booking.sql, one a pgbench client: a booking is a returning customer's, as the
-- HTTP side's are after its warm-up.
INSERT INTO ticketing.customer (id, email, name, created_at)
SELECT bench.uuid_v7(), 'pgbench' || i || '@example.com', 'pgbench' || i || '@example.com', now()
  FROM generate_series(0, 255) AS i
    ON CONFLICT (email) DO NOTHING;

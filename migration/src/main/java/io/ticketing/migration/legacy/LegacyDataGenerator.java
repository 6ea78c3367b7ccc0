package io.ticketing.migration.legacy;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;

/**
 * Realistic legacy data at any scale (500 seats per event, so 10k seats = 20 events, 1M = 2000),
 * set-based and deterministic for a seed, with every kind of dirt a real legacy database holds
 * (statuses in any case, synonyms, unknown values, malformed and double-encoded JSON, seats of
 * other events or claimed twice, non-UUID ids, …) planted in known amounts ({@link Planted}), so
 * that tests can predict the import's report exactly.
 *
 * <p>Per event: seats in 5 sections × 10 rows × 10 numbers; 100 bookings (booking j holds seats
 * 4j+1 … 4j+1+(j mod 3), confirmed unless j mod 10 is 7 (pending) or 8 (cancelled)); one payment
 * session per booking with the booking's seats; one ticket per seat of a confirmed booking. Every
 * fourth id (n mod 4 = 0) is cuid-like instead of a UUID. Seats 401–500 of each event are free.
 */
public final class LegacyDataGenerator {

    public static final int SEATS_PER_EVENT = 500;
    public static final int BOOKINGS_PER_EVENT = 100;

    private LegacyDataGenerator() {
    }

    /** What was planted: anomaly kind (as the report names it) → rows, and quarantined rows per legacy table. */
    public record Planted(Map<String, Long> anomalies, Map<String, Long> quarantined) {
    }

    /**
     * Fills empty legacy tables with about {@code seats} seats (rounded up to whole events, at least 6),
     * the events upcoming from today (UTC): see {@link #generate(Connection, int, long, LocalDate)}.
     */
    public static Planted generate(Connection connection, int seats, long seed) throws SQLException {
        return generate(connection, seats, seed, LocalDate.now(ZoneOffset.UTC));
    }

    /**
     * Fills empty legacy tables with about {@code seats} seats (rounded up to whole events, at least 6).
     * Event e starts at 20:00 UTC {@value #FIRST_EVENT_DAYS} + e - 1 days after {@code day}, so that
     * generated events are upcoming (listed, their bookings still cancellable) when the data is used;
     * the same seed and day generate the same data.
     */
    public static Planted generate(Connection connection, int seats, long seed, LocalDate day) throws SQLException {
        int events = events(seats);
        int users = users(events);
        String firstEvent = day.plusDays(FIRST_EVENT_DAYS).toString();
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            Jdbc.script(connection, GENERATE.replace("{seed}", Long.toString(seed)).replace("{events}", Integer.toString(events))
                    .replace("{users}", Integer.toString(users)).replace("{first_event}", firstEvent));
            Jdbc.script(connection, DIRT.replace("{seed}", Long.toString(seed)).replace("{extra_event}", Integer.toString(events + 1))
                    .replace("{first_event}", firstEvent));
            connection.commit();
            Jdbc.script(connection, "ANALYZE");
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        return planted(events, users);
    }

    /** The fewest seats generated: 6 events, the fewest that hold every planted anomaly. */
    public static final int MIN_SEATS = 6 * SEATS_PER_EVENT;

    /** The seats {@link #generate} makes for {@code seats}: rounded up to whole events, at least {@link #MIN_SEATS}. */
    public static long seatsGenerated(int seats) {
        return (long) events(seats) * SEATS_PER_EVENT;
    }

    /** Days from the day of generation to the first event's. */
    public static final int FIRST_EVENT_DAYS = 30;

    /** What {@link #generate} plants for this many seats. */
    public static Planted plantedFor(int seats) {
        int events = events(seats);
        return planted(events, users(events));
    }

    private static int events(int seats) {
        return (int) Math.max(6, ((long) seats + SEATS_PER_EVENT - 1) / SEATS_PER_EVENT);
    }

    private static int users(int events) {
        return Math.max(50, events * SEATS_PER_EVENT / 20);
    }

    private static Planted planted(int events, int users) {
        Map<String, Long> a = new TreeMap<>();
        a.put("Event: status in another case or with spaces", 1L);
        a.put("Event: status synonym", 1L);
        a.put("Event: unknown status", 1L);
        a.put("Seat: status in another case or with spaces", 7L);
        a.put("Seat: status synonym", 4L);
        a.put("Seat: unknown status", 3L);
        a.put("Seat: blank section or row", 1L);
        a.put("Seat: status corrected to agree with claims", 6L);
        a.put("Booking: status in another case or with spaces", 3L);
        a.put("Booking: status synonym", 3L);
        a.put("Booking: double-encoded JSON", 4L);
        a.put("Booking: duplicate seat ids", 3L);
        a.put("Booking: malformed JSON", 2L);
        a.put("Booking: non-array JSON", 3L);
        a.put("Booking: unknown seat", 1L);
        a.put("Booking: no seats", 1L);
        a.put("Booking.seats: unknown seat", 1L);
        a.put("Booking.seats: seat already claimed", 1L);
        a.put("Booking: migrated without its quarantined seats, marked for review", 2L);
        // confirmed bookings of the seat dirt above (no tickets), and those whose only ticket of a seat is quarantined
        a.put("Booking: seat without a valid legacy ticket, ticket issued, marked for review", 14L);
        a.put("Booking: seat of another event", 2L);
        a.put("Booking: seat already claimed", 3L);
        a.put("Booking: unknown status", 2L);
        a.put("PaymentSession: status in another case or with spaces", 1L);
        a.put("PaymentSession: status synonym", 2L);
        a.put("PaymentSession: unknown status", 1L);
        a.put("PaymentSession: open checkout of a confirmed booking", 1L);
        a.put("_PaymentSessionToSeat: session quarantined", 3L);
        a.put("_PaymentSessionToSeat: seat already claimed", 1L);
        a.put("Ticket: status synonym", 2L);
        a.put("Ticket: status in another case or with spaces", 1L);
        a.put("Ticket: unknown status", 2L);
        a.put("Ticket: malformed code", 1L);
        a.put("Ticket: seat not in booking", 1L);
        a.put("Ticket: seat of its booking quarantined", 1L);
        long bookings = (long) events * BOOKINGS_PER_EVENT;
        a.put("User: non-UUID id", users / 4L + 2);
        a.put("User: email in upper case or with spaces, stored in lower case", 2L);
        a.put("User: email of another user, up to case and spaces", 1L);
        a.put("Event: non-UUID id", events / 4L + 1);
        a.put("Seat: non-UUID id", (long) events * SEATS_PER_EVENT / 4);
        a.put("Booking: non-UUID id", bookings / 4 + EXTRA_BOOKINGS);
        a.put("PaymentSession: non-UUID id", bookings / 4 + EXTRA_SESSIONS);
        // Ticket n = (event-1)*400 + 4j + k: a cuid for the first seat (k = 0) of each confirmed booking.
        a.put("Ticket: non-UUID id", (long) events * CONFIRMED_PER_EVENT + EXTRA_TICKETS);
        Map<String, Long> q = new TreeMap<>();
        q.put("User", 1L);
        q.put("Event", 1L);
        q.put("Seat", 4L);
        q.put("Booking", 14L);
        q.put("PaymentSession", 2L);
        q.put("_PaymentSessionToSeat", 4L);
        q.put("Ticket", 5L);
        return new Planted(a, q);
    }

    private static final long EXTRA_BOOKINGS = 23;
    private static final long EXTRA_SESSIONS = 1;
    private static final long EXTRA_TICKETS = 4;
    private static final long CONFIRMED_PER_EVENT = 80;

    private static final String GENERATE = """
            CREATE OR REPLACE FUNCTION pg_temp.gid(kind text, n bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $$
                SELECT CASE WHEN n % 4 = 0 THEN 'c' || substr(md5('{seed}' || kind || n), 1, 24)
                            ELSE md5('{seed}:' || kind || ':' || n)::uuid::text END
            $$;
            CREATE OR REPLACE FUNCTION pg_temp.xid(kind text, k int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
                SELECT 'cx' || substr(md5('{seed}:extra:' || kind || ':' || k), 1, 23)
            $$;
            INSERT INTO "User" (id, email, name, "createdAt", "updatedAt")
            SELECT pg_temp.gid('user', n), 'user' || n || '@example.com', 'User ' || n,
                   timestamp '2024-01-01' + n * interval '1 minute', timestamp '2024-01-01' + n * interval '1 minute' + interval '1 hour'
              FROM generate_series(1, {users}) n;
            INSERT INTO "Event" (id, title, description, venue, "startDate", "endDate", status, "createdAt", "updatedAt")
            SELECT pg_temp.gid('event', e), 'Concert ' || e, 'The concert number ' || e, 'Hall ' || (e % 7),
                   timestamp '{first_event} 20:00' + (e - 1) * interval '1 day', timestamp '{first_event} 23:00' + (e - 1) * interval '1 day', 'PUBLISHED',
                   timestamp '2024-01-01' + e * interval '1 hour', timestamp '2024-01-02' + e * interval '1 hour'
              FROM generate_series(1, {events}) e;
            INSERT INTO "Seat" (id, "eventId", section, "row", number, price, status, "createdAt", "updatedAt")
            SELECT pg_temp.gid('seat', (e - 1) * 500 + l), pg_temp.gid('event', e), chr(65 + (l - 1) / 100),
                   (((l - 1) % 100) / 10 + 1)::text, (l - 1) % 10 + 1, 40 + 10 * ((l - 1) / 100),
                   CASE WHEN l > 400 THEN 'available'
                        WHEN ((l - 1) / 4) % 10 = 7 AND (l - 1) % 4 <= ((l - 1) / 4) % 3 THEN 'reserved'
                        WHEN ((l - 1) / 4) % 10 <> 8 AND (l - 1) % 4 <= ((l - 1) / 4) % 3 THEN 'booked'
                        ELSE 'available' END,
                   timestamp '2024-02-01', timestamp '2024-02-01'
              FROM generate_series(1, {events}) e CROSS JOIN generate_series(1, 500) l;
            INSERT INTO "Booking" (id, "userId", "eventId", seats, "totalAmount", status, "createdAt", "updatedAt")
            SELECT pg_temp.gid('booking', (e - 1) * 100 + j + 1), pg_temp.gid('user', ((e * 100 + j) % {users}) + 1), pg_temp.gid('event', e),
                   (SELECT jsonb_agg(pg_temp.gid('seat', (e - 1) * 500 + 4 * j + k + 1) ORDER BY k) FROM generate_series(0, j % 3) k),
                   (j % 3 + 1) * (40 + 10 * ((4 * j) / 100)),
                   CASE j % 10 WHEN 7 THEN 'pending' WHEN 8 THEN 'cancelled' ELSE 'confirmed' END,
                   timestamp '2024-03-01' + ((e - 1) * 100 + j) * interval '1 minute',
                   timestamp '2024-03-01' + ((e - 1) * 100 + j) * interval '1 minute' + interval '5 minutes'
              FROM generate_series(1, {events}) e CROSS JOIN generate_series(0, 99) j;
            INSERT INTO "PaymentSession" (id, "userId", "eventId", "bookingId", amount, status, "providerRef", "expiresAt", "createdAt", "updatedAt")
            SELECT pg_temp.gid('session', (e - 1) * 100 + j + 1), pg_temp.gid('user', ((e * 100 + j) % {users}) + 1), pg_temp.gid('event', e),
                   pg_temp.gid('booking', (e - 1) * 100 + j + 1), (j % 3 + 1) * (40 + 10 * ((4 * j) / 100)),
                   CASE j % 10 WHEN 7 THEN 'pending' WHEN 8 THEN 'cancelled' ELSE 'completed' END,
                   'pi_' || md5('{seed}:pi:' || ((e - 1) * 100 + j)),
                   CASE j % 10 WHEN 7 THEN timestamp '2030-01-01' ELSE timestamp '2024-03-01' + ((e - 1) * 100 + j) * interval '1 minute' + interval '15 minutes' END,
                   timestamp '2024-03-01' + ((e - 1) * 100 + j) * interval '1 minute',
                   timestamp '2024-03-01' + ((e - 1) * 100 + j) * interval '1 minute' + interval '4 minutes'
              FROM generate_series(1, {events}) e CROSS JOIN generate_series(0, 99) j;
            INSERT INTO "_PaymentSessionToSeat" ("A", "B")
            SELECT pg_temp.gid('session', (e - 1) * 100 + j + 1), pg_temp.gid('seat', (e - 1) * 500 + 4 * j + k + 1)
              FROM generate_series(1, {events}) e CROSS JOIN generate_series(0, 99) j CROSS JOIN LATERAL generate_series(0, j % 3) k;
            INSERT INTO "Ticket" (id, "bookingId", "seatId", "eventId", "userId", code, status, "createdAt", "updatedAt")
            SELECT pg_temp.gid('ticket', (e - 1) * 400 + 4 * j + k), pg_temp.gid('booking', (e - 1) * 100 + j + 1),
                   pg_temp.gid('seat', (e - 1) * 500 + 4 * j + k + 1), pg_temp.gid('event', e), pg_temp.gid('user', ((e * 100 + j) % {users}) + 1),
                   'TK-' || upper(substr(md5('{seed}:code:' || ((e - 1) * 400 + 4 * j + k)), 1, 12)),
                   CASE WHEN j % 10 = 9 THEN 'used' ELSE 'valid' END,
                   timestamp '2024-03-01' + ((e - 1) * 100 + j) * interval '1 minute' + interval '5 minutes',
                   timestamp '2024-03-01' + ((e - 1) * 100 + j) * interval '1 minute' + interval '6 minutes'
              FROM generate_series(1, {events}) e CROSS JOIN generate_series(0, 99) j CROSS JOIN LATERAL generate_series(0, j % 3) k
             WHERE j % 10 NOT IN (7, 8);
            """;

    // s(e, l): seat l of event e; b(e, j): booking j of event e; the first seat of booking j is 4j+1.
    private static final String DIRT = """
            CREATE OR REPLACE FUNCTION pg_temp.s(e int, l int) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT pg_temp.gid('seat', (e - 1) * 500 + l) $$;
            CREATE OR REPLACE FUNCTION pg_temp.b(e int, j int) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT pg_temp.gid('booking', (e - 1) * 100 + j + 1) $$;
            CREATE OR REPLACE FUNCTION pg_temp.p(e int, j int) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT pg_temp.gid('session', (e - 1) * 100 + j + 1) $$;
            CREATE OR REPLACE FUNCTION pg_temp.t(e int, j int) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT pg_temp.gid('ticket', (e - 1) * 400 + 4 * j) $$;
            -- Users: an address in mixed case, and another user whose address differs from a third's only in case.
            UPDATE "User" SET email = 'User7@Example.COM' WHERE id = pg_temp.gid('user', 7);
            INSERT INTO "User" (id, email, name, "updatedAt") VALUES (pg_temp.xid('user', 1), 'USER8@example.com', 'User Eight Again', timestamp '2024-01-05');
            -- A user whose id is another user's UUID in upper case: two users all the same.
            INSERT INTO "User" (id, email, name, "updatedAt") VALUES (upper(pg_temp.gid('user', 1)), 'user1.upper@example.com', 'User One Upper', timestamp '2024-01-05');
            -- Events: case/spaces, a synonym, an unknown status (an event without seats).
            UPDATE "Event" SET status = ' published ' WHERE id = pg_temp.gid('event', 1);
            UPDATE "Event" SET status = 'active' WHERE id = pg_temp.gid('event', 2);
            INSERT INTO "Event" (id, title, "startDate", status, "updatedAt")
            VALUES (pg_temp.xid('event', 1), 'Postponed gala', timestamp '{first_event} 20:00' + interval '120 days', 'postponed', timestamp '2024-01-05');
            -- Seats: case/spaces (7), synonyms (4), unknown (3, free seats), available although sold (5).
            UPDATE "Seat" SET status = ' Booked' WHERE id = pg_temp.s(4, 1);
            UPDATE "Seat" SET status = 'BOOKED ' WHERE id = pg_temp.s(4, 5);
            UPDATE "Seat" SET status = 'Booked' WHERE id = pg_temp.s(4, 9);
            UPDATE "Seat" SET status = 'Available' WHERE id = pg_temp.s(4, 401);
            UPDATE "Seat" SET status = ' AVAILABLE' WHERE id = pg_temp.s(4, 402);
            UPDATE "Seat" SET status = 'available ' WHERE id = pg_temp.s(4, 403);
            UPDATE "Seat" SET status = 'AVAILABLE' WHERE id = pg_temp.s(4, 404);
            UPDATE "Seat" SET status = 'sold' WHERE id IN (pg_temp.s(4, 13), pg_temp.s(4, 17));
            UPDATE "Seat" SET status = 'Sold' WHERE id = pg_temp.s(4, 21);
            UPDATE "Seat" SET status = 'held' WHERE id = pg_temp.s(4, 29);
            UPDATE "Seat" SET status = 'broken' WHERE id = pg_temp.s(2, 450);
            UPDATE "Seat" SET status = '???' WHERE id = pg_temp.s(2, 451);
            UPDATE "Seat" SET status = 'maintenance' WHERE id = pg_temp.s(2, 452);
            -- A free seat the application could not show: a blank section.
            UPDATE "Seat" SET section = ' ' WHERE id = pg_temp.s(2, 453);
            UPDATE "Seat" SET status = 'available' WHERE id IN (pg_temp.s(3, 1), pg_temp.s(3, 5), pg_temp.s(3, 9), pg_temp.s(3, 13), pg_temp.s(3, 17));
            -- Bookings: case/spaces (3), synonyms (3).
            UPDATE "Booking" SET status = 'Confirmed ' WHERE id = pg_temp.b(5, 0);
            UPDATE "Booking" SET status = 'CONFIRMED' WHERE id = pg_temp.b(5, 1);
            UPDATE "Booking" SET status = 'CANCELLED' WHERE id = pg_temp.b(5, 18);
            UPDATE "Booking" SET status = 'paid' WHERE id = pg_temp.b(5, 2);
            UPDATE "Booking" SET status = 'active' WHERE id = pg_temp.b(5, 3);
            UPDATE "Booking" SET status = 'canceled' WHERE id = pg_temp.b(5, 8);
            -- Extra bookings of event 1 (no checkout, no tickets), one kind of seats dirt each.
            INSERT INTO "Booking" (id, "userId", "eventId", seats, "totalAmount", status, "updatedAt")
            SELECT pg_temp.xid('booking', k), pg_temp.gid('user', 1), pg_temp.gid('event', 1), seats, 80, status, timestamp '2024-04-01'
              FROM (VALUES
                    (1, to_jsonb(jsonb_build_array(pg_temp.s(1, 401))::text), 'confirmed'),
                    (2, to_jsonb(jsonb_build_array(pg_temp.s(1, 402))::text), 'confirmed'),
                    (3, to_jsonb(jsonb_build_array(pg_temp.s(1, 403))::text), 'confirmed'),
                    (4, to_jsonb(jsonb_build_array(pg_temp.s(1, 404))::text), 'confirmed'),
                    (5, jsonb_build_array(pg_temp.s(1, 405), pg_temp.s(1, 405), pg_temp.s(1, 406)), 'confirmed'),
                    (6, jsonb_build_array(pg_temp.s(1, 407), pg_temp.s(1, 408), pg_temp.s(1, 407)), 'confirmed'),
                    (7, jsonb_build_array(pg_temp.s(1, 409), pg_temp.s(1, 410), pg_temp.s(1, 410)), 'confirmed'),
                    (8, to_jsonb('["' || pg_temp.s(1, 411) || '", '), 'confirmed'),
                    (9, to_jsonb('[' || pg_temp.s(1, 412) || ']'), 'confirmed'),
                    (10, jsonb_build_object('seat', pg_temp.s(1, 413)), 'confirmed'),
                    (11, '42'::jsonb, 'confirmed'),
                    (12, to_jsonb(jsonb_build_object('seats', jsonb_build_array(pg_temp.s(1, 414)))::text), 'confirmed'),
                    (13, jsonb_build_array('no-such-seat-1'), 'confirmed'),
                    (14, jsonb_build_array(pg_temp.s(1, 415), 'no-such-seat-2'), 'confirmed'),
                    (15, jsonb_build_array(pg_temp.s(2, 460)), 'confirmed'),
                    (16, jsonb_build_array(pg_temp.s(2, 461)), 'confirmed'),
                    (17, jsonb_build_array(pg_temp.s(1, 416)), 'on hold'),
                    (18, jsonb_build_array(pg_temp.s(1, 417)), 'refund requested'),
                    (19, '[]'::jsonb, 'confirmed')) AS x(k, seats, status);
            UPDATE "Seat" SET status = 'booked' WHERE id IN (SELECT pg_temp.s(1, l) FROM generate_series(401, 410) l);
            -- One seat in two confirmed bookings (twice): the booking created later is the one quarantined.
            INSERT INTO "Booking" (id, "userId", "eventId", seats, "totalAmount", status, "updatedAt")
            VALUES ('zz' || substr(md5('{seed}:dup:1'), 1, 22), pg_temp.gid('user', 2), pg_temp.gid('event', 1),
                    jsonb_build_array(pg_temp.s(1, 1)), 40, 'confirmed', timestamp '2024-04-02'),
                   ('zz' || substr(md5('{seed}:dup:2'), 1, 22), pg_temp.gid('user', 2), pg_temp.gid('event', 1),
                    jsonb_build_array(pg_temp.s(1, 5)), 80, 'confirmed', timestamp '2024-04-02');
            -- First come, first served by createdAt, not by id: two bookings created later than the
            -- holders of seats 9 and 13 but with ids that sort first. The first loses its only seat
            -- (quarantined whole); the second keeps seat 420 and its ticket, loses seat 13 and the
            -- ticket of it, and is marked for review.
            INSERT INTO "Booking" (id, "userId", "eventId", seats, "totalAmount", status, "createdAt", "updatedAt")
            VALUES ('0000' || substr(md5('{seed}:dup:3'), 1, 20), pg_temp.gid('user', 3), pg_temp.gid('event', 1),
                    jsonb_build_array(pg_temp.s(1, 9)), 40, 'confirmed', timestamp '2025-01-01', timestamp '2025-01-01'),
                   ('0001' || substr(md5('{seed}:dup:4'), 1, 20), pg_temp.gid('user', 3), pg_temp.gid('event', 1),
                    jsonb_build_array(pg_temp.s(1, 13), pg_temp.s(1, 420)), 80, 'confirmed', timestamp '2025-01-01', timestamp '2025-01-01');
            UPDATE "Seat" SET status = 'booked' WHERE id = pg_temp.s(1, 420);
            INSERT INTO "Ticket" (id, "bookingId", "seatId", "eventId", "userId", code, status, "updatedAt")
            VALUES (pg_temp.xid('ticket', 2), '0001' || substr(md5('{seed}:dup:4'), 1, 20), pg_temp.s(1, 420), pg_temp.gid('event', 1),
                    pg_temp.gid('user', 3), 'TK-EXTRA-0002', 'valid', timestamp '2025-01-01'),
                   (pg_temp.xid('ticket', 3), '0001' || substr(md5('{seed}:dup:4'), 1, 20), pg_temp.s(1, 13), pg_temp.gid('event', 1),
                    pg_temp.gid('user', 3), 'TK-EXTRA-0003', 'valid', timestamp '2025-01-01');
            -- Payment sessions: case (1), synonyms (2), unknown (1, with one seat).
            UPDATE "PaymentSession" SET status = 'Completed' WHERE id = pg_temp.p(5, 0);
            UPDATE "PaymentSession" SET status = 'paid' WHERE id = pg_temp.p(5, 1);
            UPDATE "PaymentSession" SET status = 'active' WHERE id = pg_temp.p(5, 7);
            UPDATE "PaymentSession" SET status = 'weird' WHERE id = pg_temp.p(6, 0);
            -- Refunds: a cancelled booking whose checkout completed, another with a refunded ticket.
            UPDATE "PaymentSession" SET status = 'completed' WHERE id = pg_temp.p(5, 18);
            INSERT INTO "Ticket" (id, "bookingId", "seatId", "eventId", "userId", code, status, "createdAt", "updatedAt")
            SELECT pg_temp.xid('ticket', 4), b.id, pg_temp.s(5, 113), b."eventId", b."userId", 'TK-EXTRA-0004', 'refunded',
                   b."createdAt" + interval '2 minutes', b."updatedAt"
              FROM "Booking" b WHERE b.id = pg_temp.b(5, 28);
            -- A checkout still pending although its booking is confirmed.
            UPDATE "PaymentSession" SET status = 'pending' WHERE id = pg_temp.p(6, 10);
            -- A pending checkout of no booking that lists a seat a confirmed booking holds, and a free one.
            INSERT INTO "PaymentSession" (id, "userId", "eventId", amount, status, "expiresAt", "updatedAt")
            VALUES (pg_temp.xid('session', 1), pg_temp.gid('user', 4), pg_temp.gid('event', 6), 80, 'pending',
                    timestamp '2030-01-01', timestamp '2024-04-04');
            INSERT INTO "_PaymentSessionToSeat" ("A", "B") VALUES (pg_temp.xid('session', 1), pg_temp.s(6, 1)), (pg_temp.xid('session', 1), pg_temp.s(6, 450));
            UPDATE "Seat" SET status = 'reserved' WHERE id = pg_temp.s(6, 450);
            -- Tickets: synonyms (2), case (1), unknown (2), one for a seat its booking does not hold.
            UPDATE "Ticket" SET status = 'checked_in' WHERE id = pg_temp.t(6, 1);
            UPDATE "Ticket" SET status = 'Checked In' WHERE id = pg_temp.t(6, 2);
            UPDATE "Ticket" SET status = ' Valid' WHERE id = pg_temp.t(6, 3);
            UPDATE "Ticket" SET status = 'lost' WHERE id = pg_temp.t(6, 4);
            UPDATE "Ticket" SET status = 'voided' WHERE id = pg_temp.t(6, 5);
            -- A code no scanner at the door can read back (spaces).
            UPDATE "Ticket" SET code = 'TK BAD CODE 0001' WHERE id = pg_temp.t(6, 6);
            INSERT INTO "Ticket" (id, "bookingId", "seatId", "eventId", "userId", code, status, "updatedAt")
            SELECT pg_temp.xid('ticket', 1), b.id, pg_temp.s(6, 37), b."eventId", b."userId", 'TK-EXTRA-0001', 'valid', timestamp '2024-04-03'
              FROM "Booking" b WHERE b.id = pg_temp.b(6, 6);
            """;
}

package io.ticketing.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The yardstick of the import benchmarks: the same legacy rows copied by one set-based
 * {@code INSERT … SELECT} per target table, all in one transaction, into scratch copies of the
 * target tables ({@code CREATE TABLE scratch.x (LIKE ticketing.x INCLUDING ALL)}: same columns,
 * checks and indexes; no foreign keys, no triggers), with the importer's own mapping functions
 * (legacy_uuid, map_status, decode_seats) and no quarantine: rows it cannot map are skipped,
 * conflicts ignored. Needs schemas ticketing and ticketing_import, i.e. an import done (and not
 * rolled back) on the database.
 */
final class SetBasedCopy {

    static final List<String> TABLES = List.of("customer", "event", "seat", "booking", "booked_seat", "payment_session",
            "payment_session_seat", "ticket");

    /** One run: its wall time, per importer step (legacy table) the time of its statements, and the rows it wrote. */
    record Result(double millis, Map<String, Double> steps, long rowsWritten) {
    }

    private SetBasedCopy() {
    }

    /** Creates the scratch tables afresh, checkpoints, then copies every legacy table in one timed transaction. */
    static Result run(Connection c) throws SQLException {
        createScratch(c);
        Bench.execute(c, "CHECKPOINT");
        Map<String, Double> steps = new LinkedHashMap<>();
        long started = System.nanoTime();
        c.setAutoCommit(false);
        try {
            for (Statement statement : STATEMENTS) {
                long one = System.nanoTime();
                Bench.execute(c, statement.sql());
                steps.merge(statement.step(), Bench.millisSince(one), Double::sum);
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
        double millis = Bench.millisSince(started);
        return new Result(millis, steps, rowsWritten(c));
    }

    static void dropScratch(Connection c) throws SQLException {
        Bench.execute(c, "DROP SCHEMA IF EXISTS scratch CASCADE");
    }

    private static void createScratch(Connection c) throws SQLException {
        // afresh each time: a rollback drops schema ticketing, and with its enum types the scratch columns of those types
        dropScratch(c);
        Bench.execute(c, "CREATE SCHEMA scratch");
        for (String table : TABLES) {
            Bench.execute(c, "CREATE TABLE scratch." + table + " (LIKE ticketing." + table + " INCLUDING ALL)");
        }
    }

    private static long rowsWritten(Connection c) throws SQLException {
        long rows = 0;
        for (String table : TABLES) {
            rows += Bench.count(c, "SELECT count(*) FROM scratch." + table);
        }
        return rows;
    }

    /** One set-based statement and the importer step (legacy table) whose work it does. */
    record Statement(String step, String sql) {
    }

    /** The same legacy rows, each target table in one statement, with the importer's mapping functions (schema ticketing_import). */
    static final List<Statement> STATEMENTS = List.of(
            new Statement("User", """
                    INSERT INTO scratch.customer (id, email, name, legacy_id, created_at, updated_at)
                    SELECT ticketing_import.legacy_uuid('user', u.id), u.email, u.name, u.id, u."createdAt" AT TIME ZONE 'UTC', u."updatedAt" AT TIME ZONE 'UTC'
                      FROM public."User" u
                     WHERE position('@' IN u.email) > 1
                    ON CONFLICT DO NOTHING"""),
            new Statement("Event", """
                    INSERT INTO scratch.event (id, title, description, venue, starts_at, ends_at, currency, status, legacy_id, created_at, updated_at)
                    SELECT ticketing_import.legacy_uuid('event', e.id), e.title, e.description, e.venue, e."startDate" AT TIME ZONE 'UTC',
                           e."endDate" AT TIME ZONE 'UTC', 'EUR', m.status::ticketing.event_status, e.id,
                           e."createdAt" AT TIME ZONE 'UTC', e."updatedAt" AT TIME ZONE 'UTC'
                      FROM public."Event" e CROSS JOIN LATERAL (SELECT ticketing_import.map_status('event', e.status) AS status) m
                     WHERE m.status IS NOT NULL
                    ON CONFLICT DO NOTHING"""),
            new Statement("Seat", """
                    INSERT INTO scratch.seat (event_id, id, section, "row", number, price, status, legacy_id, created_at, updated_at)
                    SELECT ticketing_import.legacy_uuid('event', s."eventId"), ticketing_import.legacy_uuid('seat', s.id), s.section, s."row", s.number,
                           s.price, m.status::ticketing.seat_status, s.id, s."createdAt" AT TIME ZONE 'UTC', s."updatedAt" AT TIME ZONE 'UTC'
                      FROM public."Seat" s CROSS JOIN LATERAL (SELECT ticketing_import.map_status('seat', s.status) AS status) m
                     WHERE m.status IS NOT NULL
                    ON CONFLICT DO NOTHING"""),
            new Statement("Booking", """
                    INSERT INTO scratch.booking (event_id, id, customer_id, total_amount, status, confirmed_at, cancelled_at, legacy_id, created_at, updated_at)
                    SELECT ticketing_import.legacy_uuid('event', b."eventId"), ticketing_import.legacy_uuid('booking', b.id),
                           ticketing_import.legacy_uuid('user', b."userId"), b."totalAmount", m.status::ticketing.booking_status,
                           CASE WHEN m.status = 'CONFIRMED' THEN b."updatedAt" AT TIME ZONE 'UTC' END,
                           CASE WHEN m.status = 'CANCELLED' THEN b."updatedAt" AT TIME ZONE 'UTC' END,
                           b.id, b."createdAt" AT TIME ZONE 'UTC', b."updatedAt" AT TIME ZONE 'UTC'
                      FROM public."Booking" b CROSS JOIN LATERAL (SELECT ticketing_import.map_status('booking', b.status) AS status) m
                     WHERE m.status IS NOT NULL
                    ON CONFLICT DO NOTHING"""),
            new Statement("Booking", """
                    INSERT INTO scratch.booked_seat (event_id, booking_id, seat_id, price, created_at, updated_at, released_at)
                    SELECT ticketing_import.legacy_uuid('event', b."eventId"), ticketing_import.legacy_uuid('booking', b.id),
                           ticketing_import.legacy_uuid('seat', x.seat_id), s.price, b."createdAt" AT TIME ZONE 'UTC', b."updatedAt" AT TIME ZONE 'UTC',
                           CASE WHEN ticketing_import.map_status('booking', b.status) = 'CANCELLED' THEN b."updatedAt" AT TIME ZONE 'UTC' END
                      FROM public."Booking" b
                     CROSS JOIN LATERAL ticketing_import.decode_seats(b.seats) d
                     CROSS JOIN LATERAL unnest(d.ids) AS x(seat_id)
                      JOIN public."Seat" s ON s.id = x.seat_id AND s."eventId" = b."eventId"
                     WHERE d.problem IS NULL AND ticketing_import.map_status('booking', b.status) IS NOT NULL
                    ON CONFLICT DO NOTHING"""),
            new Statement("PaymentSession", """
                    INSERT INTO scratch.payment_session (event_id, id, customer_id, amount, currency, status, provider_ref, expires_at, booking_id,
                                                         legacy_id, created_at, updated_at)
                    SELECT ticketing_import.legacy_uuid('event', p."eventId"), ticketing_import.legacy_uuid('payment_session', p.id),
                           ticketing_import.legacy_uuid('user', p."userId"), p.amount, 'EUR', m.status::ticketing.payment_session_status,
                           p."providerRef", p."expiresAt" AT TIME ZONE 'UTC', ticketing_import.legacy_uuid('booking', p."bookingId"),
                           p.id, p."createdAt" AT TIME ZONE 'UTC', p."updatedAt" AT TIME ZONE 'UTC'
                      FROM public."PaymentSession" p CROSS JOIN LATERAL (SELECT ticketing_import.map_status('payment_session', p.status) AS status) m
                     WHERE m.status IS NOT NULL
                    ON CONFLICT DO NOTHING"""),
            new Statement("PaymentSession", """
                    INSERT INTO scratch.payment_session_seat (event_id, payment_session_id, seat_id, created_at, updated_at, released_at)
                    SELECT ticketing_import.legacy_uuid('event', p."eventId"), ticketing_import.legacy_uuid('payment_session', j."A"),
                           ticketing_import.legacy_uuid('seat', j."B"), p."createdAt" AT TIME ZONE 'UTC', p."updatedAt" AT TIME ZONE 'UTC',
                           CASE WHEN ticketing_import.map_status('payment_session', p.status) IN ('OPEN', 'PROCESSING') THEN NULL
                                ELSE p."updatedAt" AT TIME ZONE 'UTC' END
                      FROM public."_PaymentSessionToSeat" j JOIN public."PaymentSession" p ON p.id = j."A"
                     WHERE ticketing_import.map_status('payment_session', p.status) IS NOT NULL
                    ON CONFLICT DO NOTHING"""),
            new Statement("Ticket", """
                    INSERT INTO scratch.ticket (event_id, id, booking_id, seat_id, customer_id, code, status, checked_in_at, legacy_id, created_at, updated_at)
                    SELECT ticketing_import.legacy_uuid('event', t."eventId"), ticketing_import.legacy_uuid('ticket', t.id),
                           ticketing_import.legacy_uuid('booking', t."bookingId"), ticketing_import.legacy_uuid('seat', t."seatId"),
                           ticketing_import.legacy_uuid('user', t."userId"), t.code, m.status::ticketing.ticket_status,
                           CASE WHEN m.status = 'USED' THEN t."updatedAt" AT TIME ZONE 'UTC' END,
                           t.id, t."createdAt" AT TIME ZONE 'UTC', t."updatedAt" AT TIME ZONE 'UTC'
                      FROM public."Ticket" t CROSS JOIN LATERAL (SELECT ticketing_import.map_status('ticket', t.status) AS status) m
                     WHERE m.status IS NOT NULL AND length(t.code) >= 8
                    ON CONFLICT DO NOTHING"""));
}

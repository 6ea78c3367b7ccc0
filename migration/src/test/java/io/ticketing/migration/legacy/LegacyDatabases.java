package io.ticketing.migration.legacy;

import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.TestPostgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Legacy databases for the tests: a generated dirty data set, prepared once per JVM, copied per test. */
final class LegacyDatabases {

    static final int SEATS = 10_000;
    static final long SEED = 42;

    private LegacyDatabases() {
    }

    /** A database of its own holding the legacy tables and the generated data set (no new schema yet). */
    static TestDatabase dirty() {
        return TestPostgres.freshDatabase("legacy-dirty-10k", d -> {
            try (Connection connection = d.connect()) {
                LegacySchema.create(connection);
                LegacyDataGenerator.generate(connection, SEATS, SEED);
            }
        });
    }

    /** A database of its own holding the legacy tables and what {@code sql} writes into them (a template by {@code name}). */
    static TestDatabase holding(String name, String sql) {
        return TestPostgres.freshDatabase(name, d -> {
            try (Connection connection = d.connect()) {
                LegacySchema.create(connection);
                Jdbc.script(connection, sql);
            }
        });
    }

    static LegacyDataGenerator.Planted planted() {
        return LegacyDataGenerator.plantedFor(SEATS);
    }

    static ImportOptions quietOptions() {
        return ImportOptions.defaults().withBatchSize(1000);
    }

    static Map<String, String> legacyHashes(TestDatabase database) throws SQLException {
        try (Connection connection = database.connect()) {
            return LegacySchema.contentHashes(connection);
        }
    }

    /**
     * Content of the new schema's tables, without the bookkeeping timestamps the import run sets, nor the random id
     * and code of a ticket the import issued (legacy_id null: ImportStep.RECONCILE).
     */
    static Map<String, String> ticketingHashes(TestDatabase database) throws SQLException {
        Map<String, String> hashes = new LinkedHashMap<>();
        try (Connection connection = database.connect()) {
            for (String table : List.of("customer", "event", "seat", "payment_session", "payment_session_seat", "booking", "booked_seat",
                    "ticket", "event_summary")) {
                hashes.put(table, (String) Jdbc.single(connection, "SELECT md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')) FROM "
                        + "(SELECT (to_jsonb(t) - 'created_at' - 'updated_at' - CASE WHEN to_jsonb(t) -> 'code' IS NOT NULL AND to_jsonb(t) ->> 'legacy_id' IS NULL "
                        + "THEN ARRAY['id', 'code'] ELSE ARRAY[]::text[] END)::text AS r FROM ticketing." + table + " t) x"));
            }
            hashes.put("quarantine", (String) Jdbc.single(connection, "SELECT md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')) FROM "
                    + "(SELECT (to_jsonb(q) - 'quarantined_at')::text AS r FROM ticketing_import.quarantine q) x"));
        }
        return hashes;
    }

    /**
     * The new schema's indexes and constraints, each by name with its definition: what the copy
     * drops and builds again must come back as the migrations define it.
     */
    static List<Map<String, Object>> schemaShape(TestDatabase database) throws SQLException {
        try (Connection connection = database.connect()) {
            return Jdbc.query(connection, """
                    SELECT 'index' AS kind, indexname AS name, indexdef AS definition FROM pg_indexes WHERE schemaname = 'ticketing'
                    UNION ALL
                    SELECT 'constraint', c.conrelid::regclass || '.' || c.conname, pg_get_constraintdef(c.oid)
                      FROM pg_constraint c WHERE c.connamespace = 'ticketing'::regnamespace
                    ORDER BY 1, 2""");
        }
    }

    /**
     * A customer's cancellation of a booking in the new application, in one transaction naming the customer as its actor:
     * booking cancelled, its tickets set to {@code ticketStatus}, its seats released and available, a refund requested.
     */
    static void cancelAsTheNewApplication(Connection connection, Map<String, Object> booking, String ticketStatus) throws SQLException {
        Object event = booking.get("event_id");
        Object id = booking.get("id");
        connection.setAutoCommit(false);
        Jdbc.query(connection, "SELECT set_config('ticketing.actor', ?, true)", "customer:" + booking.get("customer_id"));
        Jdbc.update(connection, "UPDATE ticketing.booking SET status = 'CANCELLED', cancelled_at = now() WHERE event_id = ? AND id = ?", event, id);
        Jdbc.update(connection, "UPDATE ticketing.ticket SET status = ?::ticketing.ticket_status WHERE event_id = ? AND booking_id = ?",
                ticketStatus, event, id);
        Jdbc.update(connection, """
                UPDATE ticketing.seat s SET status = 'AVAILABLE' FROM ticketing.booked_seat bs
                 WHERE bs.event_id = ? AND bs.booking_id = ? AND s.event_id = bs.event_id AND s.id = bs.seat_id""", event, id);
        Jdbc.update(connection, "UPDATE ticketing.booked_seat SET released_at = now() WHERE event_id = ? AND booking_id = ?", event, id);
        Jdbc.update(connection, """
                INSERT INTO ticketing.refund_request (event_id, booking_id, customer_id, amount, currency, reason,
                                                      provider_idempotency_key, requested_at)
                VALUES (?, ?, ?, ?, 'EUR', 'cancelled by the customer', 'refund-' || ?::text, now())""",
                event, id, booking.get("customer_id"), booking.get("total_amount"), id);
        connection.commit();
        connection.setAutoCommit(true);
    }

    /**
     * A seat of a confirmed legacy booking whose claim on it the import quarantined (the pair, "Booking.seats"), having
     * given the seat to an earlier booking: {@code seat}, {@code booking}.
     */
    static final String QUARANTINED_PAIR_OF_A_CONFIRMED_BOOKING = """
            SELECT q.payload ->> 'seatId' AS seat, q.batch_key AS booking FROM ticketing_import.quarantine q
              JOIN "Booking" b ON b.id = q.batch_key AND b.status = 'confirmed'
             WHERE q.table_name = 'Booking.seats' AND q.reason = 'seat already claimed'
             ORDER BY 1 LIMIT 1""";

    /** The new application's cancellation of the migrated booking that holds {@code seat}, its tickets cancelled: the seat is available there. */
    static void cancelTheBookingHolding(Connection connection, String seat) throws SQLException {
        cancelAsTheNewApplication(connection, Jdbc.query(connection, """
                SELECT b.event_id, b.id, b.customer_id, b.total_amount FROM ticketing.booked_seat bs
                  JOIN ticketing.seat s ON s.event_id = bs.event_id AND s.id = bs.seat_id
                  JOIN ticketing.booking b ON b.event_id = bs.event_id AND b.id = bs.booking_id
                 WHERE s.legacy_id = ? AND bs.released_at IS NULL""", seat).get(0), "CANCELLED");
        if (!"AVAILABLE".equals(Jdbc.single(connection, "SELECT status::text FROM ticketing.seat WHERE legacy_id = ?", seat))) {
            throw new IllegalStateException("seat " + seat + " is not available after its booking's cancellation");
        }
    }
}

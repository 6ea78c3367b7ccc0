package io.ticketing.migration.legacy;

import io.ticketing.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class CatchUpAndRollbackTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void writes_to_the_legacy_tables_during_the_import_are_present_after_the_catch_up() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        ImportOptions slow = LegacyDatabases.quietOptions().withBatchSize(500).withThrottleMs(40);
        CompletableFuture<ImportReport> running = CompletableFuture.supplyAsync(() -> {
            try {
                return new LegacyImporter(database.dataSource(), slow, QUIET).run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        String newUser;
        String newBooking;
        String cancelled;
        String seat;
        try (Connection connection = database.connect()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && (!Jdbc.exists(connection, "ticketing_import", "progress")
                    || Jdbc.count(connection, "SELECT count(*) FROM ticketing_import.progress WHERE step = 'seat' AND done") == 0)) {
                Thread.sleep(20);
            }
            assertThat(running).as("still copying while the legacy app writes").isNotDone();
            // The legacy app sells a free seat to a new customer, and cancels an already copied booking.
            newUser = "cnew" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
            newBooking = UUID.randomUUID().toString();
            seat = (String) Jdbc.single(connection, "SELECT id FROM \"Seat\" WHERE status = 'available' AND number = 10 ORDER BY id LIMIT 1");
            Jdbc.update(connection, "INSERT INTO \"User\" (id, email, name, \"updatedAt\") VALUES (?, ?, 'Late Comer', now())", newUser, newUser + "@example.com");
            Jdbc.update(connection, """
                    INSERT INTO "Booking" (id, "userId", "eventId", seats, "totalAmount", status, "updatedAt")
                    SELECT ?, ?, "eventId", jsonb_build_array(id), price, 'confirmed', now() FROM "Seat" WHERE id = ?""", newBooking, newUser, seat);
            Jdbc.update(connection, "UPDATE \"Seat\" SET status = 'booked' WHERE id = ?", seat);
            cancelled = (String) Jdbc.single(connection, "SELECT id FROM \"Booking\" WHERE status = 'pending' ORDER BY id LIMIT 1");
            Jdbc.update(connection, "UPDATE \"Booking\" SET status = 'cancelled', \"updatedAt\" = now() WHERE id = ?", cancelled);
        }
        ImportReport report = running.get(60, TimeUnit.SECONDS);

        assertThat(report.addsUp()).isTrue();
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT name FROM ticketing.customer WHERE legacy_id = ?", newUser)).isEqualTo("Late Comer");
            assertThat(Jdbc.single(connection, "SELECT status::text FROM ticketing.booking WHERE legacy_id = ?", newBooking)).isEqualTo("CONFIRMED");
            assertThat(Jdbc.single(connection, "SELECT status::text FROM ticketing.seat WHERE legacy_id = ?", seat)).isEqualTo("BOOKED");
            assertThat(Jdbc.single(connection, "SELECT status::text FROM ticketing.booking WHERE legacy_id = ?", cancelled)).isEqualTo("CANCELLED");
            assertThat(Jdbc.single(connection, "SELECT cutover_at IS NOT NULL FROM ticketing_import.run")).isEqualTo(true);
        }
        assertThat(new LegacyVerifier(database.dataSource()).run().clean()).isTrue();
    }

    @Test
    void import_then_rollback_gives_back_the_legacy_tables_unchanged() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        Map<String, String> before = LegacyDatabases.legacyHashes(database);
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();

        new LegacyRollback(database.dataSource(), QUIET).run();

        assertThat(LegacyDatabases.legacyHashes(database)).isEqualTo(before);
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.schemaExists(connection, "ticketing")).isFalse();
            assertThat(Jdbc.schemaExists(connection, "ticketing_import")).isFalse();
            assertThat(Jdbc.count(connection, "SELECT count(*) FROM pg_trigger WHERE tgname = 'ticketing_import_capture'")).isZero();
        }
    }

    @Test
    void rollback_after_the_cut_over_carries_back_what_the_new_schema_sold() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        Map<String, String> before = LegacyDatabases.legacyHashes(database);
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        UUID customer = UUID.randomUUID();
        UUID booking = UUID.randomUUID();
        UUID ticket = UUID.randomUUID();
        String seatLegacyId;
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            // The new application sells a free seat after the cut-over.
            Map<String, Object> seat = Jdbc.query(connection, """
                    SELECT event_id, id, price, legacy_id FROM ticketing.seat WHERE status = 'AVAILABLE' ORDER BY legacy_id LIMIT 1""").get(0);
            seatLegacyId = (String) seat.get("legacy_id");
            Jdbc.update(connection, "INSERT INTO ticketing.customer (id, email, name) VALUES (?, ?, 'New Buyer')", customer, customer + "@example.org");
            Jdbc.update(connection, """
                    INSERT INTO ticketing.booking (event_id, id, customer_id, total_amount, status, confirmed_at)
                    VALUES (?, ?, ?, ?, 'CONFIRMED', now())""", seat.get("event_id"), booking, customer, seat.get("price"));
            Jdbc.update(connection, "INSERT INTO ticketing.booked_seat (event_id, booking_id, seat_id, price) VALUES (?, ?, ?, ?)",
                    seat.get("event_id"), booking, seat.get("id"), seat.get("price"));
            Jdbc.update(connection, "UPDATE ticketing.seat SET status = 'BOOKED' WHERE event_id = ? AND id = ?", seat.get("event_id"), seat.get("id"));
            Jdbc.update(connection, """
                    INSERT INTO ticketing.ticket (event_id, id, booking_id, seat_id, customer_id, code)
                    VALUES (?, ?, ?, ?, ?, 'NEW-TICKET-0001')""", seat.get("event_id"), ticket, booking, seat.get("id"), customer);
            connection.commit();
        }

        new LegacyRollback(database.dataSource(), QUIET).run();

        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT name FROM \"User\" WHERE id = ?", customer.toString())).isEqualTo("New Buyer");
            assertThat(Jdbc.single(connection, "SELECT status || ' ' || seats::text FROM \"Booking\" WHERE id = ?", booking.toString()))
                    .isEqualTo("confirmed [\"" + seatLegacyId + "\"]");
            assertThat(Jdbc.single(connection, "SELECT status FROM \"Seat\" WHERE id = ?", seatLegacyId)).isEqualTo("booked");
            assertThat(Jdbc.single(connection, "SELECT code FROM \"Ticket\" WHERE id = ?", ticket.toString())).isEqualTo("NEW-TICKET-0001");
            // Everything else is exactly the original.
            for (String table : ImportStep.LEGACY_TABLES) {
                String key = table.equals("_PaymentSessionToSeat") ? "\"A\"" : "id";
                String hash = "SELECT coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') FROM public." + Jdbc.quoteIdent(table)
                        + " t WHERE " + key + " NOT IN (?, ?, ?, ?)";
                assertThat(Jdbc.single(connection, hash, customer.toString(), booking.toString(), ticket.toString(), seatLegacyId))
                        .as(table).isEqualTo(hashOfOriginalWithout(before, table, seatLegacyId));
            }
        }
    }

    /** The original table's hash, minus the one seat the new schema sold (recomputed on a fresh copy). */
    private static String hashOfOriginalWithout(Map<String, String> before, String table, String seat) throws Exception {
        if (!table.equals("Seat")) {
            return before.get(table);
        }
        try (Connection connection = LegacyDatabases.dirty().connect()) {
            return (String) Jdbc.single(connection, "SELECT md5(string_agg(t::text, E'\\n' ORDER BY t::text)) FROM public.\"Seat\" t WHERE id <> ?", seat);
        }
    }
}

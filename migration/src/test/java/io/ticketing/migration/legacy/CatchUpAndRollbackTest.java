package io.ticketing.migration.legacy;

import io.ticketing.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
                    // the seats are copied (by every worker) once the claims' step has begun
                    || Jdbc.count(connection, "SELECT count(*) FROM ticketing_import.progress WHERE step LIKE 'claims%'") == 0)) {
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
            assertThat(Jdbc.count(connection, "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'ticketing\\_import%'")).isZero();
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
        // The new application sells a free seat after the cut-over.
        String seatLegacyId = sellAFreeSeat(database, customer, customer + "@example.org", "New Buyer", booking, ticket, "NEW-TICKET-0001");

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

    @Test
    void rows_the_new_application_created_are_carried_back_updated_no_earlier_than_created() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        UUID customer = UUID.randomUUID();
        UUID booking = UUID.randomUUID();
        UUID ticket = UUID.randomUUID();
        UUID event = UUID.randomUUID();
        UUID seat = UUID.randomUUID();
        sellAFreeSeat(database, customer, customer + "@example.org", "New Buyer", booking, ticket, "NEW-TICKET-0002");
        try (Connection connection = database.connect()) {
            // The application's clock writes created_at, the database's now() updated_at, at the start of the transaction:
            // a row is stored updated a few milliseconds before it was created.
            Jdbc.update(connection, "INSERT INTO ticketing.event (id, title, starts_at, currency, created_at) "
                    + "VALUES (?, 'New show', now() + interval '30 days', 'EUR', now() + interval '5 ms')", event);
            Jdbc.update(connection, "INSERT INTO ticketing.seat (event_id, id, section, \"row\", number, price, created_at) "
                    + "VALUES (?, ?, 'A', '1', 1, 10.00, now() + interval '5 ms')", event, seat);
            for (String table : List.of("customer", "booking", "ticket")) {
                Jdbc.update(connection, "UPDATE ticketing." + table + " SET created_at = updated_at + interval '5 ms' WHERE id = ANY (?)",
                        (Object) new UUID[] {customer, booking, ticket});
            }
        }

        new LegacyRollback(database.dataSource(), QUIET).run();

        try (Connection connection = database.connect()) {
            for (var row : Map.of("User", customer, "Booking", booking, "Ticket", ticket, "Event", event, "Seat", seat).entrySet()) {
                assertThat(Jdbc.single(connection, "SELECT \"updatedAt\" >= \"createdAt\" FROM public.\"" + row.getKey() + "\" WHERE id = ?",
                        row.getValue().toString())).as(row.getKey()).isEqualTo(true);
            }
        }
    }

    @Test
    void rollback_carries_back_every_column_the_new_application_changed_on_migrated_rows() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        String event;
        String seat;
        String session;
        String ticket;
        String user;
        String deleted;
        try (Connection connection = database.connect()) {
            event = (String) Jdbc.single(connection, "SELECT legacy_id FROM ticketing.event WHERE status = 'PUBLISHED' ORDER BY legacy_id LIMIT 1");
            seat = (String) Jdbc.single(connection, "SELECT legacy_id FROM ticketing.seat WHERE status = 'AVAILABLE' ORDER BY legacy_id LIMIT 1");
            session = (String) Jdbc.single(connection, "SELECT legacy_id FROM ticketing.payment_session WHERE status = 'SUCCEEDED' ORDER BY legacy_id LIMIT 1");
            ticket = (String) Jdbc.single(connection, "SELECT legacy_id FROM ticketing.ticket WHERE status = 'VALID' ORDER BY legacy_id LIMIT 1");
            user = (String) Jdbc.single(connection, "SELECT legacy_id FROM ticketing.customer ORDER BY legacy_id LIMIT 1");
            assertThat(Arrays.asList(event, seat, session, ticket, user)).doesNotContainNull();
            // What the new application (or an embedder's adapter) changes on migrated rows after the cut-over.
            Jdbc.update(connection, """
                    UPDATE ticketing.event SET title = 'Renamed', description = 'New words', venue = 'Other Hall',
                           starts_at = '2031-05-01T19:00:00Z', ends_at = '2031-05-01T23:00:00Z', status = 'CANCELLED' WHERE legacy_id = ?""", event);
            Jdbc.update(connection, "UPDATE ticketing.seat SET section = 'Z', \"row\" = '9', number = 99, price = 12.34, status = 'BLOCKED' WHERE legacy_id = ?", seat);
            Jdbc.update(connection, "UPDATE ticketing.payment_session SET amount = 1.23, provider_ref = 'pi_new', expires_at = '2031-01-01T00:00:00Z' WHERE legacy_id = ?", session);
            Jdbc.update(connection, "UPDATE ticketing.ticket SET status = 'USED', checked_in_at = now(), code = 'REISSUED-0001' WHERE legacy_id = ?", ticket);
            Jdbc.update(connection, "UPDATE ticketing.customer SET email = 'renamed@example.org', name = 'Renamed Person' WHERE legacy_id = ?", user);
            deleted = (String) Jdbc.single(connection, """
                    UPDATE ticketing.event SET is_deleted = true, deleted_at = now()
                     WHERE legacy_id = (SELECT max(legacy_id) FROM ticketing.event) RETURNING legacy_id""");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        new LegacyRollback(database.dataSource(), new PrintStream(output, true, StandardCharsets.UTF_8)).run();

        assertThat(output.toString(StandardCharsets.UTF_8)).contains("note: 1 event deleted in the new application will be listed again by the "
                + "legacy app, whose tables have no soft delete: " + deleted);

        try (Connection connection = database.connect()) {
            assertThat(Jdbc.query(connection, """
                    SELECT title, description, venue, "startDate"::text AS starts, "endDate"::text AS ends, status FROM "Event" WHERE id = ?""", event))
                    .containsExactly(Map.of("title", "Renamed", "description", "New words", "venue", "Other Hall",
                            "starts", "2031-05-01 19:00:00", "ends", "2031-05-01 23:00:00", "status", "CANCELLED"));
            assertThat(Jdbc.single(connection, "SELECT section || '/' || \"row\" || '/' || number || '/' || price || '/' || status FROM \"Seat\" WHERE id = ?", seat))
                    .isEqualTo("Z/9/99/12.34/blocked");
            assertThat(Jdbc.single(connection, "SELECT amount || '/' || \"providerRef\" || '/' || \"expiresAt\" FROM \"PaymentSession\" WHERE id = ?", session))
                    .isEqualTo("1.23/pi_new/2031-01-01 00:00:00");
            assertThat(Jdbc.single(connection, "SELECT status || '/' || code FROM \"Ticket\" WHERE id = ?", ticket)).isEqualTo("used/REISSUED-0001");
            assertThat(Jdbc.single(connection, "SELECT email || '/' || name FROM \"User\" WHERE id = ?", user)).isEqualTo("renamed@example.org/Renamed Person");
        }
    }

    @Test
    void rollback_changes_nothing_when_a_legacy_column_it_cannot_fill_was_added() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        try (Connection connection = database.connect()) {
            // The legacy app's team added a column; its rows have values, new ones must bring their own.
            Jdbc.script(connection, "ALTER TABLE \"User\" ADD COLUMN locale text NOT NULL DEFAULT 'en'; ALTER TABLE \"User\" ALTER COLUMN locale DROP DEFAULT");
            // Its creation time taken from another clock a moment ahead of the database's, which wrote updated_at.
            Jdbc.update(connection, "INSERT INTO ticketing.customer (email, name, created_at) VALUES ('new@example.org', 'New Buyer', "
                    + "now() + interval '100 milliseconds')");
        }
        Map<String, String> before = LegacyDatabases.legacyHashes(database);

        assertThatThrownBy(() -> new LegacyRollback(database.dataSource(), QUIET).run())
                .hasMessageStartingWith("rollback changed nothing: the legacy table public.\"User\" has a NOT NULL column \"locale\" without a default");

        assertThat(LegacyDatabases.legacyHashes(database)).isEqualTo(before);
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.schemaExists(connection, "ticketing")).isTrue();
            Jdbc.script(connection, "ALTER TABLE \"User\" ALTER COLUMN locale SET DEFAULT 'en'");
        }
        new LegacyRollback(database.dataSource(), QUIET).run();
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT name || '/' || locale FROM \"User\" WHERE email = 'new@example.org'")).isEqualTo("New Buyer/en");
            assertThat(Jdbc.single(connection, "SELECT \"updatedAt\" >= \"createdAt\" FROM \"User\" WHERE email = 'new@example.org'"))
                    .as("never updated before it was created").isEqualTo(true);
        }
    }

    @Test
    void a_legacy_updated_at_in_the_future_is_not_taken_for_a_write_of_the_new_application() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        String booking;
        try (Connection connection = database.connect()) {
            // The legacy app's clock runs a minute ahead: it touched a paid one-seat booking with a valid ticket.
            booking = (String) Jdbc.single(connection, """
                    SELECT b.id FROM "Booking" b WHERE b.status = 'confirmed'
                       AND CASE WHEN jsonb_typeof(b.seats) = 'array' THEN jsonb_array_length(b.seats) END = 1
                       AND EXISTS (SELECT 1 FROM "Ticket" t WHERE t."bookingId" = b.id AND t.status = 'valid')
                       AND EXISTS (SELECT 1 FROM "Seat" s WHERE s.id = b.seats ->> 0 AND s.status = 'booked')
                     ORDER BY b.id LIMIT 1""");
            Jdbc.update(connection, "UPDATE \"Booking\" SET \"updatedAt\" = (now() AT TIME ZONE 'UTC') + interval '1 minute' WHERE id = ?", booking);
            // and checked in a ticket of another booking (its check-in time is taken from its last update).
            Jdbc.update(connection, """
                    UPDATE "Ticket" SET status = 'used', "updatedAt" = (now() AT TIME ZONE 'UTC') + interval '1 minute'
                     WHERE id = (SELECT t.id FROM "Ticket" t JOIN "Booking" b ON b.id = t."bookingId"
                                  WHERE t.status = 'valid' AND b.status = 'confirmed' AND b.id <> ? ORDER BY t.id LIMIT 1)""", booking);
        }
        ImportReport first = new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        assertThat(first.anomalies().get("Booking: updatedAt in the future, stored as the time of the import").examples()).containsExactly(booking);
        assertThat(first.anomalyCounts()).containsEntry("Ticket: updatedAt in the future, stored as the time of the import", 1L);
        // The times the import took from those updates are its own, and verify knows why.
        assertThat(new LegacyVerifier(database.dataSource()).run().checks()).filteredOn(c -> c.differences() > 0).isEmpty();
        try (Connection connection = database.connect()) {
            // After the cut-over, before the new application writes anything, the legacy app cancels that booking.
            connection.setAutoCommit(false);
            Jdbc.update(connection, "UPDATE \"Booking\" SET status = 'cancelled', \"updatedAt\" = now() AT TIME ZONE 'UTC' WHERE id = ?", booking);
            Jdbc.update(connection, "UPDATE \"Ticket\" SET status = 'cancelled', \"updatedAt\" = now() AT TIME ZONE 'UTC' WHERE \"bookingId\" = ?", booking);
            Jdbc.update(connection, """
                    UPDATE "Seat" SET status = 'available', "updatedAt" = now() AT TIME ZONE 'UTC'
                     WHERE id = (SELECT seats ->> 0 FROM "Booking" WHERE id = ?)""", booking);
            connection.commit();
        }

        // The operator runs import again to carry that over, as the guide says: no write of the new application to protect.
        ImportReport again = new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        assertThat(again.pending()).isZero();
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT status::text FROM ticketing.booking WHERE legacy_id = ?", booking)).isEqualTo("CANCELLED");
        }
        assertThat(new LegacyVerifier(database.dataSource()).run().checks()).filteredOn(c -> c.differences() > 0).isEmpty();
        Map<String, String> legacy = LegacyDatabases.legacyHashes(database);

        new LegacyRollback(database.dataSource(), QUIET).run();

        // Nothing was the new application's: the legacy tables, the cancellation included, are as the legacy app left them.
        assertThat(LegacyDatabases.legacyHashes(database)).isEqualTo(legacy);
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT status FROM \"Booking\" WHERE id = ?", booking)).isEqualTo("cancelled");
        }
    }

    @Test
    void a_customer_of_the_new_application_with_the_address_of_a_quarantined_legacy_user_is_carried_back_as_that_user() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        String quarantined;
        String email;
        try (Connection connection = database.connect()) {
            // A legacy user the import quarantines (a date no column holds), who never bought anything.
            Map<String, Object> user = Jdbc.query(connection, """
                    SELECT u.id, lower(u.email) AS email FROM "User" u
                     WHERE u.email = lower(u.email) AND u.email ~ '^[a-z0-9.]+@[a-z0-9.]+$'
                       AND NOT EXISTS (SELECT 1 FROM "Booking" b WHERE b."userId" = u.id)
                       AND NOT EXISTS (SELECT 1 FROM "PaymentSession" p WHERE p."userId" = u.id)
                       AND NOT EXISTS (SELECT 1 FROM "Ticket" t WHERE t."userId" = u.id)
                     ORDER BY u.id LIMIT 1""").get(0);
            quarantined = (String) user.get("id");
            email = (String) user.get("email");
            Jdbc.update(connection, "UPDATE \"User\" SET \"createdAt\" = 'infinity' WHERE id = ?", quarantined);
        }
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        UUID customer = UUID.randomUUID();
        UUID booking = UUID.randomUUID();
        UUID ticket = UUID.randomUUID();
        // Its owner signs up again with the address and buys a seat.
        sellAFreeSeat(database, customer, email, "Back Again", booking, ticket, "BACK-AGAIN-0001");
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        new LegacyRollback(database.dataSource(), new PrintStream(output, true, StandardCharsets.UTF_8)).run();

        assertThat(output.toString(StandardCharsets.UTF_8)).contains("note: 1 customer the new application created had the e-mail "
                + "address of a legacy user the import had not migrated (quarantined, or added by the legacy app since the cut-over): "
                + "carried back as that user, whose id its bookings, "
                + "checkouts and tickets name: " + quarantined);
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT \"userId\" FROM \"Booking\" WHERE id = ?", booking.toString())).isEqualTo(quarantined);
            assertThat(Jdbc.single(connection, "SELECT \"userId\" || '/' || code FROM \"Ticket\" WHERE id = ?", ticket.toString()))
                    .isEqualTo(quarantined + "/BACK-AGAIN-0001");
            assertThat(Jdbc.count(connection, "SELECT count(*) FROM \"User\" WHERE id = ? OR email = ?", customer.toString(), email)).isEqualTo(1);
        }
    }

    @Test
    void a_cancelled_booking_with_a_quarantined_seat_pair_takes_its_quarantined_ticket_along_on_rollback() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        String booking;
        String quarantinedTicket;
        String migratedTicket;
        try (Connection connection = database.connect()) {
            // A booking migrated with one seat, its other seat's pair quarantined with the legacy ticket of that seat.
            Map<String, Object> pair = Jdbc.query(connection, """
                    SELECT q.batch_key AS booking, t.id AS ticket FROM ticketing_import.quarantine q
                      JOIN "Ticket" t ON t."bookingId" = q.batch_key AND t."seatId" = q.payload ->> 'seatId' AND t.status = 'valid'
                      JOIN ticketing_import.quarantine qt ON qt.table_name = 'Ticket' AND qt.legacy_id = t.id
                     WHERE q.table_name = 'Booking.seats' AND q.reason = 'seat already claimed'
                     ORDER BY 1 LIMIT 1""").get(0);
            booking = (String) pair.get("booking");
            quarantinedTicket = (String) pair.get("ticket");
            migratedTicket = (String) Jdbc.single(connection, """
                    SELECT t.legacy_id FROM ticketing.ticket t JOIN ticketing.booking b ON b.event_id = t.event_id AND b.id = t.booking_id
                     WHERE b.legacy_id = ?""", booking);
            assertThat(migratedTicket).isNotNull();
            cancelAsTheNewApplication(connection, booking);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        new LegacyRollback(database.dataSource(), new PrintStream(output, true, StandardCharsets.UTF_8)).run();

        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT status FROM \"Booking\" WHERE id = ?", booking)).isEqualTo("cancelled");
            assertThat(Jdbc.single(connection, "SELECT status FROM \"Ticket\" WHERE id = ?", migratedTicket)).isEqualTo("cancelled");
            // The ticket the import quarantined no longer admits either.
            assertThat(Jdbc.single(connection, "SELECT status FROM \"Ticket\" WHERE id = ?", quarantinedTicket)).isEqualTo("cancelled");
        }
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("note: 1 legacy ticket still valid, of bookings the new application "
                + "cancelled, that the import had not migrated (quarantined with a seat of their booking, say) cancelled too, so that they "
                + "no longer admit at the door (used ones stay used): " + quarantinedTicket);
    }

    @Test
    void a_quarantined_open_checkout_of_a_booking_the_new_application_cancelled_is_cancelled_on_rollback() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        Map<String, Object> checkout;
        try (Connection connection = database.connect()) {
            // A checkout still pending of a paid booking: the import migrated the booking and quarantined the checkout.
            checkout = Jdbc.query(connection, """
                    SELECT q.legacy_id AS id, p."bookingId" AS booking FROM ticketing_import.quarantine q JOIN "PaymentSession" p ON p.id = q.legacy_id
                     WHERE q.table_name = 'PaymentSession' AND q.reason = 'open checkout of a confirmed booking' AND p.status = 'pending'
                     ORDER BY 1 LIMIT 1""").get(0);
            cancelAsTheNewApplication(connection, (String) checkout.get("booking"));
        }

        String output = rollBack(database);

        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT status FROM \"Booking\" WHERE id = ?", checkout.get("booking"))).isEqualTo("cancelled");
            assertThat(Jdbc.single(connection, "SELECT status FROM \"PaymentSession\" WHERE id = ?", checkout.get("id"))).isEqualTo("cancelled");
        }
        assertThat(output).contains("note: 1 legacy checkout still pending, of bookings the new application cancelled, that the import had "
                + "not migrated (quarantined: an open checkout of a paid booking, say) cancelled too, as its booking is, so that the legacy app "
                + "does not take it for a payment still under way: " + checkout.get("id"));
    }

    @Test
    void a_seat_a_quarantined_legacy_booking_still_claims_stays_booked_when_the_new_application_releases_it() throws Exception {
        // A seat of a confirmed legacy booking whose claim was quarantined: the import gave it to an earlier booking.
        KeptSeat kept = releaseTheSeatOfAQuarantinedClaimAndRollBack(
                "SELECT seat, 'Booking:' || booking AS claimant FROM (" + LegacyDatabases.QUARANTINED_PAIR_OF_A_CONFIRMED_BOOKING + ") pair");

        try (Connection connection = kept.database().connect()) {
            assertThat(Jdbc.single(connection, "SELECT status FROM \"Booking\" WHERE 'Booking:' || id = ?", kept.claimant())).isEqualTo("confirmed");
        }
        assertThat(kept.output()).contains("note: 1 seat the new application released (or blocked) keeps its "
                + "legacy status, booked or reserved: a live legacy booking or checkout that the new schema does not hold (quarantined by "
                + "the import, or written by the legacy app after the cut-over) still claims it; settle those claims in the legacy app: Seat:" + kept.seat() + " (" + kept.claimant() + ")");
    }

    @Test
    void a_seat_a_legacy_booking_quarantined_whole_claims_stays_booked_when_the_new_application_releases_it() throws Exception {
        // A confirmed legacy booking quarantined whole, all its seats given to earlier bookings.
        releaseTheSeatOfAQuarantinedClaimAndRollBack("""
                SELECT seat.id AS seat, 'Booking:' || b.id AS claimant FROM ticketing_import.quarantine q
                  JOIN "Booking" b ON b.id = q.legacy_id AND b.status = 'confirmed'
                 CROSS JOIN LATERAL jsonb_array_elements_text(b.seats) seat(id)
                 WHERE q.table_name = 'Booking' AND q.reason = 'seat already claimed'
                 ORDER BY 1 LIMIT 1""");
    }

    @Test
    void a_seat_a_quarantined_link_of_an_open_legacy_checkout_claims_stays_booked_when_the_new_application_releases_it() throws Exception {
        // An open legacy checkout (no booking yet) migrated without its link to a seat a booking holds.
        releaseTheSeatOfAQuarantinedClaimAndRollBack("""
                SELECT q.payload ->> 'B' AS seat, 'PaymentSession:' || q.batch_key AS claimant FROM ticketing_import.quarantine q
                  JOIN "PaymentSession" p ON p.id = q.batch_key AND p.status = 'pending' AND p."bookingId" IS NULL
                 WHERE q.table_name = '_PaymentSessionToSeat' AND q.reason = 'seat already claimed'
                 ORDER BY 1 LIMIT 1""");
    }

    @Test
    void a_seat_whose_quarantined_claim_the_new_application_cancelled_with_its_booking_is_released_on_rollback() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        String seat;
        try (Connection connection = database.connect()) {
            // A confirmed booking migrated without one seat, which the import gave to an earlier booking.
            Map<String, Object> pair = Jdbc.query(connection, LegacyDatabases.QUARANTINED_PAIR_OF_A_CONFIRMED_BOOKING).get(0);
            seat = (String) pair.get("seat");
            // The new application cancels both bookings: nothing claims the seat any more.
            cancelAsTheNewApplication(connection, (String) pair.get("booking"));
            LegacyDatabases.cancelTheBookingHolding(connection, seat);
        }

        String output = rollBack(database);

        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT status FROM \"Seat\" WHERE id = ?", seat)).isEqualTo("available");
        }
        assertThat(output).doesNotContain(seat);
    }

    @Test
    void a_reserved_seat_a_quarantined_confirmed_legacy_booking_claims_is_booked_when_the_new_application_releases_it() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        String seat;
        String paid = "czz" + UUID.randomUUID().toString().replace("-", "").substring(0, 22);
        String unpaid = "czy" + paid.substring(3);
        String laterUnpaid = "cza" + paid.substring(3); // quarantined too, and first by id: the note names the paid one
        try (Connection connection = database.connect()) {
            // The legacy app's race on a free seat: a booking left unpaid, then a later one paid, then another left unpaid; the
            // seat stayed reserved.
            seat = (String) Jdbc.single(connection, """
                    SELECT s.id FROM "Seat" s WHERE s.status = 'available'
                       AND NOT EXISTS (SELECT 1 FROM "_PaymentSessionToSeat" ps WHERE ps."B" = s.id)
                       AND NOT EXISTS (SELECT 1 FROM "Booking" b WHERE b.seats @> jsonb_build_array(s.id))
                     ORDER BY s.id LIMIT 1""");
            for (List<String> booking : List.of(List.of(unpaid, "pending", "2 hours"), List.of(paid, "confirmed", "1 hour"),
                    List.of(laterUnpaid, "pending", "30 minutes"))) {
                Jdbc.update(connection, """
                        INSERT INTO "Booking" (id, "userId", "eventId", seats, "totalAmount", status, "createdAt", "updatedAt")
                        SELECT ?, (SELECT min(id) FROM "User"), "eventId", jsonb_build_array(id), price, ?, now() - ?::interval, now() - ?::interval
                          FROM "Seat" WHERE id = ?""", booking.get(0), booking.get(1), booking.get(2), booking.get(2), seat);
            }
            Jdbc.update(connection, "UPDATE \"Seat\" SET status = 'reserved' WHERE id = ?", seat);
        }
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        try (Connection connection = database.connect()) {
            // The import gave the seat to the earlier booking and quarantined the paid one; the new application cancels the unpaid one.
            assertThat(Jdbc.single(connection, "SELECT reason FROM ticketing_import.quarantine WHERE table_name = 'Booking' AND legacy_id = ?", paid))
                    .isEqualTo("seat already claimed");
            LegacyDatabases.cancelTheBookingHolding(connection, seat);
        }

        String output = rollBack(database);

        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT status FROM \"Seat\" WHERE id = ?", seat)).isEqualTo("booked");
            assertThat(Jdbc.single(connection, "SELECT status FROM \"Booking\" WHERE id = ?", paid)).isEqualTo("confirmed");
        }
        assertThat(output).contains("note: 1 seat reserved in the legacy tables that the new application released (or blocked) is now "
                + "booked: a confirmed legacy booking that the new schema does not hold (quarantined by the import, or written by the legacy app after the "
                + "cut-over) holds it: Seat:" + seat + " (Booking:" + paid + ")")
                .doesNotContain("keeps its legacy status");
    }

    private record KeptSeat(TestDatabase database, String seat, String claimant, String output) {
    }

    /**
     * Imports, finds a booked legacy seat and the quarantined live claim on it ({@code claim}: seat, claimant), has the new
     * application cancel the migrated booking that holds the seat, rolls back: the seat stays booked, named with its claimant.
     */
    private static KeptSeat releaseTheSeatOfAQuarantinedClaimAndRollBack(String claim) throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        String seat;
        String claimant;
        try (Connection connection = database.connect()) {
            Map<String, Object> found = Jdbc.query(connection, claim).get(0);
            seat = (String) found.get("seat");
            claimant = (String) found.get("claimant");
            assertThat(Jdbc.single(connection, "SELECT status FROM \"Seat\" WHERE id = ?", seat)).isEqualTo("booked");
            LegacyDatabases.cancelTheBookingHolding(connection, seat);
        }

        String output = rollBack(database);

        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT status FROM \"Seat\" WHERE id = ?", seat)).isEqualTo("booked");
        }
        assertThat(output).contains("settle those claims in the legacy app: Seat:" + seat + " (" + claimant + ")");
        return new KeptSeat(database, seat, claimant, output);
    }

    @Test
    void a_seat_an_open_legacy_checkout_quarantined_whole_holds_stays_reserved_when_the_new_application_blocks_it() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        String held;
        String duplicate = "czz" + UUID.randomUUID().toString().replace("-", "").substring(0, 22);
        try (Connection connection = database.connect()) {
            // The legacy app's double-submitted checkout: two open checkouts of one payment, each holding a seat of its own.
            List<Map<String, Object>> seats = Jdbc.query(connection, """
                    SELECT s.id, s."eventId" AS event, s.price FROM "Seat" s
                     WHERE s.status = 'available' AND s."eventId" = (SELECT "eventId" FROM "Seat" WHERE status = 'available' ORDER BY id LIMIT 1)
                       AND NOT EXISTS (SELECT 1 FROM "_PaymentSessionToSeat" ps WHERE ps."B" = s.id)
                       AND NOT EXISTS (SELECT 1 FROM "Booking" b WHERE b.seats @> jsonb_build_array(s.id))
                     ORDER BY s.id LIMIT 2""");
            String user = (String) Jdbc.single(connection, "SELECT min(id) FROM \"User\"");
            held = (String) seats.get(1).get("id");
            List<String> checkouts = List.of("czy" + duplicate.substring(3), duplicate);
            for (int i = 0; i < 2; i++) {
                Jdbc.update(connection, """
                        INSERT INTO "PaymentSession" (id, "userId", "eventId", amount, status, "providerRef", "expiresAt", "updatedAt")
                        VALUES (?, ?, ?, ?, 'pending', 'pi_double_submit', now() + interval '1 day', now())""",
                        checkouts.get(i), user, seats.get(i).get("event"), seats.get(i).get("price"));
                Jdbc.update(connection, "INSERT INTO \"_PaymentSessionToSeat\" (\"A\", \"B\") VALUES (?, ?)", checkouts.get(i), seats.get(i).get("id"));
                Jdbc.update(connection, "UPDATE \"Seat\" SET status = 'reserved' WHERE id = ?", seats.get(i).get("id"));
            }
        }
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT reason FROM ticketing_import.quarantine WHERE table_name = 'PaymentSession' AND legacy_id = ?",
                    duplicate)).isEqualTo("duplicate provider reference");
            // The new application's administrator blocks the seat, free there.
            Jdbc.update(connection, "UPDATE ticketing.seat SET status = 'BLOCKED' WHERE legacy_id = ?", held);
        }

        String output = rollBack(database);

        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT status FROM \"Seat\" WHERE id = ?", held)).isEqualTo("reserved");
        }
        assertThat(output).contains("legacy app: Seat:" + held + " (PaymentSession:" + duplicate + ")");
    }

    /** The rollback, returning what it printed. */
    private static String rollBack(TestDatabase database) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        new LegacyRollback(database.dataSource(), new PrintStream(output, true, StandardCharsets.UTF_8)).run();
        return output.toString(StandardCharsets.UTF_8);
    }

    /** A customer's cancellation of a migrated booking in the new application, its tickets cancelled. */
    private static void cancelAsTheNewApplication(Connection connection, String legacyBooking) throws Exception {
        LegacyDatabases.cancelAsTheNewApplication(connection, Jdbc.query(connection,
                "SELECT event_id, id, customer_id, total_amount FROM ticketing.booking WHERE legacy_id = ?", legacyBooking).get(0), "CANCELLED");
    }

    /** What the new application writes when a new customer buys the first free seat: returns the seat's legacy id. */
    private static String sellAFreeSeat(TestDatabase database, UUID customer, String email, String name, UUID booking, UUID ticket,
                                        String code) throws Exception {
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            Map<String, Object> seat = Jdbc.query(connection, """
                    SELECT event_id, id, price, legacy_id FROM ticketing.seat WHERE status = 'AVAILABLE' ORDER BY legacy_id LIMIT 1""").get(0);
            Jdbc.update(connection, "INSERT INTO ticketing.customer (id, email, name) VALUES (?, ?, ?)", customer, email, name);
            Jdbc.update(connection, """
                    INSERT INTO ticketing.booking (event_id, id, customer_id, total_amount, status, confirmed_at)
                    VALUES (?, ?, ?, ?, 'CONFIRMED', now())""", seat.get("event_id"), booking, customer, seat.get("price"));
            Jdbc.update(connection, "INSERT INTO ticketing.booked_seat (event_id, booking_id, seat_id, price) VALUES (?, ?, ?, ?)",
                    seat.get("event_id"), booking, seat.get("id"), seat.get("price"));
            Jdbc.update(connection, "UPDATE ticketing.seat SET status = 'BOOKED' WHERE event_id = ? AND id = ?", seat.get("event_id"), seat.get("id"));
            Jdbc.update(connection, """
                    INSERT INTO ticketing.ticket (event_id, id, booking_id, seat_id, customer_id, code)
                    VALUES (?, ?, ?, ?, ?, ?)""", seat.get("event_id"), ticket, booking, seat.get("id"), customer, code);
            connection.commit();
            return (String) seat.get("legacy_id");
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

package io.ticketing.migration.legacy;

import io.ticketing.migration.legacy.cli.LegacyCommand;
import io.ticketing.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The legacy app kept writing after the cut-over while the new application wrote too: rollback must not hand back
 * a seat sold twice, nor write the new application's version over the legacy app's without being told to.
 */
class RollbackConflictsTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void a_seat_sold_by_both_applications_is_refused_even_with_the_option_and_rolled_back_once_one_sale_is_cancelled() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        String seat;
        UUID applicationBooking = UUID.randomUUID();
        String legacyBooking = legacyId();
        try (Connection connection = database.connect()) {
            seat = sellAsTheNewApplication(connection, applicationBooking);
            sellAsTheLegacyApp(connection, seat, legacyBooking);
        }
        Result imported = legacy(database, "import", "--no-progress");
        assertThat(imported.exit()).isEqualTo(1);
        assertThat(imported.err()).contains("import refused: the new application has written").contains("`legacy rollback`");
        Map<String, String> legacy = LegacyDatabases.legacyHashes(database);
        Map<String, String> imports = LegacyDatabases.ticketingHashes(database);

        for (String[] options : List.of(new String[0], new String[]{"--overwrite-legacy-changes"})) {
            Result rollback = legacy(database, "rollback", options);

            assertThat(rollback.exit()).as(String.join(" ", options)).isEqualTo(1);
            assertThat(rollback.err()).as(String.join(" ", options)).doesNotContain("\n")
                    .startsWith("ticketing: rollback refused, nothing changed: 1 seat would be sold twice, claimed by a booking, checkout "
                            + "or valid ticket the legacy app wrote after the cut-over and by one of the new application's: Seat:" + seat + " (Booking:"
                            + legacyBooking + " of the legacy app, Booking:" + applicationBooking + " of the new application); settle each "
                            + "seat sold twice by cancelling one of its two claims (a booking, a checkout, or a valid ticket the legacy "
                            + "app wrote), in the legacy app or in the new application")
                    .endsWith("then run rollback again");
            assertThat(LegacyDatabases.legacyHashes(database)).isEqualTo(legacy);
            assertThat(LegacyDatabases.ticketingHashes(database)).isEqualTo(imports);
            try (Connection connection = database.connect()) {
                assertThat(LegacySchema.migrationSchemas(connection)).isEqualTo("ticketing, ticketing_import");
            }
        }
        assertThat(legacy(database, "rollback", "--overwrite-legacy-changes").err())
                .contains("(--overwrite-legacy-changes does not decide who keeps a seat)");

        try (Connection connection = database.connect()) {
            // The operator settles it: the legacy app cancels its sale.
            Jdbc.update(connection, "UPDATE \"Booking\" SET status = 'cancelled', \"updatedAt\" = now() WHERE id = ?", legacyBooking);
            Jdbc.update(connection, "UPDATE \"Ticket\" SET status = 'cancelled', \"updatedAt\" = now() WHERE \"bookingId\" = ?", legacyBooking);
        }
        Result rollback = legacy(database, "rollback");

        assertThat(rollback.exit()).as(rollback.err()).isZero();
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.query(connection, "SELECT id FROM \"Booking\" WHERE seats @> jsonb_build_array(?::text) AND status <> 'cancelled'", seat))
                    .containsExactly(Map.of("id", applicationBooking.toString()));
            assertThat(Jdbc.query(connection, "SELECT code FROM \"Ticket\" WHERE \"seatId\" = ? AND status = 'valid'", seat))
                    .containsExactly(Map.of("code", "NEW-APP-0001"));
            assertThat(LegacySchema.migrationSchemas(connection)).isNull();
        }
    }

    @Test
    void a_booking_both_applications_confirmed_each_with_its_own_ticket_for_a_seat_is_refused_not_left_with_two_valid_tickets() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        String ticket = legacyId();
        String seat;
        try (Connection connection = database.connect()) {
            // A migrated pending booking whose payment was processing: the new application's webhook confirms it.
            Map<String, Object> paying = Jdbc.query(connection, """
                    SELECT b.event_id, b.id, b.customer_id, b.legacy_id, ps.id AS checkout
                      FROM ticketing.booking b JOIN ticketing.payment_session ps ON ps.event_id = b.event_id AND ps.booking_id = b.id
                     WHERE b.status = 'PENDING' AND b.legacy_id IS NOT NULL AND ps.status = 'PROCESSING'
                     ORDER BY b.legacy_id LIMIT 1""").get(0);
            Object event = paying.get("event_id");
            Object booking = paying.get("id");
            asTheNewApplication(connection, "payment-webhook", () -> {
                Jdbc.update(connection, "UPDATE ticketing.payment_session SET status = 'SUCCEEDED', provider_ref = 'pi_new_app' "
                        + "WHERE event_id = ? AND id = ?", event, paying.get("checkout"));
                Jdbc.update(connection, "UPDATE ticketing.payment_session_seat SET released_at = now() WHERE event_id = ? "
                        + "AND payment_session_id = ? AND released_at IS NULL", event, paying.get("checkout"));
                Jdbc.update(connection, "UPDATE ticketing.booking SET status = 'CONFIRMED', confirmed_at = now() WHERE event_id = ? AND id = ?",
                        event, booking);
                Jdbc.update(connection, "UPDATE ticketing.seat SET status = 'BOOKED' WHERE event_id = ? AND id IN "
                        + "(SELECT seat_id FROM ticketing.booked_seat WHERE event_id = ? AND booking_id = ?)", event, event, booking);
                Jdbc.update(connection, "INSERT INTO ticketing.ticket (event_id, booking_id, seat_id, customer_id, code) "
                        + "SELECT event_id, booking_id, seat_id, ?, 'NEW-APP-' || seat_id FROM ticketing.booked_seat WHERE event_id = ? "
                        + "AND booking_id = ?", paying.get("customer_id"), event, booking);
            });
            // The legacy box office confirms the same booking, and issues its own ticket for one of its seats.
            Jdbc.update(connection, "UPDATE \"Booking\" SET status = 'confirmed', \"updatedAt\" = now() WHERE id = ?", paying.get("legacy_id"));
            seat = (String) Jdbc.single(connection, """
                    SELECT s.id FROM "Booking" b CROSS JOIN LATERAL jsonb_array_elements_text(b.seats) s(id) WHERE b.id = ?
                     ORDER BY s.id LIMIT 1""", paying.get("legacy_id"));
            Jdbc.update(connection, """
                    INSERT INTO "Ticket" (id, "bookingId", "seatId", "eventId", "userId", code, status, "updatedAt")
                    SELECT ?, b.id, ?, b."eventId", b."userId", 'BOXOFFICE-0001', 'valid', now() FROM "Booking" b WHERE b.id = ?""",
                    ticket, seat, paying.get("legacy_id"));
        }

        Result refused = refusedWithNothingChanged(database);

        assertThat(refused.err()).startsWith("ticketing: rollback refused, nothing changed: 1 seat would be sold twice, claimed by a booking, "
                + "checkout or valid ticket the legacy app wrote after the cut-over and by one of the new application's: Seat:" + seat
                + " (Ticket:" + ticket + " of the legacy app, Ticket:");
    }

    @Test
    void a_seat_the_new_application_sold_that_the_legacy_app_wrote_a_valid_ticket_for_is_refused() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        UUID applicationBooking = UUID.randomUUID();
        String ticket = legacyId();
        String seat;
        try (Connection connection = database.connect()) {
            seat = sellAsTheNewApplication(connection, applicationBooking);
            // The legacy app's box office issues a ticket for the seat, added to a booking of another seat (no claim of its own).
            Jdbc.update(connection, """
                    INSERT INTO "Ticket" (id, "bookingId", "seatId", "eventId", "userId", code, status, "updatedAt")
                    SELECT ?, b.id, s.id, s."eventId", b."userId", 'LEGACY-BOX-0001', 'valid', now()
                      FROM "Seat" s JOIN "Booking" b ON b."eventId" = s."eventId" AND b.status = 'confirmed'
                                                     AND NOT b.seats @> jsonb_build_array(s.id)
                     WHERE s.id = ? ORDER BY b.id LIMIT 1""", ticket, seat);
        }

        Result refused = refusedWithNothingChanged(database);

        assertThat(refused.err()).startsWith("ticketing: rollback refused, nothing changed: 1 seat would be sold twice, claimed by a booking, "
                + "checkout or valid ticket the legacy app wrote after the cut-over and by one of the new application's: Seat:" + seat
                + " (Ticket:" + ticket + " of the legacy app, Booking:" + applicationBooking + " of the new application);");
    }

    @Test
    void rows_changed_by_both_applications_are_refused_and_with_the_option_carried_back_and_listed() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        String event;
        String ticket;
        String seat;
        try (Connection connection = database.connect()) {
            // The new application cancels and refunds a paid booking, renames an event, blocks a seat.
            ticket = cancelAndRefundAsTheNewApplication(connection);
            event = (String) Jdbc.single(connection, "SELECT legacy_id FROM ticketing.event WHERE status = 'PUBLISHED' ORDER BY legacy_id LIMIT 1");
            seat = (String) Jdbc.single(connection, "SELECT legacy_id FROM ticketing.seat WHERE status = 'AVAILABLE' ORDER BY legacy_id LIMIT 1");
            asTheNewApplication(connection, "admin:ann", () -> {
                Jdbc.update(connection, "UPDATE ticketing.event SET title = 'Renamed in the new application' WHERE legacy_id = ?", event);
                Jdbc.update(connection, "UPDATE ticketing.seat SET status = 'BLOCKED' WHERE legacy_id = ?", seat);
            });
            // Later the legacy app, still running, checks the refunded ticket in, renames the event, marks the seat booked.
            Jdbc.update(connection, "UPDATE \"Ticket\" SET status = 'used', \"updatedAt\" = now() WHERE id = ?", ticket);
            Jdbc.update(connection, "UPDATE \"Event\" SET title = 'Renamed in the legacy app', \"updatedAt\" = now() WHERE id = ?", event);
            Jdbc.update(connection, "UPDATE \"Seat\" SET status = 'booked', \"updatedAt\" = now() WHERE id = ?", seat);
        }
        Map<String, String> legacy = LegacyDatabases.legacyHashes(database);
        Map<String, String> imports = LegacyDatabases.ticketingHashes(database);

        Result refused = legacy(database, "rollback");

        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo("ticketing: rollback refused, nothing changed: 3 legacy rows changed after the cut-over both by "
                + "the legacy app (not carried over) and by the new application, in the same columns and differently, where the new "
                + "application's values would overwrite the legacy app's: Event:" + event + " (title), Seat:" + seat + " (status), Ticket:"
                + ticket + " (status); make the new application's values of those columns agree with the legacy app's, or run `legacy "
                + "rollback --overwrite-legacy-changes` to carry the new application's values back over them (it lists each one), then "
                + "run rollback again");
        assertThat(LegacyDatabases.legacyHashes(database)).isEqualTo(legacy);
        assertThat(LegacyDatabases.ticketingHashes(database)).isEqualTo(imports);

        Result overwritten = legacy(database, "rollback", "--overwrite-legacy-changes");

        assertThat(overwritten.exit()).as(overwritten.err()).isZero();
        assertThat(overwritten.out()).contains("note: --overwrite-legacy-changes: 3 legacy rows that the legacy app changed after the "
                        + "cut-over, and the new application changed too, now hold the new application's values in the columns both changed "
                        + "(the legacy app's changes to other columns are kept); the legacy app's changes overwritten:\nnote: legacy change "
                        + "overwritten: Event:" + event + " (title)\nnote: legacy change overwritten: Seat:" + seat + " (status)\nnote: legacy "
                        + "change overwritten: Ticket:" + ticket + " (status)\n");
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT status FROM \"Ticket\" WHERE id = ?", ticket)).isEqualTo("refunded");
            assertThat(Jdbc.single(connection, "SELECT title FROM \"Event\" WHERE id = ?", event)).isEqualTo("Renamed in the new application");
            assertThat(Jdbc.single(connection, "SELECT status FROM \"Seat\" WHERE id = ?", seat)).isEqualTo("blocked");
        }
    }

    @Test
    void a_column_only_one_application_changed_keeps_its_change_and_only_a_column_both_changed_is_refused_or_overwritten() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        String event;
        String seat;
        java.math.BigDecimal legacyPrice;
        try (Connection connection = database.connect()) {
            event = (String) Jdbc.single(connection, "SELECT legacy_id FROM ticketing.event WHERE status = 'PUBLISHED' ORDER BY legacy_id LIMIT 1");
            seat = (String) Jdbc.query(connection, FREE_SEAT_WITHOUT_TICKETS).get(0).get("id");
            // The new application blocks a seat and renames an event.
            asTheNewApplication(connection, "admin:ann", () -> {
                Jdbc.update(connection, "UPDATE ticketing.seat SET status = 'BLOCKED' WHERE legacy_id = ?", seat);
                Jdbc.update(connection, "UPDATE ticketing.event SET title = 'Renamed in the new application' WHERE legacy_id = ?", event);
            });
            // The legacy app, still running, raises that seat's price, and moves and renames that event.
            Jdbc.update(connection, "UPDATE \"Seat\" SET price = price + 5, \"updatedAt\" = now() WHERE id = ?", seat);
            Jdbc.update(connection, "UPDATE \"Event\" SET venue = 'Moved by the legacy app', title = 'Renamed in the legacy app', "
                    + "\"updatedAt\" = now() WHERE id = ?", event);
            legacyPrice = (java.math.BigDecimal) Jdbc.single(connection, "SELECT price FROM \"Seat\" WHERE id = ?", seat);
        }

        Result refused = refusedWithNothingChanged(database);
        assertThat(refused.err()).contains("1 legacy row changed after the cut-over both by the legacy app (not carried over) and by the "
                + "new application, in the same columns and differently, where the new application's values would overwrite the legacy "
                + "app's: Event:" + event + " (title);");

        Result rollback = legacy(database, "rollback", "--overwrite-legacy-changes");

        assertThat(rollback.exit()).as(rollback.err()).isZero();
        assertThat(rollback.out()).contains("note: legacy change overwritten: Event:" + event + " (title)\n").doesNotContain("Seat:" + seat);
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT status || ' ' || price FROM \"Seat\" WHERE id = ?", seat))
                    .as("blocked by the new application, at the legacy app's price").isEqualTo("blocked " + legacyPrice);
            assertThat(Jdbc.single(connection, "SELECT title || ' at ' || venue FROM \"Event\" WHERE id = ?", event))
                    .isEqualTo("Renamed in the new application at Moved by the legacy app");
        }
    }

    @Test
    void the_merge_keeps_what_only_the_legacy_app_changed_in_one_statement_and_judges_a_seat_s_status_by_what_the_new_application_did()
            throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        List<String> users;
        String corrected;
        String blocked;
        String legacyBooking = legacyId();
        try (Connection connection = database.connect()) {
            users = Jdbc.query(connection, "SELECT legacy_id FROM ticketing.customer WHERE legacy_id IS NOT NULL ORDER BY legacy_id LIMIT 2")
                    .stream().map(row -> (String) row.get("legacy_id")).toList();
            // a seat the import made agree with its claims (legacy `available`, a confirmed booking claims it: BOOKED)
            corrected = (String) Jdbc.single(connection, """
                    SELECT l.id FROM "Seat" l JOIN ticketing.seat s ON s.legacy_id = l.id
                     WHERE ticketing_import.map_status('seat', l.status) <> s.status::text ORDER BY l.id LIMIT 1""");
            blocked = (String) Jdbc.query(connection, FREE_SEAT_WITHOUT_TICKETS).get(0).get("id");
            // The new application renames the first user, reprices the corrected seat, blocks a free one.
            asTheNewApplication(connection, "admin:ann", () -> {
                Jdbc.update(connection, "UPDATE ticketing.customer SET name = 'Renamed in the new application' WHERE legacy_id = ?", users.get(0));
                Jdbc.update(connection, "UPDATE ticketing.seat SET price = price + 1 WHERE legacy_id = ?", corrected);
                Jdbc.update(connection, "UPDATE ticketing.seat SET status = 'BLOCKED' WHERE legacy_id = ?", blocked);
            });
            // The legacy app moves the first user to another address and gives its old one to the second, blocks the corrected
            // seat, and sells the free one (reserved, for a confirmed booking).
            connection.setAutoCommit(false);
            String address = (String) Jdbc.single(connection, "SELECT email FROM \"User\" WHERE id = ?", users.get(0));
            Jdbc.update(connection, "UPDATE \"User\" SET email = 'moved@example.com', \"updatedAt\" = now() WHERE id = ?", users.get(0));
            Jdbc.update(connection, "UPDATE \"User\" SET email = ?, \"updatedAt\" = now() WHERE id = ?", address, users.get(1));
            connection.commit();
            connection.setAutoCommit(true);
            Jdbc.update(connection, "UPDATE \"Seat\" SET status = 'blocked', \"updatedAt\" = now() WHERE id = ?", corrected);
            Jdbc.update(connection, """
                    INSERT INTO "Booking" (id, "userId", "eventId", seats, "totalAmount", status, "updatedAt")
                    SELECT ?, ?, "eventId", jsonb_build_array(id), price, 'confirmed', now() FROM "Seat" WHERE id = ?""",
                    legacyBooking, users.get(1), blocked);
            Jdbc.update(connection, "UPDATE \"Seat\" SET status = 'reserved', \"updatedAt\" = now() WHERE id = ?", blocked);
        }

        Result rollback = legacy(database, "rollback");

        assertThat(rollback.exit()).as(rollback.err()).isZero();
        assertThat(rollback.out()).doesNotContain("overwritten").contains("Seat:" + blocked + " (Booking:" + legacyBooking + ")");
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT name || ' <' || email || '>' FROM \"User\" WHERE id = ?", users.get(0)))
                    .isEqualTo("Renamed in the new application <moved@example.com>");
            assertThat(Jdbc.single(connection, "SELECT status FROM \"Seat\" WHERE id = ?", corrected))
                    .as("the new application changed its price, not its status").isEqualTo("blocked");
            assertThat(Jdbc.single(connection, "SELECT status FROM \"Seat\" WHERE id = ?", blocked))
                    .as("the legacy app's confirmed booking keeps it").isEqualTo("booked");
        }
    }

    @Test
    void a_change_log_without_the_rows_at_the_cut_over_refuses_every_column_the_applications_disagree_on() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        String seat;
        try (Connection connection = database.connect()) {
            seat = (String) Jdbc.query(connection, FREE_SEAT_WITHOUT_TICKETS).get(0).get("id");
            asTheNewApplication(connection, "admin:ann", () ->
                    Jdbc.update(connection, "UPDATE ticketing.seat SET status = 'BLOCKED' WHERE legacy_id = ?", seat));
            Jdbc.update(connection, "UPDATE \"Seat\" SET price = price + 5, \"updatedAt\" = now() WHERE id = ?", seat);
            // As an import of an earlier version logged it: which rows changed, not what they were.
            Jdbc.update(connection, "UPDATE ticketing_import.legacy_change SET before = NULL");
        }

        Result refused = refusedWithNothingChanged(database);

        assertThat(refused.err()).contains("the legacy app's: Seat:" + seat + " (price, status);");
    }

    @Test
    void a_row_changed_by_both_applications_is_rolled_back_once_the_new_application_agrees_with_the_legacy_app() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        String event;
        try (Connection connection = database.connect()) {
            event = (String) Jdbc.single(connection, "SELECT legacy_id FROM ticketing.event WHERE status = 'PUBLISHED' ORDER BY legacy_id LIMIT 1");
            asTheNewApplication(connection, "admin:ann", () ->
                    Jdbc.update(connection, "UPDATE ticketing.event SET title = 'Renamed in the new application' WHERE legacy_id = ?", event));
            Jdbc.update(connection, "UPDATE \"Event\" SET title = 'Renamed in the legacy app', \"updatedAt\" = now() WHERE id = ?", event);
        }
        Result refused = legacy(database, "rollback");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).startsWith("ticketing: rollback refused, nothing changed: 1 legacy row changed after the cut-over both by "
                + "the legacy app (not carried over) and by the new application, in the same columns and differently, where the new "
                + "application's values would overwrite the legacy app's: Event:" + event + " (title);");
        try (Connection connection = database.connect()) {
            // The operator keeps the legacy app's title: the new application enters it too.
            asTheNewApplication(connection, "admin:ann", () ->
                    Jdbc.update(connection, "UPDATE ticketing.event SET title = 'Renamed in the legacy app' WHERE legacy_id = ?", event));
        }

        Result rollback = legacy(database, "rollback");

        assertThat(rollback.exit()).as(rollback.err()).isZero();
        assertThat(rollback.out()).doesNotContain("overwritten");
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT title FROM \"Event\" WHERE id = ?", event)).isEqualTo("Renamed in the legacy app");
            assertThat(LegacySchema.migrationSchemas(connection)).isNull();
        }
    }

    @Test
    void a_seat_the_new_application_sold_again_while_a_quarantined_legacy_booking_claims_it_is_refused() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        String seat;
        String quarantined;
        UUID applicationBooking = UUID.randomUUID();
        try (Connection connection = database.connect()) {
            // A seat a confirmed legacy booking claims, quarantined: the import gave it to an earlier booking.
            Map<String, Object> pair = Jdbc.query(connection, LegacyDatabases.QUARANTINED_PAIR_OF_A_CONFIRMED_BOOKING).get(0);
            seat = (String) pair.get("seat");
            quarantined = (String) pair.get("booking");
            // The new application cancels the booking it gave the seat to, and sells the seat again.
            LegacyDatabases.cancelTheBookingHolding(connection, seat);
            sellAsTheNewApplication(connection, applicationBooking, seat);
        }

        Result refused = refusedWithNothingChanged(database);

        assertThat(refused.err()).isEqualTo("ticketing: rollback refused, nothing changed: 1 seat would be sold twice, claimed by a live "
                + "booking or checkout that the import quarantined, not migrated, and by one the new application created: Seat:" + seat
                + " (Booking:" + quarantined + " quarantined by the import, Booking:" + applicationBooking + " of the new application); "
                + "settle each seat sold twice by cancelling one of its two claims (a booking, a checkout, or a valid ticket the "
                + "legacy app wrote), in the legacy app or in the new application, then run rollback again");

        try (Connection connection = database.connect()) {
            // The operator settles it: the legacy app cancels the quarantined sale.
            Jdbc.update(connection, "UPDATE \"Booking\" SET status = 'cancelled', \"updatedAt\" = now() WHERE id = ?", quarantined);
        }
        Result rollback = legacy(database, "rollback");

        assertThat(rollback.exit()).as(rollback.err()).isZero();
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.query(connection, "SELECT id FROM \"Booking\" WHERE seats @> jsonb_build_array(?::text) AND status <> 'cancelled'", seat))
                    .containsExactly(Map.of("id", applicationBooking.toString()));
            assertThat(Jdbc.single(connection, "SELECT status FROM \"Seat\" WHERE id = ?", seat)).isEqualTo("booked");
        }
    }

    @Test
    void a_seat_the_new_application_added_to_a_migrated_checkout_is_that_checkout_s_only_new_claim() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        String held;
        String added;
        String checkout = legacyId();
        String pending = legacyId();
        String quarantined = legacyId();
        try (Connection connection = database.connect()) {
            List<Map<String, Object>> free = Jdbc.query(connection, """
                    WITH free AS (
                      SELECT s.id, s."eventId" FROM "Seat" s JOIN "Event" e ON e.id = s."eventId" AND e.status = 'PUBLISHED'
                       WHERE s.status = 'available'
                         AND NOT EXISTS (SELECT 1 FROM "Booking" b WHERE b.seats @> jsonb_build_array(s.id))
                         AND NOT EXISTS (SELECT 1 FROM "_PaymentSessionToSeat" ps WHERE ps."B" = s.id)
                         AND NOT EXISTS (SELECT 1 FROM "Ticket" t WHERE t."seatId" = s.id))
                    SELECT id FROM free WHERE "eventId" = (SELECT "eventId" FROM free GROUP BY 1 HAVING count(*) > 1 ORDER BY 1 LIMIT 1)
                     ORDER BY id LIMIT 2""");
            held = (String) free.get(0).get("id");
            added = (String) free.get(1).get("id");
            // Before the import: a pending booking's open checkout holds a seat that a later confirmed booking claims too;
            // the import gives it to the earlier and quarantines the later one.
            String user = legacyId();
            Jdbc.update(connection, "INSERT INTO \"User\" (id, email, name, \"updatedAt\") VALUES (?, ?, 'Two Claims', now())", user, user + "@example.com");
            for (String[] booking : List.of(new String[]{pending, "pending", "2 hours"}, new String[]{quarantined, "confirmed", "1 hour"})) {
                Jdbc.update(connection, """
                        INSERT INTO "Booking" (id, "userId", "eventId", seats, "totalAmount", status, "createdAt", "updatedAt")
                        SELECT ?, ?, "eventId", jsonb_build_array(id), price, ?, now() - ?::interval, now() FROM "Seat" WHERE id = ?""",
                        booking[0], user, booking[1], booking[2], held);
            }
            Jdbc.update(connection, """
                    INSERT INTO "PaymentSession" (id, "userId", "eventId", "bookingId", amount, status, "expiresAt", "updatedAt")
                    SELECT ?, ?, "eventId", ?, price, 'pending', now() + interval '1 day', now() FROM "Seat" WHERE id = ?""", checkout, user, pending, held);
            Jdbc.update(connection, "INSERT INTO \"_PaymentSessionToSeat\" (\"A\", \"B\") VALUES (?, ?)", checkout, held);
            Jdbc.update(connection, "UPDATE \"Seat\" SET status = 'reserved', \"updatedAt\" = now() WHERE id = ?", held);
        }
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT status::text FROM ticketing.payment_session WHERE legacy_id = ?", checkout)).isEqualTo("PROCESSING");
            assertThat(Jdbc.single(connection, "SELECT reason FROM ticketing_import.quarantine WHERE table_name = 'Booking' AND legacy_id = ?",
                    quarantined)).isEqualTo("seat already claimed");
            // An embedder's adapter adds a seat to the migrated checkout.
            asTheNewApplication(connection, "customer:embedder", () -> {
                Jdbc.update(connection, "UPDATE ticketing.seat SET status = 'RESERVED' WHERE legacy_id = ?", added);
                Jdbc.update(connection, """
                        INSERT INTO ticketing.payment_session_seat (event_id, payment_session_id, seat_id)
                        SELECT p.event_id, p.id, s.id FROM ticketing.payment_session p JOIN ticketing.seat s ON s.event_id = p.event_id
                         WHERE p.legacy_id = ? AND s.legacy_id = ?""", checkout, added);
            });
        }

        Result rollback = legacy(database, "rollback");

        // The seat the checkout held before the cut-over is the legacy tables' own claim, as the quarantined one: no seat sold twice.
        assertThat(rollback.exit()).as(rollback.err()).isZero();
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.query(connection, "SELECT \"B\" AS seat FROM \"_PaymentSessionToSeat\" WHERE \"A\" = ? ORDER BY 1", checkout))
                    .containsExactlyInAnyOrderElementsOf(List.of(Map.of("seat", held), Map.of("seat", added)));
            assertThat(Jdbc.single(connection, "SELECT status FROM \"Seat\" WHERE id = ?", added)).isEqualTo("reserved");
            assertThat(LegacySchema.migrationSchemas(connection)).isNull();
        }
    }

    @Test
    void a_seat_the_new_application_held_and_let_go_keeps_the_legacy_app_s_later_sale_with_or_without_the_option() throws Exception {
        for (String[] options : List.of(new String[0], new String[]{"--overwrite-legacy-changes"})) {
            TestDatabase database = LegacyDatabases.dirty();
            new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
            String seat;
            String legacyBooking = legacyId();
            try (Connection connection = database.connect()) {
                seat = (String) Jdbc.single(connection, """
                        SELECT legacy_id FROM ticketing.seat WHERE status = 'AVAILABLE' AND legacy_id IS NOT NULL ORDER BY legacy_id LIMIT 1""");
                // A customer of the new application opens a checkout on the seat and lets it expire: the seat is available again.
                holdAndLetGoAsTheNewApplication(connection, seat);
                // The legacy app, still running, sells the seat at its box office.
                sellAsTheLegacyApp(connection, seat, legacyBooking);
            }

            Result rollback = legacy(database, "rollback", options);

            // The new application's net change to the seat was nothing: the legacy app's sale is the seat's only live claim.
            String as = String.join(" ", options);
            assertThat(rollback.exit()).as(as + ": " + rollback.err()).isZero();
            assertThat(rollback.out()).as(as)
                    .contains("a live legacy booking or checkout that the new schema does not hold (quarantined by the import, or "
                            + "written by the legacy app after the cut-over) still claims it")
                    .contains("Seat:" + seat + " (Booking:" + legacyBooking + ")")
                    .doesNotContain("legacy change overwritten");
            try (Connection connection = database.connect()) {
                assertThat(Jdbc.single(connection, "SELECT status FROM \"Seat\" WHERE id = ?", seat)).as(as).isEqualTo("booked");
                assertThat(Jdbc.single(connection, "SELECT status FROM \"Booking\" WHERE id = ?", legacyBooking)).isEqualTo("confirmed");
            }
        }
    }

    @Test
    void a_booking_the_new_application_only_marked_reviewed_keeps_the_legacy_app_s_later_cancellation() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        String booking;
        try (Connection connection = database.connect()) {
            booking = (String) Jdbc.single(connection, """
                    SELECT legacy_id FROM ticketing.booking WHERE review_reason IS NOT NULL AND status = 'CONFIRMED' ORDER BY legacy_id LIMIT 1""");
            // An admin clears the review mark (a column the legacy tables do not have); the legacy app, still running, cancels the booking.
            asTheNewApplication(connection, "admin:ann", () ->
                    Jdbc.update(connection, "UPDATE ticketing.booking SET review_reason = NULL WHERE legacy_id = ?", booking));
            Jdbc.update(connection, "UPDATE \"Booking\" SET status = 'cancelled', \"updatedAt\" = now() WHERE id = ?", booking);
        }

        Result rollback = legacy(database, "rollback");

        assertThat(rollback.exit()).as(rollback.err()).isZero();
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT status FROM \"Booking\" WHERE id = ?", booking)).isEqualTo("cancelled");
        }
    }

    @Test
    void an_event_the_new_application_sells_in_another_currency_is_named_as_rollback_carries_it_back_without_one() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        UUID yen = UUID.randomUUID();
        try (Connection connection = database.connect()) {
            asTheNewApplication(connection, "admin:ann", () -> Jdbc.update(connection,
                    "INSERT INTO ticketing.event (id, title, starts_at, currency, status) VALUES (?, 'Tokyo', now() + interval '30 days', 'JPY', 'DRAFT')", yen));
        }

        Result rollback = legacy(database, "rollback");

        assertThat(rollback.exit()).as(rollback.err()).isZero();
        assertThat(rollback.out()).contains("note: 1 event of the new application sells in another currency than the import's (EUR), which the "
                + "legacy tables, without a currency column, cannot hold: its prices and amounts are carried back as bare numbers, which the "
                + "legacy app, and a new import, read as EUR: " + yen + " (JPY)");
    }

    @Test
    void a_legacy_transaction_writing_two_tables_while_rollback_takes_them_is_never_aborted() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        CompletableFuture<Result> rollback;
        try (Connection legacyApp = database.connect(); Connection observer = database.connect()) {
            // The legacy app writes a seat, then its buyer, in one transaction; the rollback starts in between.
            legacyApp.setAutoCommit(false);
            Jdbc.update(legacyApp, "UPDATE \"Seat\" SET price = price WHERE id = (SELECT min(id) FROM \"Seat\")");
            rollback = CompletableFuture.supplyAsync(() -> legacy(database, "rollback"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (Jdbc.count(observer, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()") == 0) {
                assertThat(System.nanoTime() < deadline).as("the rollback waits for the seats").isTrue();
                Thread.sleep(20);
            }
            // Past deadlock_timeout (1 s): taking the users while the rollback held them and waited for the seats was a
            // deadlock, which PostgreSQL settled by aborting the legacy transaction, the one that waited last.
            Thread.sleep(1_500);
            Jdbc.update(legacyApp, "UPDATE \"User\" SET name = name WHERE id = (SELECT min(id) FROM \"User\")");
            legacyApp.commit();
        }

        Result rolledBack = rollback.get(60, TimeUnit.SECONDS);
        assertThat(rolledBack.exit()).as(rolledBack.err()).isZero();
        try (Connection connection = database.connect()) {
            assertThat(LegacySchema.migrationSchemas(connection)).isNull();
        }
    }

    @Test
    void a_row_the_legacy_app_deleted_and_the_new_application_changed_is_refused_even_with_the_option() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        Map<String, Object> seat;
        try (Connection connection = database.connect()) {
            seat = Jdbc.query(connection, FREE_SEAT_WITHOUT_TICKETS).get(0);
            // The new application blocks a free seat; the legacy app, still running, deletes it.
            asTheNewApplication(connection, "admin:ann", () ->
                    Jdbc.update(connection, "UPDATE ticketing.seat SET status = 'BLOCKED' WHERE legacy_id = ?", seat.get("id")));
            Jdbc.update(connection, "DELETE FROM \"Seat\" WHERE id = ?", seat.get("id"));
        }

        for (String[] options : List.of(new String[0], new String[]{"--overwrite-legacy-changes"})) {
            Result refused = refusedWithNothingChanged(database, options);

            assertThat(refused.err()).as(String.join(" ", options)).startsWith("ticketing: rollback refused, nothing changed: 1 legacy row "
                    + "deleted by the legacy app after the cut-over, which the new application changed (its changes would be lost): Seat:"
                    + seat.get("id") + "; re-create each deleted row in the legacy tables, with its id, for the new application's version "
                    + "to be carried back over it (a row both changed, then), or remove it from the new schema too");
        }

        try (Connection connection = database.connect()) {
            // The operator puts the seat back as it was: the new application's change is carried back over it, overwriting nothing.
            Jdbc.update(connection, "INSERT INTO \"Seat\" SELECT * FROM jsonb_populate_record(NULL::\"Seat\", ?::jsonb)", seat.get("row"));
        }
        Result rollback = legacy(database, "rollback");

        assertThat(rollback.exit()).as(rollback.err()).isZero();
        assertThat(rollback.out()).doesNotContain("overwritten");
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT status FROM \"Seat\" WHERE id = ?", seat.get("id"))).isEqualTo("blocked");
        }
    }

    @Test
    void a_seat_the_legacy_app_deleted_after_the_new_application_sold_it_is_named_as_deleted() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        String seat;
        try (Connection connection = database.connect()) {
            seat = (String) Jdbc.query(connection, FREE_SEAT_WITHOUT_TICKETS).get(0).get("id");
            sellAsTheNewApplication(connection, UUID.randomUUID(), seat);
            Jdbc.update(connection, "DELETE FROM \"Seat\" WHERE id = ?", seat);
        }

        Result refused = refusedWithNothingChanged(database);

        // Not the key of the ticket sold for it, which the legacy table refuses.
        assertThat(refused.err()).startsWith("ticketing: rollback refused, nothing changed: 1 legacy row deleted by the legacy app after "
                + "the cut-over, which the new application changed (its changes would be lost): Seat:" + seat + ";")
                .endsWith(", then run rollback again");
    }

    @Test
    void a_customer_the_legacy_app_deleted_under_a_checkout_of_the_new_application_is_named_with_the_key_it_breaks() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        String user;
        try (Connection connection = database.connect()) {
            // A migrated customer the legacy tables no longer need: the legacy app may delete it.
            Map<String, Object> customer = Jdbc.query(connection, """
                    SELECT u.id, c.id AS customer FROM "User" u JOIN ticketing.customer c ON c.legacy_id = u.id
                     WHERE NOT EXISTS (SELECT 1 FROM "Booking" b WHERE b."userId" = u.id)
                       AND NOT EXISTS (SELECT 1 FROM "PaymentSession" p WHERE p."userId" = u.id)
                       AND NOT EXISTS (SELECT 1 FROM "Ticket" t WHERE t."userId" = u.id)
                     ORDER BY u.id LIMIT 1""").get(0);
            user = (String) customer.get("id");
            Map<String, Object> seat = Jdbc.query(connection,
                    "SELECT event_id, id, price FROM ticketing.seat WHERE status = 'AVAILABLE' ORDER BY legacy_id LIMIT 1").get(0);
            UUID checkout = UUID.randomUUID();
            // The new application opens a checkout for that customer, which leaves the customer's row as it was.
            asTheNewApplication(connection, "customer:" + customer.get("customer"), () -> {
                Jdbc.update(connection, """
                        INSERT INTO ticketing.payment_session (event_id, id, customer_id, amount, currency, expires_at)
                        VALUES (?, ?, ?, ?, 'EUR', now() + interval '15 minutes')""", seat.get("event_id"), checkout, customer.get("customer"),
                        seat.get("price"));
                Jdbc.update(connection, "INSERT INTO ticketing.payment_session_seat (event_id, payment_session_id, seat_id) VALUES (?, ?, ?)",
                        seat.get("event_id"), checkout, seat.get("id"));
                Jdbc.update(connection, "UPDATE ticketing.seat SET status = 'RESERVED' WHERE event_id = ? AND id = ?",
                        seat.get("event_id"), seat.get("id"));
            });
            Jdbc.update(connection, "DELETE FROM \"User\" WHERE id = ?", user);
        }

        Result refused = refusedWithNothingChanged(database);

        assertThat(refused.err()).startsWith("ticketing: rollback refused, nothing changed: 1 legacy row deleted by the legacy app after the "
                + "cut-over, which rows the new application wrote may refer to (the legacy tables refused one: Key (userId)=(" + user
                + ") is not present in table \"User\".): User:" + user + "; re-create each deleted row in the legacy tables, with its id, or "
                + "remove the rows that refer to it from the new schema, then run rollback again");
        try (Connection connection = database.connect()) {
            // The operator puts the customer back: the checkout is carried back (cancelled, as every open one).
            Jdbc.update(connection, "INSERT INTO \"User\" (id, email, name, \"createdAt\", \"updatedAt\") "
                    + "SELECT ?, email, name, created_at, now() FROM ticketing.customer WHERE legacy_id = ?", user, user);
        }
        Result rollback = legacy(database, "rollback");
        assertThat(rollback.exit()).as(rollback.err()).isZero();
    }

    @Test
    void a_legacy_column_the_carry_back_cannot_fill_is_named_even_beside_a_deleted_row() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        try (Connection connection = database.connect()) {
            String seat = (String) Jdbc.query(connection, FREE_SEAT_WITHOUT_TICKETS).get(0).get("id");
            sellAsTheNewApplication(connection, UUID.randomUUID(), seat);
            Jdbc.update(connection, "DELETE FROM \"Seat\" WHERE id = ?", seat);
            // The legacy app's team added a column that the new customer's row cannot be given a value for.
            Jdbc.script(connection, "ALTER TABLE \"User\" ADD COLUMN locale text NOT NULL DEFAULT 'en'; ALTER TABLE \"User\" ALTER COLUMN locale DROP DEFAULT");
        }

        Result refused = refusedWithNothingChanged(database);

        // Not the deletion: the column stops the rollback whatever is settled first.
        assertThat(refused.err()).startsWith("ticketing: rollback changed nothing: the legacy table public.\"User\" has a NOT NULL column \"locale\"");
    }

    /** A seat free in the new schema that no legacy ticket names (the legacy table lets it be deleted), as its legacy row: {@code row}, {@code id}. */
    private static final String FREE_SEAT_WITHOUT_TICKETS = """
            SELECT to_jsonb(l)::text AS row, l.id FROM "Seat" l JOIN ticketing.seat s ON s.legacy_id = l.id
             WHERE s.status = 'AVAILABLE' AND NOT EXISTS (SELECT 1 FROM "Ticket" t WHERE t."seatId" = l.id)
             ORDER BY l.id LIMIT 1""";

    private interface Work {
        void run() throws Exception;
    }

    /** One transaction of the new application, which says who acts (the audit trail's actor). */
    private static void asTheNewApplication(Connection connection, String actor, Work work) throws Exception {
        connection.setAutoCommit(false);
        Jdbc.query(connection, "SELECT set_config('ticketing.actor', ?, true)", actor);
        work.run();
        connection.commit();
        connection.setAutoCommit(true);
    }

    /** A new customer's checkout of the first free seat, paid (its webhook): booking confirmed, ticket valid. Returns the seat's legacy id. */
    private static String sellAsTheNewApplication(Connection connection, UUID booking) throws Exception {
        return sellAsTheNewApplication(connection, booking,
                (String) Jdbc.single(connection, "SELECT legacy_id FROM ticketing.seat WHERE status = 'AVAILABLE' ORDER BY legacy_id LIMIT 1"));
    }

    /** A new customer's checkout of {@code legacySeat}, free, paid (its webhook): booking confirmed, ticket valid. Returns the seat's legacy id. */
    private static String sellAsTheNewApplication(Connection connection, UUID booking, String legacySeat) throws Exception {
        OpenCheckout open = openCheckoutAsTheNewApplication(connection, legacySeat);
        Map<String, Object> seat = open.seat();
        asTheNewApplication(connection, "payment-webhook", () -> {
            Jdbc.update(connection, """
                    INSERT INTO ticketing.booking (event_id, id, customer_id, total_amount, status, confirmed_at, payment_session_id)
                    VALUES (?, ?, ?, ?, 'CONFIRMED', now(), ?)""", seat.get("event_id"), booking, open.customer(), seat.get("price"), open.checkout());
            Jdbc.update(connection, "INSERT INTO ticketing.booked_seat (event_id, booking_id, seat_id, price) VALUES (?, ?, ?, ?)",
                    seat.get("event_id"), booking, seat.get("id"), seat.get("price"));
            Jdbc.update(connection, "UPDATE ticketing.payment_session SET status = 'SUCCEEDED', provider_ref = 'pi_new_app', booking_id = ? "
                    + "WHERE event_id = ? AND id = ?", booking, seat.get("event_id"), open.checkout());
            Jdbc.update(connection, "UPDATE ticketing.payment_session_seat SET released_at = now() WHERE event_id = ? AND payment_session_id = ?",
                    seat.get("event_id"), open.checkout());
            Jdbc.update(connection, "UPDATE ticketing.seat SET status = 'BOOKED' WHERE event_id = ? AND id = ?", seat.get("event_id"), seat.get("id"));
            Jdbc.update(connection, "INSERT INTO ticketing.ticket (event_id, booking_id, seat_id, customer_id, code) VALUES (?, ?, ?, ?, 'NEW-APP-0001')",
                    seat.get("event_id"), booking, seat.get("id"), open.customer());
        });
        return (String) seat.get("legacy_id");
    }

    /** A new customer's checkout of {@code legacySeat}, free, that expires unpaid: the seat is available again, as imported. */
    private static void holdAndLetGoAsTheNewApplication(Connection connection, String legacySeat) throws Exception {
        OpenCheckout open = openCheckoutAsTheNewApplication(connection, legacySeat);
        Map<String, Object> seat = open.seat();
        asTheNewApplication(connection, "checkout-sweeper", () -> {
            Jdbc.update(connection, "UPDATE ticketing.payment_session SET status = 'EXPIRED' WHERE event_id = ? AND id = ?",
                    seat.get("event_id"), open.checkout());
            Jdbc.update(connection, "UPDATE ticketing.payment_session_seat SET released_at = now() WHERE event_id = ? AND payment_session_id = ?",
                    seat.get("event_id"), open.checkout());
            Jdbc.update(connection, "UPDATE ticketing.seat SET status = 'AVAILABLE' WHERE event_id = ? AND id = ?", seat.get("event_id"), seat.get("id"));
        });
    }

    private record OpenCheckout(Map<String, Object> seat, UUID customer, UUID checkout) {
    }

    /** A new customer's open checkout of {@code legacySeat}, free: the seat reserved. */
    private static OpenCheckout openCheckoutAsTheNewApplication(Connection connection, String legacySeat) throws Exception {
        Map<String, Object> seat = Jdbc.query(connection, """
                SELECT event_id, id, price, legacy_id FROM ticketing.seat WHERE legacy_id = ? AND status = 'AVAILABLE'""", legacySeat).get(0);
        UUID customer = UUID.randomUUID();
        UUID checkout = UUID.randomUUID();
        asTheNewApplication(connection, "customer:" + customer, () -> {
            Jdbc.update(connection, "INSERT INTO ticketing.customer (id, email, name) VALUES (?, ?, 'New Buyer')", customer, customer + "@example.org");
            Jdbc.update(connection, """
                    INSERT INTO ticketing.payment_session (event_id, id, customer_id, amount, currency, expires_at)
                    VALUES (?, ?, ?, ?, 'EUR', now() + interval '15 minutes')""", seat.get("event_id"), checkout, customer, seat.get("price"));
            Jdbc.update(connection, "INSERT INTO ticketing.payment_session_seat (event_id, payment_session_id, seat_id) VALUES (?, ?, ?)",
                    seat.get("event_id"), checkout, seat.get("id"));
            Jdbc.update(connection, "UPDATE ticketing.seat SET status = 'RESERVED' WHERE event_id = ? AND id = ?", seat.get("event_id"), seat.get("id"));
        });
        return new OpenCheckout(seat, customer, checkout);
    }

    /** What the legacy app writes when it sells {@code seat} to a new user at its box office, by plain SQL. */
    private static void sellAsTheLegacyApp(Connection connection, String seat, String booking) throws Exception {
        String user = legacyId();
        String checkout = legacyId();
        connection.setAutoCommit(false);
        Jdbc.update(connection, "INSERT INTO \"User\" (id, email, name, \"updatedAt\") VALUES (?, ?, 'Box Office Buyer', now())", user, user + "@example.com");
        Jdbc.update(connection, """
                INSERT INTO "Booking" (id, "userId", "eventId", seats, "totalAmount", status, "updatedAt")
                SELECT ?, ?, "eventId", jsonb_build_array(id), price, 'confirmed', now() FROM "Seat" WHERE id = ?""", booking, user, seat);
        Jdbc.update(connection, """
                INSERT INTO "PaymentSession" (id, "userId", "eventId", "bookingId", amount, status, "providerRef", "expiresAt", "updatedAt")
                SELECT ?, ?, "eventId", ?, price, 'completed', 'pi_legacy_app', now() + interval '15 minutes', now() FROM "Seat" WHERE id = ?""",
                checkout, user, booking, seat);
        Jdbc.update(connection, "INSERT INTO \"_PaymentSessionToSeat\" (\"A\", \"B\") VALUES (?, ?)", checkout, seat);
        Jdbc.update(connection, """
                INSERT INTO "Ticket" (id, "bookingId", "seatId", "eventId", "userId", code, status, "updatedAt")
                SELECT ?, ?, id, "eventId", ?, 'LEGACY-APP-0001', 'valid', now() FROM "Seat" WHERE id = ?""", legacyId(), booking, user, seat);
        Jdbc.update(connection, "UPDATE \"Seat\" SET status = 'booked', \"updatedAt\" = now() WHERE id = ?", seat);
        connection.commit();
        connection.setAutoCommit(true);
    }

    /** A customer's cancellation of a paid migrated booking in the new application: returns the legacy id of one of its tickets. */
    private static String cancelAndRefundAsTheNewApplication(Connection connection) throws Exception {
        Map<String, Object> paid = Jdbc.query(connection, """
                SELECT b.event_id, b.id, b.customer_id, b.total_amount FROM ticketing.booking b
                 WHERE b.status = 'CONFIRMED' AND b.total_amount > 0 AND b.legacy_id IS NOT NULL
                   AND EXISTS (SELECT 1 FROM ticketing.ticket t WHERE t.event_id = b.event_id AND t.booking_id = b.id
                                                                  AND t.status = 'VALID' AND t.legacy_id IS NOT NULL)
                 ORDER BY b.legacy_id LIMIT 1""").get(0);
        LegacyDatabases.cancelAsTheNewApplication(connection, paid, "REFUNDED");
        return (String) Jdbc.single(connection, """
                SELECT legacy_id FROM ticketing.ticket WHERE event_id = ? AND booking_id = ? AND legacy_id IS NOT NULL
                 ORDER BY legacy_id LIMIT 1""", paid.get("event_id"), paid.get("id"));
    }

    private static String legacyId() {
        return "c" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    @Test
    void a_rollback_the_legacy_app_keeps_busy_is_refused_naming_who_holds_the_tables_not_a_timeout_setting() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        try (Connection holder = database.connect()) {
            Jdbc.script(holder, "SET application_name = 'legacy-holder'");
            holder.setAutoCommit(false);
            Jdbc.script(holder, "LOCK TABLE \"Ticket\" IN ROW EXCLUSIVE MODE"); // as a legacy transaction writing a ticket holds it

            Result refused = refusedWithNothingChanged(database);

            // The wait that ran out is the rollback's own brief one: no advice to raise statement_timeout, which nobody set.
            assertThat(refused.err()).doesNotContain("\n").doesNotContain("statement_timeout")
                    .startsWith("ticketing: rollback refused, nothing changed: the legacy app's transactions kept the legacy tables busy "
                            + "through 60 brief attempts to lock them (last held by legacy-holder (pid ")
                    .endsWith("run it again when the legacy app writes less, or pause its writes");
            assertThat(refused.out()).as("while it waits, it says for whom")
                    .contains("waiting for the legacy tables' locks: held by legacy-holder (pid ").contains("(attempt 1 of 60)");
            holder.rollback();
        }
    }

    @Test
    void a_rollback_whose_lock_wait_an_operator_cancels_stops_there_instead_of_trying_again() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        try (Connection holder = database.connect(); Connection operator = database.connect()) {
            holder.setAutoCommit(false);
            Jdbc.script(holder, "LOCK TABLE \"Ticket\" IN ROW EXCLUSIVE MODE");
            // The operator cancels the first statement found waiting for a lock on the legacy tables: the rollback's.
            CompletableFuture<Object> cancelled = CompletableFuture.supplyAsync(() -> {
                try {
                    while (true) {
                        Object done = Jdbc.single(operator, """
                                SELECT pg_cancel_backend(pid) FROM pg_stat_activity
                                 WHERE wait_event_type = 'Lock' AND query LIKE 'LOCK TABLE%' AND pid <> pg_backend_pid()
                                 LIMIT 1""");
                        if (done != null) {
                            return done;
                        }
                        Thread.sleep(5);
                    }
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });

            Result stopped = refusedWithNothingChanged(database);

            assertThat(cancelled.get(10, TimeUnit.SECONDS)).isEqualTo(true);
            assertThat(stopped.err()).isEqualTo("ticketing: stopped: a cancel request from outside (pg_cancel_backend, or a "
                    + "client's cancel) ended its wait for the legacy tables' locks");
            assertThat(stopped.out()).as("no attempt after the cancel").doesNotContain("(attempt 10 of 60)");
            holder.rollback();
        }
    }

    private record Result(int exit, String out, String err) {
    }

    /** {@code legacy rollback}, which must refuse (exit 1) and leave the legacy tables and the new schema as they were. */
    private static Result refusedWithNothingChanged(TestDatabase database, String... options) throws Exception {
        Map<String, String> legacy = LegacyDatabases.legacyHashes(database);
        Map<String, String> imports = LegacyDatabases.ticketingHashes(database);
        Result refused = legacy(database, "rollback", options);
        assertThat(refused.exit()).as(refused.err()).isEqualTo(1);
        assertThat(LegacyDatabases.legacyHashes(database)).isEqualTo(legacy);
        assertThat(LegacyDatabases.ticketingHashes(database)).isEqualTo(imports);
        return refused;
    }

    private static Result legacy(TestDatabase database, String command, String... options) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of(options));
        args.addAll(List.of("--db-url", database.jdbcUrl(), "--db-user", database.user(), "--db-password", database.password()));
        int exit = new CommandLine(new LegacyCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args.toArray(String[]::new));
        return new Result(exit, out.toString(), err.toString().strip());
    }
}

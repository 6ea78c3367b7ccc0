package io.ticketing.migration.legacy;

import io.ticketing.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A confirmed legacy booking without a valid ticket for one of its seats (the legacy app issued none, or the import
 * quarantined it) is migrated with a ticket the import issues: the new schema requires one live ticket per seat of a
 * confirmed booking, and without it every later write to the booking (a check-in at the door) is refused at commit.
 */
class IssuedTicketsTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static final String REASON = "ticket issued by the import for a seat the legacy booking had no valid ticket for";

    /** The issued tickets with their booking's and seat's legacy ids, and whether the booking has a migrated live ticket too. */
    private static final String ISSUED = """
            SELECT b.legacy_id AS booking, s.legacy_id AS seat, t.id::text AS ticket, t.code, t.status::text AS status,
                   b.review_reason, (SELECT o.id::text FROM ticketing.ticket o WHERE o.event_id = b.event_id AND o.booking_id = b.id
                                        AND o.legacy_id IS NOT NULL AND o.status = 'VALID' ORDER BY o.id LIMIT 1) AS other
              FROM ticketing_import.issued_ticket it
              JOIN ticketing.ticket t ON t.event_id = it.event_id AND t.id = it.ticket_id AND t.legacy_id IS NULL
              JOIN ticketing.booking b ON b.event_id = it.event_id AND b.id = it.booking_id
              JOIN ticketing.seat s ON s.event_id = it.event_id AND s.id = it.seat_id
             ORDER BY b.legacy_id, s.legacy_id""";

    @Test
    void a_seat_without_a_valid_legacy_ticket_gets_one_issued_and_its_booking_serves() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();

        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();

        try (Connection connection = database.connect()) {
            List<Map<String, Object>> issued = Jdbc.query(connection, ISSUED);
            assertThat(issued).hasSize(LegacyDatabases.planted().anomalies()
                    .get("Booking: seat without a valid legacy ticket, ticket issued, marked for review").intValue());
            assertThat(issued).allSatisfy(t -> {
                assertThat((String) t.get("code")).as("an unguessable code, like the application's").matches("[A-Za-z0-9_-]{22}");
                assertThat(t.get("status")).isEqualTo("VALID");
                assertThat((String) t.get("review_reason")).contains(REASON);
            });
            // One whose legacy ticket of that seat was quarantined (an unknown status), next to a valid one of another seat.
            Map<String, Object> mixed = issued.stream().filter(t -> t.get("other") != null).findFirst().orElseThrow();
            assertThat(Jdbc.count(connection, """
                    SELECT count(*) FROM ticketing_import.quarantine q JOIN public."Ticket" l ON l.id = q.legacy_id
                     WHERE q.table_name = 'Ticket' AND l."bookingId" = ? AND l."seatId" = ?""", mixed.get("booking"), mixed.get("seat")))
                    .as("the legacy ticket stays in quarantine").isEqualTo(1);

            // At the door, as the application (which says who acts), with the database's guards on: both the migrated
            // ticket and the issued one admit.
            connection.setAutoCommit(false);
            Jdbc.script(connection, "SELECT set_config('ticketing.actor', 'staff:door', true)");
            Jdbc.update(connection, "UPDATE ticketing.ticket SET status = 'USED', checked_in_at = now() WHERE id = ?::uuid", mixed.get("other"));
            Jdbc.update(connection, "UPDATE ticketing.ticket SET status = 'USED', checked_in_at = now() WHERE id = ?::uuid", mixed.get("ticket"));
            connection.commit();
        }
        assertThat(new LegacyVerifier(database.dataSource()).run().checks())
                .filteredOn(c -> c.differences() > 0).extracting(LegacyVerifier.Check::name)
                .as("the checked-in tickets are the application's; no seat of a confirmed booking is left without a ticket")
                .isEmpty();
    }

    @Test
    void an_issued_ticket_is_withdrawn_when_the_legacy_app_cancels_its_booking_or_issues_the_ticket_itself() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions().withCatchUp(false), QUIET).run();
        String cancelled;
        String ticketed;
        String seat;
        String legacyTicket = "late-ticket-of-the-legacy-app";
        List<String> withdrawn;
        try (Connection connection = database.connect()) {
            // Two bookings with one issued ticket each.
            List<Map<String, Object>> single = Jdbc.query(connection, "SELECT * FROM (" + ISSUED + ") i "
                    + "WHERE (SELECT count(*) FROM (" + ISSUED + ") o WHERE o.booking = i.booking) = 1 ORDER BY booking");
            assertThat(single).hasSizeGreaterThanOrEqualTo(2);
            cancelled = (String) single.get(0).get("booking");
            ticketed = (String) single.get(1).get("booking");
            seat = (String) single.get(1).get("seat");
            withdrawn = List.of((String) single.get(0).get("ticket"), (String) single.get(1).get("ticket"));
            // The legacy app, still running: cancels one booking (and its tickets), issues the missing ticket of another.
            Jdbc.update(connection, "UPDATE \"Booking\" SET status = 'cancelled', \"updatedAt\" = now() WHERE id = ?", cancelled);
            Jdbc.update(connection, "UPDATE \"Ticket\" SET status = 'cancelled', \"updatedAt\" = now() WHERE \"bookingId\" = ?", cancelled);
            Jdbc.update(connection, """
                    INSERT INTO "Ticket" (id, "bookingId", "seatId", "eventId", "userId", code, status, "updatedAt")
                    SELECT ?, b.id, ?, b."eventId", b."userId", 'LATE-TICKET-0001', 'valid', now() FROM "Booking" b WHERE b.id = ?""",
                    legacyTicket, seat, ticketed);
        }

        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();

        try (Connection connection = database.connect()) {
            assertThat(Jdbc.count(connection, """
                    SELECT count(*) FROM ticketing.ticket t JOIN ticketing.booking b ON b.event_id = t.event_id AND b.id = t.booking_id
                     WHERE b.legacy_id = ? AND t.legacy_id IS NULL""", cancelled)).as("the cancelled booking's issued tickets").isZero();
            assertThat(Jdbc.single(connection, """
                    SELECT t.legacy_id FROM ticketing.ticket t JOIN ticketing.seat s ON s.event_id = t.event_id AND s.id = t.seat_id
                     WHERE s.legacy_id = ? AND t.status = 'VALID'""", seat)).as("the legacy ticket replaced the issued one").isEqualTo(legacyTicket);
            assertThat(Jdbc.count(connection, """
                    SELECT count(*) FROM ticketing_import.issued_ticket it JOIN ticketing.booking b ON b.event_id = it.event_id AND b.id = it.booking_id
                     WHERE b.legacy_id IN (?, ?)""", cancelled, ticketed)).isZero();
            assertThat((String) Jdbc.single(connection, "SELECT coalesce(review_reason, '') FROM ticketing.booking WHERE legacy_id = ?", ticketed))
                    .as("no issued ticket left: not under review for it").doesNotContain(REASON);
            // Each withdrawal in the audit trail: per event with the triggers off (a superuser's bulk path), per row with them.
            for (String ticket : withdrawn) {
                assertThat(Jdbc.count(connection, """
                        SELECT count(*) FROM ticketing.audit_log a
                         WHERE a.action = 'DELETE' AND a.actor = 'legacy-import'
                           AND ((a.entity_type = 'legacy_import' AND (a.old_values ->> 'issued')::boolean
                                 AND a.old_values -> 'ids' @> jsonb_build_array(?::text))
                                OR (a.entity_type = 'ticket' AND a.entity_id = ?::uuid))""", ticket, ticket))
                        .as("the withdrawal of issued ticket %s, audited once", ticket).isEqualTo(1);
            }
        }
        assertThat(new LegacyVerifier(database.dataSource()).run().clean()).isTrue();
    }

    @Test
    void an_issued_ticket_keeps_its_code_when_the_legacy_app_changes_its_booking() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions().withCatchUp(false), QUIET).run();
        Map<String, Object> before;
        try (Connection connection = database.connect()) {
            before = Jdbc.query(connection, ISSUED).get(0);
            // The legacy app, still running, changes the booking (a new total), which stays confirmed: the catch-up
            // imports the booking again, with its seats and tickets.
            Jdbc.update(connection, "UPDATE \"Booking\" SET \"totalAmount\" = \"totalAmount\" + 1, \"updatedAt\" = now() WHERE id = ?",
                    before.get("booking"));
        }
        Object issuedAt = issuedAt(database, (String) before.get("ticket"));

        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();

        try (Connection connection = database.connect()) {
            List<Map<String, Object>> after = Jdbc.query(connection, "SELECT * FROM (" + ISSUED + ") i WHERE booking = ? AND seat = ?",
                    before.get("booking"), before.get("seat"));
            assertThat(after).hasSize(1);
            assertThat(after.get(0).get("ticket")).as("the same ticket").isEqualTo(before.get("ticket"));
            assertThat(after.get(0).get("code")).as("the code its customer may have been given still admits").isEqualTo(before.get("code"));
            assertThat(Jdbc.single(connection, "SELECT total_amount::text FROM ticketing.booking WHERE legacy_id = ?", before.get("booking")))
                    .as("the change itself carried over").isEqualTo(Jdbc.single(connection,
                            "SELECT \"totalAmount\"::text FROM \"Booking\" WHERE id = ?", before.get("booking")));
        }
        assertThat(issuedAt(database, (String) before.get("ticket"))).as("issued once, when it was").isEqualTo(issuedAt);
        assertThat(new LegacyVerifier(database.dataSource()).run().clean()).isTrue();
    }

    private static Object issuedAt(TestDatabase database, String ticket) throws Exception {
        try (Connection connection = database.connect()) {
            return Jdbc.single(connection, "SELECT issued_at FROM ticketing_import.issued_ticket WHERE ticket_id = ?::uuid", ticket);
        }
    }
}

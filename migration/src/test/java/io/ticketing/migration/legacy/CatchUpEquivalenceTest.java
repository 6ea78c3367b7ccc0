package io.ticketing.migration.legacy;

import io.ticketing.migration.schema.SchemaInvariants;
import io.ticketing.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A catch-up ends where a fresh import of the changed legacy data would: the same rows migrated,
 * the same quarantined, whatever the legacy app changed meanwhile. Above all when a change moves a
 * parent (a customer, an event) between migrated and quarantined, which takes its children along.
 */
class CatchUpEquivalenceTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void customers_and_events_that_turn_bad_or_good_take_their_children_along() throws Exception {
        TestDatabase caughtUp = LegacyDatabases.dirty();
        List<Change> pasted = pastedAddress(caughtUp);
        apply(caughtUp, pasted);
        new LegacyImporter(caughtUp.dataSource(), LegacyDatabases.quietOptions().withCatchUp(false), QUIET).run();
        List<Change> breaking;
        List<Change> repairing;
        try (Connection connection = caughtUp.connect()) {
            // The migrated customer with the most migrated bookings, the migrated event with the most.
            String user = (String) Jdbc.single(connection, """
                    SELECT c.legacy_id FROM ticketing.customer c JOIN ticketing.booking b ON b.customer_id = c.id
                     GROUP BY c.legacy_id ORDER BY count(*) DESC, c.legacy_id LIMIT 1""");
            String email = (String) Jdbc.single(connection, "SELECT email FROM \"User\" WHERE id = ?", user);
            String event = (String) Jdbc.single(connection, """
                    SELECT e.legacy_id FROM ticketing.event e JOIN ticketing.booking b ON b.event_id = e.id
                     GROUP BY e.legacy_id ORDER BY count(*) DESC, e.legacy_id LIMIT 1""");
            String title = (String) Jdbc.single(connection, "SELECT title FROM \"Event\" WHERE id = ?", event);
            // A user refused because another holds the same address in another case (and pasted); the holder moves away.
            String refusedEmail = (String) Jdbc.single(connection, """
                    SELECT payload ->> 'email' FROM ticketing_import.quarantine
                     WHERE table_name = 'User' AND reason = 'email of another user, up to case and spaces'""");
            String holder = (String) Jdbc.single(connection, "SELECT legacy_id FROM ticketing.customer WHERE email = ticketing_import.normal_email(?)", refusedEmail);
            String holderEmail = (String) Jdbc.single(connection, "SELECT email FROM \"User\" WHERE id = ?", holder);
            // A checkout awaiting the provider's answer, its expiry moved before the import began.
            String checkout = (String) Jdbc.single(connection, """
                    SELECT p.legacy_id FROM ticketing.payment_session p JOIN ticketing.booking b ON b.event_id = p.event_id AND b.id = p.booking_id
                     WHERE p.status = 'PROCESSING' AND b.status = 'PENDING' AND b.event_id <> ticketing_import.legacy_uuid('event', ?)
                     ORDER BY p.legacy_id LIMIT 1""", event);
            String expiry = (String) Jdbc.single(connection, "SELECT \"expiresAt\"::text FROM \"PaymentSession\" WHERE id = ?", checkout);
            assertThat(List.of(user, event, holder, checkout)).doesNotContainNull();
            breaking = List.of(
                    new Change(SET_EMAIL, "no address", user),
                    new Change(SET_TITLE, " ", event),
                    new Change(SET_EMAIL, "moved." + holderEmail, holder),
                    new Change(SET_EXPIRY, "2024-01-01 00:00:00", checkout));
            repairing = List.of(
                    new Change(SET_EMAIL, email, user),
                    new Change(SET_TITLE, title, event),
                    new Change(SET_EMAIL, holderEmail, holder),
                    new Change(SET_EXPIRY, expiry, checkout));
        }

        // The legacy app breaks a customer and an event, frees an address and lets a payment go stale; the catch-up carries it over.
        apply(caughtUp, breaking);
        catchUp(caughtUp);
        TestDatabase fresh = LegacyDatabases.dirty();
        apply(fresh, pasted);
        apply(fresh, breaking);
        new LegacyImporter(fresh.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        assertThat(LegacyDatabases.ticketingHashes(caughtUp)).isEqualTo(LegacyDatabases.ticketingHashes(fresh));
        assertThat(new LegacyVerifier(caughtUp.dataSource()).run().clean()).isTrue();

        // Then it repairs them: everything comes back as in an import of the original data.
        apply(caughtUp, repairing);
        catchUp(caughtUp);
        TestDatabase original = LegacyDatabases.dirty();
        apply(original, pasted);
        new LegacyImporter(original.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        assertThat(LegacyDatabases.ticketingHashes(caughtUp)).isEqualTo(LegacyDatabases.ticketingHashes(original));
        assertThat(new LegacyVerifier(caughtUp.dataSource()).run().clean()).isTrue();
    }

    @Test
    void an_event_and_a_customer_the_legacy_app_deletes_with_everything_under_them_leave_the_new_schema_too() throws Exception {
        TestDatabase caughtUp = LegacyDatabases.dirty();
        new LegacyImporter(caughtUp.dataSource(), LegacyDatabases.quietOptions().withCatchUp(false), QUIET).run();
        String event;
        Object eventId;
        long bookings;
        String user;
        try (Connection connection = caughtUp.connect()) {
            // The migrated event with the most migrated bookings: tickets, checkouts and their seats go with it.
            event = (String) Jdbc.single(connection, """
                    SELECT e.legacy_id FROM ticketing.event e JOIN ticketing.booking b ON b.event_id = e.id
                     GROUP BY e.legacy_id ORDER BY count(*) DESC, e.legacy_id LIMIT 1""");
            eventId = Jdbc.single(connection, "SELECT id FROM ticketing.event WHERE legacy_id = ?", event);
            bookings = Jdbc.count(connection, "SELECT count(*) FROM ticketing.booking WHERE event_id = ?", eventId);
            // And the migrated customer with the most migrated bookings of other events.
            user = (String) Jdbc.single(connection, """
                    SELECT c.legacy_id FROM ticketing.customer c JOIN ticketing.booking b ON b.customer_id = c.id
                     WHERE b.event_id <> ? GROUP BY c.legacy_id ORDER BY count(*) DESC, c.legacy_id LIMIT 1""", eventId);
        }

        delete(caughtUp, event, user);
        long removed;
        try (Connection connection = caughtUp.connect()) {
            // The migrated rows of the audited tables whose legacy rows are gone now.
            removed = Jdbc.count(connection, """
                    SELECT (SELECT count(*) FROM ticketing.event n WHERE n.legacy_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "Event" l WHERE l.id = n.legacy_id))
                         + (SELECT count(*) FROM ticketing.booking n WHERE n.legacy_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "Booking" l WHERE l.id = n.legacy_id))
                         + (SELECT count(*) FROM ticketing.payment_session n WHERE n.legacy_id IS NOT NULL
                               AND NOT EXISTS (SELECT 1 FROM "PaymentSession" l WHERE l.id = n.legacy_id))
                         + (SELECT count(*) FROM ticketing.ticket n WHERE n.legacy_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "Ticket" l WHERE l.id = n.legacy_id))""");
        }
        catchUp(caughtUp);

        TestDatabase fresh = LegacyDatabases.dirty();
        delete(fresh, event, user);
        new LegacyImporter(fresh.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        assertThat(LegacyDatabases.ticketingHashes(caughtUp)).isEqualTo(LegacyDatabases.ticketingHashes(fresh));
        assertThat(new LegacyVerifier(caughtUp.dataSource()).run().clean()).isTrue();
        try (Connection connection = caughtUp.connect()) {
            assertThat(Jdbc.count(connection, "SELECT count(*) FROM ticketing.event WHERE legacy_id = ?", event)).isZero();
            assertThat(Jdbc.count(connection, "SELECT count(*) FROM ticketing.customer WHERE legacy_id = ?", user)).isZero();
            // Each removed booking in the audit trail: one entry per event and table with the triggers off, one per row with them.
            boolean bulk = Boolean.TRUE.equals(Jdbc.single(connection, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));
            assertThat(Jdbc.count(connection, bulk ? """
                    SELECT coalesce(sum((old_values ->> 'rows')::int), 0) FROM ticketing.audit_log
                     WHERE entity_type = 'legacy_catch_up' AND action = 'DELETE' AND event_id = ? AND old_values ->> 'table' = 'booking'"""
                    : "SELECT count(*) FROM ticketing.audit_log WHERE entity_type = 'booking' AND action = 'DELETE' AND event_id = ?", eventId))
                    .as("bookings removed, audited").isEqualTo(bookings).isPositive();
            if (bulk) {
                assertThat(Jdbc.count(connection, """
                        SELECT coalesce(sum((old_values ->> 'rows')::int), 0) FROM ticketing.audit_log
                         WHERE entity_type = 'legacy_catch_up' AND action = 'DELETE'"""))
                        .as("every migrated row removed, audited once, and nothing else").isEqualTo(removed);
            }
        }
    }

    /**
     * A legacy app's hard deletes of an event, then of a customer, each with everything under it, children first
     * (the legacy foreign keys restrict), each in one transaction.
     */
    private static void delete(TestDatabase database, String event, String user) throws Exception {
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            Jdbc.update(connection, """
                    DELETE FROM "Ticket" WHERE "bookingId" IN (SELECT id FROM "Booking" WHERE "eventId" = ?)
                        OR "seatId" IN (SELECT id FROM "Seat" WHERE "eventId" = ?)""", event, event);
            Jdbc.update(connection, "DELETE FROM \"PaymentSession\" WHERE \"eventId\" = ?", event);
            Jdbc.update(connection, "DELETE FROM \"Booking\" WHERE \"eventId\" = ?", event);
            Jdbc.update(connection, "DELETE FROM \"Seat\" WHERE \"eventId\" = ?", event);
            assertThat(Jdbc.update(connection, "DELETE FROM \"Event\" WHERE id = ?", event)).isOne();
            connection.commit();
            Jdbc.update(connection, """
                    DELETE FROM "Ticket" WHERE "userId" = ? OR "bookingId" IN (SELECT id FROM "Booking" WHERE "userId" = ?)""", user, user);
            Jdbc.update(connection, "DELETE FROM \"PaymentSession\" WHERE \"userId\" = ?", user);
            Jdbc.update(connection, "DELETE FROM \"Booking\" WHERE \"userId\" = ?", user);
            assertThat(Jdbc.update(connection, "DELETE FROM \"User\" WHERE id = ?", user)).isOne();
            connection.commit();
        }
    }

    /**
     * The generator's user whose address another user of a lower id has in another case, given it behind a zero-width
     * space, as pasted: still the other's address as the application normalizes it.
     */
    private static List<Change> pastedAddress(TestDatabase database) throws Exception {
        try (Connection connection = database.connect()) {
            Map<String, Object> user = Jdbc.query(connection, """
                    SELECT u.id, u.email FROM "User" u
                     WHERE EXISTS (SELECT 1 FROM "User" o WHERE lower(o.email) = lower(u.email) AND o.id < u.id)""").get(0);
            return List.of(new Change(SET_EMAIL, "\u200b" + user.get("email"), (String) user.get("id")));
        }
    }

    private static final String SET_EMAIL = "UPDATE \"User\" SET email = ? WHERE id = ?";
    private static final String SET_TITLE = "UPDATE \"Event\" SET title = ? WHERE id = ?";
    private static final String SET_EXPIRY = "UPDATE \"PaymentSession\" SET \"expiresAt\" = ?::timestamp WHERE id = ?";

    /** A legacy write: the same statement applied to each database (the generator made them equal). */
    private record Change(String sql, String value, String legacyId) {
    }

    @Test
    void a_pending_checkout_that_expired_before_the_import_cancels_its_booking_for_review_unless_another_runs() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        List<String> stale;
        String retried;
        try (Connection connection = database.connect()) {
            stale = Jdbc.query(connection, """
                    SELECT p.id FROM "PaymentSession" p JOIN "Booking" b ON b.id = p."bookingId"
                     WHERE p.status = 'pending' AND b.status = 'pending' ORDER BY p.id LIMIT 2""").stream().map(r -> (String) r.get("id")).toList();
            for (String checkout : stale) {
                Jdbc.update(connection, "UPDATE \"PaymentSession\" SET \"expiresAt\" = '2024-01-01' WHERE id = ?", checkout);
            }
            // The second booking's customer tries again: a new checkout of the same booking, still running.
            retried = (String) Jdbc.single(connection, "SELECT \"bookingId\" FROM \"PaymentSession\" WHERE id = ?", stale.get(1));
            Jdbc.update(connection, """
                    INSERT INTO "PaymentSession" (id, "userId", "eventId", "bookingId", amount, status, "expiresAt", "updatedAt")
                    SELECT 'retry-' || id, "userId", "eventId", "bookingId", amount, 'pending', '2030-01-01', now() FROM "PaymentSession" WHERE id = ?""",
                    stale.get(1));
        }

        Map<String, String> legacyBefore = LegacyDatabases.legacyHashes(database);
        LegacyPlanner.Plan plan = new LegacyPlanner(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        ImportReport report = new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();

        assertThat(report.addsUp()).isTrue();
        assertThat(plan.report().tables()).isEqualTo(report.tables());
        assertThat(plan.report().anomalyCounts()).isEqualTo(report.anomalyCounts());
        try (Connection connection = database.connect()) {
            String cancelled = (String) Jdbc.single(connection, "SELECT \"bookingId\" FROM \"PaymentSession\" WHERE id = ?", stale.get(0));
            // The operator reads it in the report too, not only in the admins' review list.
            assertThat(report.anomalies().get(
                    "Booking: pending, its checkout expired before the import unpaid: cancelled, seats released, marked for review").examples())
                    .containsExactly(cancelled);
            assertThat(Jdbc.query(connection, """
                    SELECT b.status::text AS booking, b.cancelled_at::text AS cancelled, b.review_reason AS review,
                           bool_and(bs.released_at IS NOT NULL) AS released, bool_and(s.status = 'AVAILABLE') AS free
                      FROM ticketing.booking b
                      JOIN ticketing.booked_seat bs ON bs.event_id = b.event_id AND bs.booking_id = b.id
                      JOIN ticketing.seat s ON s.event_id = bs.event_id AND s.id = bs.seat_id
                     WHERE b.legacy_id = ? GROUP BY 1, 2, 3""", cancelled))
                    .containsExactly(Map.of("booking", "CANCELLED", "cancelled", "2024-01-01 00:00:00+00",
                            "review", "checkout expired before the import without a payment result", "released", true, "free", true));
            assertThat(Jdbc.query(connection, "SELECT legacy_id, status::text AS status FROM ticketing.payment_session WHERE legacy_id IN (?, ?, ?)",
                    stale.get(0), stale.get(1), "retry-" + stale.get(1)))
                    .containsExactlyInAnyOrder(Map.of("legacy_id", stale.get(0), "status", "EXPIRED"),
                            Map.of("legacy_id", stale.get(1), "status", "EXPIRED"), Map.of("legacy_id", "retry-" + stale.get(1), "status", "PROCESSING"));
            assertThat(Jdbc.query(connection, "SELECT status::text AS status, review_reason FROM ticketing.booking WHERE legacy_id = ?", retried))
                    .singleElement().satisfies(row -> assertThat(row.get("status")).isEqualTo("PENDING"));
        }
        assertThat(new LegacyVerifier(database.dataSource()).run().clean()).isTrue();

        // An admin clears the review mark after the cut-over; a rollback still leaves the legacy booking pending.
        try (Connection connection = database.connect()) {
            Jdbc.update(connection, "UPDATE ticketing.booking SET review_reason = NULL WHERE review_reason LIKE 'checkout expired%'");
        }
        new LegacyRollback(database.dataSource(), QUIET).run();
        assertThat(LegacyDatabases.legacyHashes(database)).isEqualTo(legacyBefore);
    }

    @Test
    void an_import_killed_before_the_recount_after_its_trigger_free_rounds_recounts_when_it_resumes() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions().withCatchUp(false), QUIET).run();
        try (Connection connection = database.connect()) {
            // What a round with the triggers off leaves when the import dies before the recount: counters that are
            // off, and the mark that it committed with them.
            assertThat(Jdbc.update(connection, """
                    UPDATE ticketing.event_summary_shard SET seats_available = seats_available + 5
                     WHERE shard = 0 AND event_id = (SELECT min(event_id::text)::uuid FROM ticketing.event_summary_shard)""")).isEqualTo(1);
            Jdbc.update(connection, "UPDATE ticketing_import.run SET summaries_stale = true");
        }

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("event_summary recounted after the rounds (1 events changed)")
                .contains("event_summary recounted (0 rows corrected)");
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT summaries_stale FROM ticketing_import.run")).isEqualTo(false);
        }
    }

    /**
     * A repeat import, whose first catch-up round carries every change over (none comes in meanwhile) and
     * leaves nothing to the cut-over. With a superuser that round runs with the triggers off: it must leave
     * no row without its parent, summaries that need no correction, and its audit entries in place of the
     * triggers' (a role that may not runs the triggers, whose entries are then the ones found).
     */
    private static void catchUp(TestDatabase database) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ImportReport report = new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(),
                new PrintStream(printed, true, StandardCharsets.UTF_8)).run();
        assertThat(report.addsUp()).isTrue();
        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(output).contains("catch-up round 1: ").contains("final catch-up: 0 changed legacy rows")
                .contains("event_summary recounted (0 rows corrected)");
        try (Connection connection = database.connect()) {
            assertThat(SchemaInvariants.foreignKeyOrphans(connection)).isEmpty();
            boolean bulk = Boolean.TRUE.equals(Jdbc.single(connection, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));
            long roundEntries = Jdbc.count(connection, "SELECT count(*) FROM ticketing.audit_log WHERE entity_type = 'legacy_catch_up'");
            long rowEntries = Jdbc.count(connection, """
                    SELECT count(*) FROM ticketing.audit_log
                     WHERE entity_type IN ('event', 'booking', 'payment_session', 'ticket') AND actor = 'legacy-import'""");
            assertThat(bulk ? roundEntries : rowEntries).as("the round audited").isPositive();
            assertThat(bulk ? rowEntries : roundEntries).as("in one style").isZero();
        }
    }

    private static void apply(TestDatabase database, List<Change> changes) throws Exception {
        try (Connection connection = database.connect()) {
            for (Change change : changes) {
                assertThat(Jdbc.update(connection, change.sql(), change.value(), change.legacyId())).as(change.toString()).isEqualTo(1);
            }
        }
    }
}

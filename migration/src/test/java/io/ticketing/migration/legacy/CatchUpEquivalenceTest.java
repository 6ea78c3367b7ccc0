package io.ticketing.migration.legacy;

import io.ticketing.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.util.List;

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
            // A user refused because another holds the same address in another case; the holder moves away.
            String refusedEmail = (String) Jdbc.single(connection, """
                    SELECT payload ->> 'email' FROM ticketing_import.quarantine
                     WHERE table_name = 'User' AND reason = 'email of another user in another case'""");
            String holder = (String) Jdbc.single(connection, "SELECT legacy_id FROM ticketing.customer WHERE email = lower(btrim(?))", refusedEmail);
            String holderEmail = (String) Jdbc.single(connection, "SELECT email FROM \"User\" WHERE id = ?", holder);
            assertThat(List.of(user, event, holder)).doesNotContainNull();
            breaking = List.of(
                    new Change(SET_EMAIL, "no address", user),
                    new Change(SET_TITLE, " ", event),
                    new Change(SET_EMAIL, "moved." + holderEmail, holder));
            repairing = List.of(
                    new Change(SET_EMAIL, email, user),
                    new Change(SET_TITLE, title, event),
                    new Change(SET_EMAIL, holderEmail, holder));
        }

        // The legacy app breaks a customer and an event and frees an address; the catch-up carries it over.
        apply(caughtUp, breaking);
        assertThat(new LegacyImporter(caughtUp.dataSource(), LegacyDatabases.quietOptions(), QUIET).run().addsUp()).isTrue();
        TestDatabase fresh = LegacyDatabases.dirty();
        apply(fresh, breaking);
        new LegacyImporter(fresh.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        assertThat(LegacyDatabases.ticketingHashes(caughtUp)).isEqualTo(LegacyDatabases.ticketingHashes(fresh));
        assertThat(new LegacyVerifier(caughtUp.dataSource()).run().clean()).isTrue();

        // Then it repairs them: everything comes back as in an import of the original data.
        apply(caughtUp, repairing);
        assertThat(new LegacyImporter(caughtUp.dataSource(), LegacyDatabases.quietOptions(), QUIET).run().addsUp()).isTrue();
        TestDatabase original = LegacyDatabases.dirty();
        new LegacyImporter(original.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        assertThat(LegacyDatabases.ticketingHashes(caughtUp)).isEqualTo(LegacyDatabases.ticketingHashes(original));
        assertThat(new LegacyVerifier(caughtUp.dataSource()).run().clean()).isTrue();
    }

    private static final String SET_EMAIL = "UPDATE \"User\" SET email = ? WHERE id = ?";
    private static final String SET_TITLE = "UPDATE \"Event\" SET title = ? WHERE id = ?";

    /** A legacy write: the same statement applied to each database (the generator made them equal). */
    private record Change(String sql, String value, String legacyId) {
    }

    private static void apply(TestDatabase database, List<Change> changes) throws Exception {
        try (Connection connection = database.connect()) {
            for (Change change : changes) {
                assertThat(Jdbc.update(connection, change.sql(), change.value(), change.legacyId())).as(change.toString()).isEqualTo(1);
            }
        }
    }
}

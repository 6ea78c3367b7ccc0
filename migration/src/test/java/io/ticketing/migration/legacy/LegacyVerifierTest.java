package io.ticketing.migration.legacy;

import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * verify compares every column the import writes: after a clean import of the generated dirty data
 * set, changing any one column of one migrated row in the new schema is reported by exactly the
 * check that covers it, with that row's legacy id as an example.
 */
class LegacyVerifierTest {

    private static final String USER = "User: email or name differ";
    private static final String EVENT = "Event: status, title or dates differ";
    private static final String EVENT_TEXTS = "Event: description, venue or currency differ";
    private static final String SEAT = "Seat: position or price differ";
    private static final String SEAT_STATUS = "Seat: status disagrees with legacy status and claims";
    private static final String BOOKING = "Booking: status, amount, customer or event differ";
    private static final String BOOKING_TIMES = "Booking: confirmed_at or cancelled_at differ";
    private static final String BOOKED_SEAT = "booked_seat: price, created_at or released_at differ";
    private static final String SESSION = "PaymentSession: status, amount or booking differ";
    private static final String SESSION_REF = "PaymentSession: provider_ref or expires_at differ";
    private static final String SESSION_PARTIES = "PaymentSession: customer, event or currency differ";
    private static final String SESSION_SEAT = "payment_session_seat: created_at or released_at differ";
    private static final String TICKET = "Ticket: status, code, booking, seat, customer or event differ";
    private static final String CHECKED_IN = "Ticket: checked_in_at differs";
    private static final String CREATED = "created_at: differs from the legacy createdAt";
    private static final String EVENT_DELETED = "Event: is_deleted, deleted_at or deleted_by differ";
    private static final String BOOKING_CHECKOUT = "Booking: payment_session_id differs";
    private static final String REVIEW = "Booking: review_reason (marked for review or not) differs";

    /** The dirty data set, imported: built once per JVM, copied per test. */
    private static TestDatabase imported() {
        return TestPostgres.freshDatabase("legacy-dirty-10k-imported", d -> {
            try (Connection connection = d.connect()) {
                LegacySchema.create(connection);
                LegacyDataGenerator.generate(connection, LegacyDatabases.SEATS, LegacyDatabases.SEED);
            }
            new LegacyImporter(d.dataSource(), LegacyDatabases.quietOptions(), new PrintStream(OutputStream.nullOutputStream())).run();
        });
    }

    @Test
    void a_clean_import_verifies_clean_with_every_value_check_run() throws Exception {
        LegacyVerifier.Result result = new LegacyVerifier(imported().dataSource()).run();

        assertThat(result.checks()).filteredOn(c -> c.differences() > 0).isEmpty();
        assertThat(result.clean()).isTrue();
        assertThat(result.checks()).extracting(LegacyVerifier.Check::name).contains(USER, EVENT, EVENT_TEXTS, SEAT, BOOKING, BOOKING_TIMES,
                BOOKED_SEAT, SESSION, SESSION_REF, SESSION_PARTIES, SESSION_SEAT, TICKET, CHECKED_IN, CREATED, "Booking: seat set differs", REVIEW);
    }

    @Test
    void an_import_stopped_between_its_cut_over_and_its_last_step_does_not_verify_clean_until_it_runs_again() throws Exception {
        TestDatabase database = imported();
        try (Connection connection = database.connect()) {
            // What a kill right after a catch-up's commit leaves: the import's last write later than the view's last
            // refresh; after a first import, no refresh at all (the view as empty as the tables were at the migration).
            Jdbc.update(connection, "UPDATE ticketing_import.run SET caught_up_at = clock_timestamp()");
        }
        assertThat(new LegacyVerifier(database.dataSource()).run().checks()).filteredOn(c -> c.differences() > 0)
                .extracting(LegacyVerifier.Check::name, LegacyVerifier.Check::differences)
                .containsExactly(tuple(LegacyVerifier.SALES_VIEW_STALE, 1L));
        try (Connection connection = database.connect()) {
            Jdbc.update(connection, "DELETE FROM ticketing.sales_summary_refresh");
        }
        assertThat(new LegacyVerifier(database.dataSource()).run().checks()).filteredOn(c -> c.differences() > 0)
                .extracting(LegacyVerifier.Check::name).containsExactly(LegacyVerifier.SALES_VIEW_STALE);

        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), new PrintStream(OutputStream.nullOutputStream())).run();

        assertThat(new LegacyVerifier(database.dataSource()).run().clean()).as("the rerun refreshed the view").isTrue();
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.count(connection, "SELECT count(*) FROM ticketing.event_sales_summary")).isPositive();
        }
    }

    @Test
    void a_row_without_its_parent_is_reported_with_its_key() throws Exception {
        TestDatabase database = imported();
        String kept;
        long orphaned;
        try (Connection connection = database.connect()) {
            // What a write with the foreign keys' triggers off could leave (the copy and the catch-up rounds before the
            // cut-over run so): a booked seat whose booking is gone. Planted as the tables' owner, who may drop the key
            // and add it back without checking the rows already there.
            connection.setAutoCommit(false);
            Jdbc.script(connection, "SET LOCAL ticketing.check_invariants = off");
            Jdbc.script(connection, "ALTER TABLE ticketing.booked_seat DROP CONSTRAINT booked_seat_booking_fkey");
            kept = (String) Jdbc.single(connection, """
                    SELECT event_id || '/' || booking_id FROM ticketing.booked_seat WHERE released_at IS NOT NULL ORDER BY booking_id LIMIT 1""");
            for (String table : List.of("ticket", "refund_request")) {
                Jdbc.script(connection, "DELETE FROM ticketing." + table + " WHERE event_id || '/' || booking_id = '" + kept + "'");
            }
            Jdbc.script(connection, "UPDATE ticketing.payment_session SET booking_id = NULL WHERE event_id || '/' || booking_id = '" + kept + "'");
            Jdbc.script(connection, "DELETE FROM ticketing.booking WHERE event_id || '/' || id = '" + kept + "'");
            orphaned = Jdbc.count(connection, "SELECT count(*) FROM ticketing.booked_seat WHERE event_id || '/' || booking_id = '" + kept + "'");
            Jdbc.script(connection, """
                    ALTER TABLE ticketing.booked_seat ADD CONSTRAINT booked_seat_booking_fkey FOREIGN KEY (event_id, booking_id)
                        REFERENCES ticketing.booking (event_id, id) ON DELETE CASCADE NOT VALID""");
            connection.commit();
        }

        LegacyVerifier.Check orphans = new LegacyVerifier(database.dataSource()).run().checks().stream()
                .filter(c -> c.name().equals(LegacyVerifier.SCHEMA_RULE + "a row without its parent (foreign keys)")).findFirst().orElseThrow();

        assertThat(orphaned).isPositive();
        assertThat(orphans.differences()).isEqualTo(orphaned);
        assertThat(orphans.examples()).containsOnly("booked_seat_booking_fkey: " + kept);
    }

    @Test
    void pending_legacy_changes_count_once_per_changed_row() throws Exception {
        TestDatabase database = imported();
        List<Object> seats;
        try (Connection connection = database.connect()) {
            seats = Jdbc.query(connection, "SELECT id FROM \"Seat\" ORDER BY id LIMIT 3").stream().map(row -> row.get("id")).toList();
            for (Object seat : seats) {
                // An UPDATE logs the row's old and new versions: two change-log rows of one legacy row.
                Jdbc.update(connection, "UPDATE \"Seat\" SET price = price + 1, \"updatedAt\" = now() WHERE id = ?", seat);
            }
        }

        LegacyVerifier.Check pending = new LegacyVerifier(database.dataSource()).run().checks().stream()
                .filter(c -> c.name().equals("catch-up: legacy changes not yet carried over")).findFirst().orElseThrow();

        assertThat(pending.differences()).isEqualTo(3);
        assertThat(pending.examples()).containsExactlyElementsOf(seats.stream().map(seat -> "Seat:" + seat).toList());
    }

    @Test
    void verify_runs_on_a_server_that_plans_its_checks_in_parallel() throws Exception {
        TestDatabase database = imported();
        try (Connection connection = database.connect()) {
            // As a stock server does on big tables: every scan that may go parallel does, and
            // (unlike on small tables) its workers, not the leader, read the rows.
            Jdbc.script(connection, """
                    DO $$
                    BEGIN
                        EXECUTE format('ALTER DATABASE %I SET parallel_setup_cost = 0', current_database());
                        EXECUTE format('ALTER DATABASE %I SET parallel_tuple_cost = 0', current_database());
                        EXECUTE format('ALTER DATABASE %I SET min_parallel_table_scan_size = 0', current_database());
                        EXECUTE format('ALTER DATABASE %I SET max_parallel_workers_per_gather = 2', current_database());
                        EXECUTE format('ALTER DATABASE %I SET parallel_leader_participation = off', current_database());
                    END
                    $$""");
        }

        assertThat(new LegacyVerifier(database.dataSource()).run().clean()).isTrue();
    }

    /** A change to one column of one migrated row, by SQL returning the example verify must name. */
    static Stream<Arguments> tamperings() {
        String firstBookedSeat = """
                UPDATE ticketing.booked_seat bs SET %s
                  FROM (SELECT bs.event_id, bs.booking_id, bs.seat_id, b.legacy_id || '/' || s.legacy_id AS example
                          FROM ticketing.booked_seat bs
                          JOIN ticketing.booking b ON b.event_id = bs.event_id AND b.id = bs.booking_id
                          JOIN ticketing.seat s ON s.event_id = bs.event_id AND s.id = bs.seat_id
                         WHERE %s
                           AND NOT EXISTS (SELECT 1 FROM ticketing.booked_seat o WHERE o.event_id = bs.event_id AND o.seat_id = bs.seat_id
                                              AND o.released_at IS NULL AND o.booking_id <> bs.booking_id)
                         ORDER BY b.legacy_id, s.legacy_id LIMIT 1) x
                 WHERE (bs.event_id, bs.booking_id, bs.seat_id) = (x.event_id, x.booking_id, x.seat_id)
                RETURNING x.example""";
        String firstSessionSeat = """
                UPDATE ticketing.payment_session_seat ps SET %s
                  FROM (SELECT ps.event_id, ps.payment_session_id, ps.seat_id, p.legacy_id || '/' || s.legacy_id AS example
                          FROM ticketing.payment_session_seat ps
                          JOIN ticketing.payment_session p ON p.event_id = ps.event_id AND p.id = ps.payment_session_id
                          JOIN ticketing.seat s ON s.event_id = ps.event_id AND s.id = ps.seat_id
                         WHERE %s
                           AND NOT EXISTS (SELECT 1 FROM ticketing.payment_session_seat o WHERE o.event_id = ps.event_id
                                              AND o.seat_id = ps.seat_id AND o.released_at IS NULL)
                         ORDER BY p.legacy_id, s.legacy_id LIMIT 1) x
                 WHERE (ps.event_id, ps.payment_session_id, ps.seat_id) = (x.event_id, x.payment_session_id, x.seat_id)
                RETURNING x.example""";
        return Stream.of(
                arguments("booked_seat.price", BOOKED_SEAT, firstBookedSeat.formatted("price = bs.price + 1", "b.status = 'CONFIRMED'")),
                arguments("booked_seat.released_at of a cancelled booking cleared", BOOKED_SEAT,
                        firstBookedSeat.formatted("released_at = NULL", "b.status = 'CANCELLED'")),
                arguments("payment_session_seat.released_at of a finished checkout cleared", SESSION_SEAT,
                        firstSessionSeat.formatted("released_at = NULL", "p.status NOT IN ('OPEN', 'PROCESSING')")),
                arguments("payment_session_seat.created_at", SESSION_SEAT,
                        firstSessionSeat.formatted("created_at = ps.created_at - interval '1 day'", "true")),
                arguments("ticket.checked_in_at", CHECKED_IN, first("ticket", "checked_in_at = now()", "status = 'VALID'")),
                arguments("ticket.code", TICKET, first("ticket", "code = code || 'X'", "true")),
                arguments("event.venue", EVENT_TEXTS, first("event", "venue = 'Somewhere else'", "true")),
                arguments("event.description", EVENT_TEXTS, first("event", "description = coalesce(description, '') || '!'", "true")),
                arguments("event.currency", EVENT_TEXTS, first("event", "currency = 'USD'", "true")),
                arguments("event.title", EVENT, first("event", "title = title || '!'", "true")),
                arguments("event soft-deleted by hand", EVENT_DELETED,
                        first("event", "is_deleted = true, deleted_at = now(), deleted_by = 'ops'", "true")),
                arguments("event.ends_at", EVENT, first("event", "ends_at = coalesce(ends_at, starts_at) + interval '1 hour'", "true")),
                arguments("customer.email", USER, first("customer", "email = 'x' || email", "true")),
                arguments("customer.created_at", CREATED, first("customer", "created_at = created_at - interval '1 day'", "true")
                        .replace("RETURNING legacy_id", "RETURNING 'User:' || legacy_id")),
                arguments("seat.section", SEAT, first("seat", "section = section || '!'", "status = 'AVAILABLE'")),
                arguments("seat.status of a seat no claim holds", SEAT_STATUS, first("seat", "status = 'BLOCKED'", """
                        status = 'AVAILABLE' AND NOT EXISTS (SELECT 1 FROM ticketing.payment_session_seat ps
                                                              WHERE ps.event_id = seat.event_id AND ps.seat_id = seat.id)""")),
                arguments("booking.total_amount", BOOKING, first("booking", "total_amount = total_amount + 1", "status = 'CONFIRMED'")),
                arguments("booking.confirmed_at", BOOKING_TIMES,
                        first("booking", "confirmed_at = confirmed_at - interval '1 second'", "status = 'CONFIRMED'")),
                arguments("booking.cancelled_at", BOOKING_TIMES,
                        first("booking", "cancelled_at = cancelled_at - interval '1 second'", "status = 'CANCELLED'")),
                arguments("booking.payment_session_id set by hand to its legacy checkout", BOOKING_CHECKOUT, first("booking", """
                        payment_session_id = (SELECT p.id FROM ticketing.payment_session p WHERE p.event_id = t.event_id AND p.booking_id = t.id
                                               ORDER BY p.id LIMIT 1)""", """
                        EXISTS (SELECT 1 FROM ticketing.payment_session p WHERE p.event_id = booking.event_id AND p.booking_id = booking.id)""")),
                // Not through the application's review-done (which its audit trail names): its own check, not the seat set's.
                arguments("booking.review_reason cleared by hand", REVIEW, first("booking", "review_reason = NULL", "review_reason IS NOT NULL")),
                arguments("booking.review_reason set by hand", REVIEW, first("booking", "review_reason = 'looks odd'", "review_reason IS NULL")),
                arguments("payment_session.amount", SESSION, first("payment_session", "amount = amount + 1", "true")),
                arguments("payment_session.provider_ref", SESSION_REF,
                        first("payment_session", "provider_ref = coalesce(provider_ref, '') || '-x'", "true")),
                arguments("payment_session.expires_at", SESSION_REF,
                        first("payment_session", "expires_at = expires_at + interval '1 minute'", "true")),
                arguments("payment_session.currency", SESSION_PARTIES, first("payment_session", "currency = 'USD'", "true")),
                arguments("payment_session.customer_id", SESSION_PARTIES, first("payment_session",
                        "customer_id = (SELECT c.id FROM ticketing.customer c WHERE c.id <> t.customer_id ORDER BY c.legacy_id LIMIT 1)", "true")));
    }

    /** The migrated row of {@code table} with the lowest legacy id (among {@code where}), changed by {@code set}. */
    private static String first(String table, String set, String where) {
        return """
                UPDATE ticketing.%1$s t SET %2$s
                 WHERE t.id = (SELECT id FROM ticketing.%1$s WHERE legacy_id IS NOT NULL AND %3$s ORDER BY legacy_id LIMIT 1)
                RETURNING legacy_id""".formatted(table, set, where);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tamperings")
    void a_changed_column_is_reported_by_its_check_with_the_legacy_id(String column, String check, String tamper) throws Exception {
        TestDatabase database = imported();
        String example;
        try (Connection connection = database.connect()) {
            // as a writer past the commit-time guards would (data changed before V9, or by hand with them off)
            Jdbc.script(connection, "SET ticketing.check_invariants = off");
            example = (String) Jdbc.single(connection, tamper);
        }
        assertThat(example).as("the tampering changed a row").isNotNull();

        LegacyVerifier.Result result = new LegacyVerifier(database.dataSource()).run();

        assertThat(result.clean()).isFalse();
        assertThat(result.checks()).filteredOn(c -> c.differences() > 0 && !c.name().startsWith(LegacyVerifier.SCHEMA_RULE))
                .singleElement()
                .satisfies(c -> {
                    assertThat(c.name()).isEqualTo(check);
                    assertThat(c.differences()).isEqualTo(1);
                    assertThat(c.examples()).containsExactly(example);
                });
    }

    @Test
    void a_row_that_carries_the_legacy_id_of_a_quarantined_row_is_reported_as_both() throws Exception {
        TestDatabase database = imported();
        String quarantined;
        try (Connection connection = database.connect()) {
            quarantined = (String) Jdbc.single(connection,
                    "SELECT legacy_id FROM ticketing_import.quarantine WHERE table_name = 'User' ORDER BY legacy_id LIMIT 1");
            // under an id of its own, not the one derived from the legacy id: the comparisons find it by its legacy id
            Jdbc.update(connection, "INSERT INTO ticketing.customer (email, name, legacy_id) VALUES ('carried@example.com', 'Carried', ?)",
                    quarantined);
        }

        LegacyVerifier.Result result = new LegacyVerifier(database.dataSource()).run();

        assertThat(result.checks()).filteredOn(c -> c.differences() > 0).extracting(LegacyVerifier.Check::name, LegacyVerifier.Check::examples)
                .contains(tuple("User: both migrated and quarantined", List.of(quarantined)));
    }

    @Test
    void the_columns_the_new_application_changed_after_the_cut_over_are_its_own_and_the_others_are_still_compared() throws Exception {
        TestDatabase database = imported();
        String ticket;
        String seat;
        try (Connection connection = database.connect()) {
            // A price that is not the legacy one, changed by no application actor (the import's error, or an edit by hand).
            seat = (String) Jdbc.single(connection, first("seat", "price = price + 1", "status = 'AVAILABLE'"));
            // The new application, which says who acts: a ticket checked in at the door, that seat blocked by an admin.
            Jdbc.script(connection, "SELECT set_config('ticketing.actor', 'staff:door', false)");
            ticket = (String) Jdbc.single(connection, first("ticket", "status = 'USED', checked_in_at = now()", "status = 'VALID'"));
            Jdbc.script(connection, "SELECT set_config('ticketing.actor', 'admin:ann', false)");
            Jdbc.update(connection, "UPDATE ticketing.seat SET status = 'BLOCKED' WHERE legacy_id = ?", seat);
        }

        LegacyVerifier.Result result = new LegacyVerifier(database.dataSource()).run();

        assertThat(result.checks()).filteredOn(c -> c.differences() > 0).singleElement().satisfies(c -> {
            assertThat(c.name()).as("the application changed the seat's status, not its price").isEqualTo(SEAT);
            assertThat(c.examples()).containsExactly(seat);
        });
        assertThat(result.checks()).filteredOn(c -> c.examples().contains(ticket)).as("the check-in is the application's").isEmpty();
        assertThat(result.applicationChanged()).isEqualTo(2);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        result.print(new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("note: 2 migrated rows changed by the new application since the "
                + "cut-over: the columns it changed are its own, not compared");
    }

    @Test
    void review_marks_an_admin_cleared_through_the_application_are_no_difference() throws Exception {
        TestDatabase database = imported();
        long cleared;
        try (Connection connection = database.connect()) {
            // What POST /bookings/{id}/review-done writes: the mark cleared, in a transaction that names the admin.
            Jdbc.script(connection, "SELECT set_config('ticketing.actor', 'admin:ann', false)");
            cleared = Jdbc.update(connection, "UPDATE ticketing.booking SET review_reason = NULL WHERE review_reason IS NOT NULL");
        }

        LegacyVerifier.Result result = new LegacyVerifier(database.dataSource()).run();

        assertThat(cleared).isPositive();
        assertThat(result.checks()).filteredOn(c -> c.differences() > 0).isEmpty();
        assertThat(result.applicationChanged()).isEqualTo(cleared);
    }

    @Test
    void an_event_the_new_application_deleted_after_the_cut_over_is_its_own() throws Exception {
        TestDatabase database = imported();
        try (Connection connection = database.connect()) {
            Jdbc.script(connection, "SELECT set_config('ticketing.actor', 'admin:ann', false)");
            assertThat(Jdbc.single(connection, first("event", "is_deleted = true, deleted_at = now(), deleted_by = 'admin:ann'", "true")))
                    .isNotNull();
        }

        LegacyVerifier.Result result = new LegacyVerifier(database.dataSource()).run();

        assertThat(result.checks()).filteredOn(c -> c.name().equals(EVENT_DELETED)).singleElement()
                .satisfies(c -> assertThat(c.differences()).isZero());
        assertThat(result.applicationChanged()).isEqualTo(1);
    }

    @Test
    void checkout_seat_pairs_whose_ids_contain_a_slash_are_told_apart() throws Exception {
        // ('p1/q', 's1') is migrated, ('p1', 'q/s1') quarantined with its checkout: both are "p1/q/s1" as A || '/' || B.
        TestDatabase database = TestPostgres.freshDatabase("legacy-slash-pairs", d -> {
            try (Connection connection = d.connect()) {
                LegacySchema.create(connection);
                Jdbc.script(connection, """
                        INSERT INTO "Event" VALUES ('ev-slash', 'Slash event', NULL, NULL, '2027-07-01 20:00', NULL, 'PUBLISHED', '2024-01-01', '2024-01-01');
                        INSERT INTO "User" VALUES ('u-slash', 'slash@example.com', 'Slash', '2024-01-01', '2024-01-01');
                        INSERT INTO "Seat" VALUES ('s1', 'ev-slash', 'A', 'A', 1, 10, 'reserved', '2024-01-01', '2024-01-01'),
                                                  ('q/s1', 'ev-slash', 'A', 'A', 2, 10, 'available', '2024-01-01', '2024-01-01');
                        INSERT INTO "PaymentSession" VALUES
                            ('p1/q', 'u-slash', 'ev-slash', NULL, 10, 'pending', NULL, '2099-01-01', '2024-01-02', '2024-01-02'),
                            ('p1', 'u-slash', 'ev-slash', NULL, 10, 'weird-status', NULL, '2099-01-01', '2024-01-02', '2024-01-02');
                        INSERT INTO "_PaymentSessionToSeat" VALUES ('p1/q', 's1'), ('p1', 'q/s1');""");
            }
        });
        ImportReport report = new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), new PrintStream(OutputStream.nullOutputStream())).run();
        assertThat(report.table("_PaymentSessionToSeat")).satisfies(t -> {
            assertThat(t.migrated()).isEqualTo(1);
            assertThat(t.quarantined()).isEqualTo(1);
        });

        LegacyVerifier.Result result = new LegacyVerifier(database.dataSource()).run();

        assertThat(result.checks()).filteredOn(c -> c.differences() > 0).isEmpty();
        // a pair neither migrated nor quarantined is still told, named as the quarantine names pairs ('/' in A as %2F)
        try (Connection connection = database.connect()) {
            Jdbc.script(connection, "SET ticketing.check_invariants = off");
            Jdbc.update(connection, "DELETE FROM ticketing.payment_session_seat");
        }
        assertThat(new LegacyVerifier(database.dataSource()).run().checks()).filteredOn(c -> c.differences() > 0)
                .extracting(LegacyVerifier.Check::name, LegacyVerifier.Check::examples)
                .contains(tuple("_PaymentSessionToSeat: neither migrated nor quarantined", List.of("p1%2Fq/s1")));
    }
}

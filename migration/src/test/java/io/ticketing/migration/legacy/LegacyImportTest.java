package io.ticketing.migration.legacy;

import io.ticketing.migration.legacy.cli.LegacyCommand;
import io.ticketing.migration.schema.SchemaMigrator;
import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Import of the generated dirty data set: the report shows exactly what the generator planted. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LegacyImportTest {

    private final TestDatabase database = LegacyDatabases.dirty();
    private final LegacyDataGenerator.Planted planted = LegacyDatabases.planted();
    private Map<String, String> legacyBefore;
    private LegacyPlanner.Plan plan;
    private ImportReport report;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeAll
    void planThenImport() throws Exception {
        legacyBefore = LegacyDatabases.legacyHashes(database);
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        plan = new LegacyPlanner(database.dataSource(), LegacyDatabases.quietOptions(), out).run();
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.schemaExists(connection, "ticketing")).as("plan changes nothing: no schema").isFalse();
            assertThat(Jdbc.schemaExists(connection, "ticketing_import")).isFalse();
        }
        assertThat(LegacyDatabases.legacyHashes(database)).as("plan changes nothing").isEqualTo(legacyBefore);
        report = new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), out).run();
    }

    @Test
    void the_report_shows_exactly_what_the_generator_planted() {
        assertThat(report.anomalyCounts()).isEqualTo(planted.anomalies());
        report.tables().forEach(t -> assertThat(t.quarantined()).as(t.table()).isEqualTo(planted.quarantined().get(t.table())));
    }

    @Test
    void migrated_plus_quarantined_equals_legacy_table_by_table() {
        assertThat(report.tables()).hasSize(7).allSatisfy(t -> {
            assertThat(t.legacy()).as(t.table()).isPositive();
            assertThat(t.migrated() + t.quarantined()).as(t.table()).isEqualTo(t.legacy());
        });
    }

    @Test
    void the_import_says_how_long_each_step_of_its_copy_took() {
        String printed = log.toString(StandardCharsets.UTF_8);
        // Each step reads every row of its legacy table, migrated or quarantined.
        for (String table : List.of("User", "Event", "Seat", "Booking", "PaymentSession", "Ticket")) {
            long legacy = report.tables().stream().filter(t -> t.table().equals(table)).findFirst().orElseThrow().legacy();
            assertThat(printed).containsPattern("(?m)^" + table + ": " + legacy + " rows in \\d+\\.\\d s, its indexes and keys built in \\d+\\.\\d s$");
        }
        // The plan before it printed the same steps, without index builds: a rehearsal drops no index.
        assertThat(printed).containsPattern("(?m)^Seat: \\d+ rows in \\d+\\.\\d s$");
        assertThat(printed).containsPattern("(?m)^after the copy: statistics(, summaries recounted, foreign keys checked)? in \\d+\\.\\d s$")
                .containsPattern("(?m)^copied in \\d+\\.\\d s$");
    }

    @Test
    void the_plan_predicted_the_import_exactly() {
        assertThat(plan.report().anomalyCounts()).isEqualTo(report.anomalyCounts());
        assertThat(plan.report().tables()).isEqualTo(report.tables());
        assertThat(plan.estimatedImport()).isPositive();
    }

    @Test
    void a_booking_keeps_its_valid_seats_and_tickets_and_is_marked_for_review() throws Exception {
        try (Connection connection = database.connect()) {
            // Seats [taken by an earlier booking, free]: migrated with the free seat and its ticket.
            String booking = (String) Jdbc.single(connection, "SELECT id FROM \"Booking\" WHERE id LIKE '0001%'");
            assertThat(Jdbc.single(connection, "SELECT status::text || ' ' || review_reason FROM ticketing.booking WHERE legacy_id = ?", booking))
                    .isEqualTo("CONFIRMED 1 of 2 seats quarantined: seat already claimed");
            assertThat(Jdbc.count(connection, """
                    SELECT count(*) FROM ticketing.booked_seat bs JOIN ticketing.booking b ON b.event_id = bs.event_id AND b.id = bs.booking_id
                     WHERE b.legacy_id = ?""", booking)).isEqualTo(1);
            Object heldSeat = Jdbc.single(connection, "SELECT seats ->> 0 FROM \"Booking\" WHERE id = ?", booking);
            assertThat(Jdbc.query(connection, "SELECT reason, payload ->> 'seatId' AS seat FROM ticketing_import.quarantine "
                    + "WHERE table_name = 'Booking.seats' AND batch_key = ?", booking))
                    .containsExactly(Map.of("reason", "seat already claimed", "seat", heldSeat));
            assertThat(Jdbc.single(connection, "SELECT status::text FROM ticketing.ticket WHERE code = 'TK-EXTRA-0002'")).isEqualTo("VALID");
            assertThat(Jdbc.single(connection, "SELECT q.reason FROM ticketing_import.quarantine q JOIN \"Ticket\" t ON t.id = q.legacy_id "
                    + "WHERE q.table_name = 'Ticket' AND t.code = 'TK-EXTRA-0003'")).isEqualTo("seat of its booking quarantined");
            // Seats [valid, unknown]: migrated with the valid one, which had no ticket: the import issues it one (IssuedTicketsTest).
            assertThat(Jdbc.count(connection, "SELECT count(*) FROM ticketing.booking WHERE review_reason = '1 of 2 seats quarantined: unknown seat; "
                    + "ticket issued by the import for a seat the legacy booking had no valid ticket for'")).isEqualTo(1);
        }
    }

    @Test
    void a_seat_claimed_twice_goes_to_the_booking_created_first_whatever_its_id() throws Exception {
        try (Connection connection = database.connect()) {
            // Created in 2025 with an id that sorts before every other: it loses its only seat to a 2024 booking.
            String late = (String) Jdbc.single(connection, "SELECT id FROM \"Booking\" WHERE id LIKE '0000%'");
            assertThat(Jdbc.single(connection, "SELECT reason FROM ticketing_import.quarantine WHERE table_name = 'Booking' AND legacy_id = ?", late))
                    .isEqualTo("seat already claimed");
            String seat = (String) Jdbc.single(connection, "SELECT seats ->> 0 FROM \"Booking\" WHERE id = ?", late);
            assertThat(Jdbc.single(connection, """
                    SELECT b.created_at < timestamptz '2025-01-01' FROM ticketing.booked_seat bs
                      JOIN ticketing.booking b ON b.event_id = bs.event_id AND b.id = bs.booking_id
                      JOIN ticketing.seat s ON s.event_id = bs.event_id AND s.id = bs.seat_id
                     WHERE s.legacy_id = ? AND bs.released_at IS NULL""", seat)).isEqualTo(true);
        }
    }

    @Test
    void a_booking_without_seats_is_quarantined_not_migrated() throws Exception {
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.query(connection, """
                    SELECT q.reason FROM ticketing_import.quarantine q JOIN "Booking" b ON b.id = q.legacy_id
                     WHERE q.table_name = 'Booking' AND b.seats = '[]'::jsonb""")).extracting(row -> row.get("reason")).containsExactly("no seats");
            assertThat(Jdbc.count(connection, """
                    SELECT count(*) FROM ticketing.booking b
                     WHERE b.legacy_id IS NOT NULL
                       AND NOT EXISTS (SELECT 1 FROM ticketing.booked_seat bs WHERE bs.event_id = b.event_id AND bs.booking_id = b.id)""")).isZero();
        }
    }

    @Test
    void a_pending_checkout_whose_booking_awaits_the_payment_is_processing_so_that_no_sweeper_expires_it() throws Exception {
        try (Connection connection = database.connect()) {
            // Each event's pending bookings (j mod 10 = 7) come with a pending checkout of their seats.
            assertThat(Jdbc.count(connection, """
                    SELECT count(*) FROM ticketing.payment_session p
                      JOIN ticketing.booking b ON b.event_id = p.event_id AND b.id = p.booking_id
                     WHERE b.status = 'PENDING' AND p.status = 'PROCESSING'""")).isGreaterThanOrEqualTo(20 * 9);
            assertThat(Jdbc.count(connection, """
                    SELECT count(*) FROM ticketing.payment_session p
                      JOIN ticketing.booking b ON b.event_id = p.event_id AND b.id = p.booking_id
                     WHERE p.status = 'OPEN' AND b.status IN ('PENDING', 'CONFIRMED')""")).as("open checkouts of a booking").isZero();
        }
    }

    @Test
    void an_open_checkout_of_a_confirmed_booking_is_quarantined_with_its_seat_links() throws Exception {
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.query(connection, """
                    SELECT q.reason, b.status AS booking FROM ticketing_import.quarantine q
                      JOIN "PaymentSession" p ON p.id = q.legacy_id JOIN "Booking" b ON b.id = p."bookingId"
                     WHERE q.table_name = 'PaymentSession' AND q.reason = 'open checkout of a confirmed booking'"""))
                    .singleElement().satisfies(row -> assertThat(row.get("booking")).isEqualTo("confirmed"));
        }
    }

    @Test
    void a_checkout_cannot_hold_a_seat_that_another_booking_holds() throws Exception {
        try (Connection connection = database.connect()) {
            // A pending checkout of no booking lists a sold seat and a free one: it keeps the free one only.
            String session = (String) Jdbc.single(connection, "SELECT id FROM \"PaymentSession\" WHERE \"bookingId\" IS NULL");
            assertThat(Jdbc.query(connection, "SELECT reason FROM ticketing_import.quarantine WHERE table_name = '_PaymentSessionToSeat' "
                    + "AND batch_key = ?", session)).extracting(row -> row.get("reason")).containsExactly("seat already claimed");
            assertThat(Jdbc.query(connection, """
                    SELECT p.status::text AS checkout, s.status::text AS seat FROM ticketing.payment_session p
                      JOIN ticketing.payment_session_seat ps ON ps.event_id = p.event_id AND ps.payment_session_id = p.id
                      JOIN ticketing.seat s ON s.event_id = ps.event_id AND s.id = ps.seat_id
                     WHERE p.legacy_id = ? AND ps.released_at IS NULL""", session))
                    .containsExactly(Map.of("checkout", "OPEN", "seat", "RESERVED"));
        }
    }

    @Test
    void a_cancelled_booking_that_was_paid_is_a_refund_not_a_failed_payment() throws Exception {
        try (Connection connection = database.connect()) {
            // One whose checkout completed, one with a refunded ticket: both keep the time of the payment.
            String refundedTicketBooking = (String) Jdbc.single(connection, "SELECT \"bookingId\" FROM \"Ticket\" WHERE code = 'TK-EXTRA-0004'");
            assertThat(Jdbc.query(connection, """
                    SELECT b.legacy_id, b.confirmed_at IS NOT NULL AND b.confirmed_at <= b.cancelled_at AS paid FROM ticketing.booking b
                     WHERE b.status = 'CANCELLED'
                       AND (b.legacy_id = ? OR b.legacy_id IN (SELECT "bookingId" FROM "PaymentSession" WHERE status = 'completed'))""",
                    refundedTicketBooking)).hasSize(2).allSatisfy(row -> assertThat(row.get("paid")).as(row.toString()).isEqualTo(true));
            assertThat(Jdbc.single(connection, "SELECT status::text FROM ticketing.ticket WHERE code = 'TK-EXTRA-0004'")).isEqualTo("REFUNDED");
            // Every other cancelled booking never got its payment.
            assertThat(Jdbc.count(connection, "SELECT count(*) FROM ticketing.booking WHERE status = 'CANCELLED' AND confirmed_at IS NOT NULL"))
                    .isEqualTo(2);
        }
    }

    @Test
    void two_legacy_ids_that_differ_only_in_case_are_two_customers() throws Exception {
        try (Connection connection = database.connect()) {
            List<Map<String, Object>> users = Jdbc.query(connection, """
                    SELECT c.id::text AS id, c.legacy_id = lower(c.legacy_id) AS lower_case FROM ticketing.customer c
                      JOIN "User" u ON u.id = c.legacy_id
                     WHERE lower(u.id) IN (SELECT lower(id) FROM "User" GROUP BY lower(id) HAVING count(*) > 1)""");
            // The lower-case UUID is kept as the customer's id; the upper-case one gets a name-based UUID of its own.
            assertThat(users).hasSize(2).extracting(row -> row.get("id")).doesNotHaveDuplicates();
            assertThat(users).filteredOn(row -> Boolean.TRUE.equals(row.get("lower_case"))).singleElement()
                    .satisfies(row -> assertThat(row.get("id")).isEqualTo(Jdbc.single(connection,
                            "SELECT id FROM \"User\" WHERE id = lower(id) AND lower(id) IN (SELECT lower(id) FROM \"User\" GROUP BY 1 HAVING count(*) > 1)")));
        }
    }

    @Test
    void quarantined_rows_keep_their_original_payload_and_reason() throws Exception {
        try (Connection connection = database.connect()) {
            Map<String, Object> row = Jdbc.query(connection, """
                    SELECT q.reason, q.payload = to_jsonb(b) AS same FROM ticketing_import.quarantine q
                      JOIN public."Booking" b ON b.id = q.legacy_id WHERE q.table_name = 'Booking' AND q.reason = 'malformed JSON' LIMIT 1""").get(0);
            assertThat(row.get("same")).isEqualTo(true);
        }
    }

    @Test
    void the_legacy_tables_are_untouched_and_the_migrated_data_is_consistent() throws Exception {
        assertThat(LegacyDatabases.legacyHashes(database)).isEqualTo(legacyBefore);
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.count(connection, """
                    SELECT count(*) FROM ticketing.booked_seat bs JOIN ticketing.booking b ON b.event_id = bs.event_id AND b.id = bs.booking_id
                      JOIN ticketing.seat s ON s.event_id = bs.event_id AND s.id = bs.seat_id
                     WHERE b.status = 'CONFIRMED' AND bs.released_at IS NULL AND s.status <> 'BOOKED'""")).as("sold seats are BOOKED").isZero();
            assertThat(Jdbc.count(connection, "SELECT count(*) FROM ticketing.event_summary_drift")).isZero();
            assertThat(Jdbc.count(connection, "SELECT count(*) FROM ticketing.audit_log WHERE actor <> 'legacy-import'")).isZero();
            // Each imported event, booking, checkout and ticket is audited once: with a superuser (the bulk path)
            // named by one legacy_import entry of its own event (one per event and batch), else by the row triggers;
            // so are the tickets the import issued (IssuedTicketsTest), by entries of their own on the bulk path.
            boolean bulk = Boolean.TRUE.equals(Jdbc.single(connection, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));
            long issued = Jdbc.count(connection, "SELECT count(*) FROM ticketing_import.issued_ticket");
            assertThat(issued).isPositive();
            assertThat(bulk ? Jdbc.count(connection, """
                    SELECT count(DISTINCT x.id) FROM ticketing.audit_log a CROSS JOIN jsonb_array_elements_text(a.new_values -> 'ids') AS x(id)
                      JOIN ticketing_import.issued_ticket it ON it.ticket_id = x.id::uuid AND it.event_id = a.event_id
                     WHERE a.entity_type = 'legacy_import' AND (a.new_values ->> 'issued')::boolean""")
                    : Jdbc.count(connection, """
                    SELECT count(*) FROM ticketing.audit_log a JOIN ticketing_import.issued_ticket it ON it.ticket_id = a.entity_id
                     WHERE a.action = 'INSERT' AND a.entity_type = 'ticket'""")).as("issued tickets: audited once").isEqualTo(issued);
            for (String table : List.of("event", "booking", "payment_session", "ticket")) {
                String eventColumn = table.equals("event") ? "id" : "event_id";
                long migrated = Jdbc.count(connection, "SELECT count(*) FROM ticketing." + table + " WHERE legacy_id IS NOT NULL");
                long perRow = Jdbc.count(connection, "SELECT count(*) FROM ticketing.audit_log WHERE action = 'INSERT' AND entity_type = ?", table)
                        - (table.equals("ticket") && !bulk ? issued : 0);
                long named = Jdbc.count(connection, """
                        SELECT count(DISTINCT x.id) FROM ticketing.audit_log a
                         CROSS JOIN jsonb_array_elements_text(a.new_values -> 'ids') AS x(id)
                          JOIN ticketing.%s t ON t.id = x.id::uuid AND t.%s = a.event_id AND t.legacy_id IS NOT NULL
                         WHERE a.action = 'INSERT' AND a.entity_type = 'legacy_import' AND a.entity_id = a.event_id
                           AND a.new_values ->> 'table' = ?""".formatted(table, eventColumn), table);
                assertThat(bulk ? named : perRow).as(table + ": audited once").isEqualTo(migrated);
                assertThat(bulk ? perRow : named).as(table + ": in one style").isZero();
                if (bulk) {
                    assertThat(Jdbc.count(connection, """
                            SELECT sum((new_values ->> 'rows')::int) FROM ticketing.audit_log
                             WHERE entity_type = 'legacy_import' AND new_values ->> 'table' = ? AND new_values -> 'issued' IS NULL""", table))
                            .as(table).isEqualTo(named);
                }
            }
            assertThat(Jdbc.count(connection, "SELECT count(*) FROM ticketing.event_sales_summary")).isEqualTo(20);
            assertThat(Jdbc.single(connection, "SELECT id::text FROM ticketing.customer WHERE legacy_id = ?",
                    Jdbc.single(connection, "SELECT id FROM public.\"User\" WHERE id !~ '-' ORDER BY id LIMIT 1")))
                    .as("a cuid becomes a UUID v3 of its name").asString().matches("^[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
        }
    }

    @Test
    void the_copy_builds_again_every_index_and_key_it_deferred() throws Exception {
        TestDatabase migrated = TestPostgres.emptyDatabase();
        new SchemaMigrator(migrated.dataSource()).migrate();
        assertThat(LegacyDatabases.schemaShape(database)).as("every index and constraint of the new schema, as its migrations define it")
                .isEqualTo(LegacyDatabases.schemaShape(migrated));
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.count(connection, "SELECT count(*) FROM ticketing_import.deferred_index")).isZero();
            // Each key a step defers is a unique or primary key of a table the step writes (a name that is not defers
            // nothing); the foreign keys that reference it, dropped with it, are in the shape compared above.
            for (ImportStep step : ImportStep.values()) {
                for (String key : step.deferredKeys()) {
                    assertThat(Jdbc.single(connection, """
                            SELECT c.conrelid::regclass::text FROM pg_constraint c
                             WHERE c.connamespace = 'ticketing'::regnamespace AND c.contype IN ('u', 'p') AND c.conname = ?""", key))
                            .as(step + " defers " + key).isIn(step.targetTables().stream().map(t -> "ticketing." + t).toArray());
                }
            }
        }
    }

    @Test
    void the_tables_the_catch_up_joins_have_statistics_once_the_copy_is_done() throws Exception {
        // Without, the planner takes the seat claims for a few hundred seats and sorts them all in every catch-up
        // round, the cut-over's included (a second a round at a million seats); autovacuum comes too late.
        try (Connection connection = database.connect()) {
            List<Map<String, Object>> tables = Jdbc.query(connection, """
                    SELECT schemaname || '.' || relname AS t, last_analyze < (SELECT copied_at FROM ticketing_import.run) AS before_catch_up
                      FROM pg_stat_user_tables
                     WHERE schemaname = 'ticketing' AND relname IN ('customer', 'event', 'seat', 'booking', 'booked_seat',
                                                                     'payment_session', 'payment_session_seat', 'ticket')
                        OR schemaname = 'ticketing_import' AND relname IN ('seat_claim', 'quarantine')
                     ORDER BY 1""");
            assertThat(tables).as("every table found").hasSize(10);
            assertThat(tables).as("analyzed by the import once the copy was done, before its catch-up")
                    .allSatisfy(row -> assertThat(row.get("before_catch_up")).as((String) row.get("t")).isEqualTo(true));
        }
    }

    @Test
    void verify_is_clean_after_the_import_and_catches_a_planted_difference() throws Exception {
        assertThat(new LegacyVerifier(database.dataSource()).run().clean()).isTrue();
        TestDatabase copy = LegacyDatabases.dirty();
        new LegacyImporter(copy.dataSource(), LegacyDatabases.quietOptions(), new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        try (Connection connection = copy.connect()) {
            Jdbc.update(connection, """
                    UPDATE ticketing.booking SET total_amount = total_amount + 1
                     WHERE id = (SELECT id FROM ticketing.booking WHERE status = 'CONFIRMED' ORDER BY legacy_id LIMIT 1)""");
            Jdbc.update(connection, """
                    DELETE FROM ticketing.booked_seat WHERE (event_id, booking_id, seat_id) =
                        (SELECT bs.event_id, bs.booking_id, bs.seat_id FROM ticketing.booked_seat bs
                          JOIN ticketing.booking b ON b.event_id = bs.event_id AND b.id = bs.booking_id
                         WHERE b.status = 'CANCELLED' ORDER BY b.legacy_id LIMIT 1)""");
            Jdbc.update(connection, "UPDATE ticketing.event_summary_shard SET tickets_sold = tickets_sold + 1 "
                    + "WHERE shard = 0 AND event_id = (SELECT min(event_id::text)::uuid FROM ticketing.event_summary_shard)");
        }
        LegacyVerifier.Result result = new LegacyVerifier(copy.dataSource()).run();
        assertThat(result.clean()).isFalse();
        assertThat(result.checks()).filteredOn(c -> c.differences() > 0).extracting(LegacyVerifier.Check::name)
                .containsExactlyInAnyOrder("Booking: status, amount, customer or event differ", "Booking: seat set differs",
                        "event_summary: differs from a recount (event_summary_drift)");

        StringWriter out = new StringWriter();
        int exit = new CommandLine(new LegacyCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()))
                .execute("verify", "--db-url", copy.jdbcUrl(), "--db-user", copy.user(), "--db-password", copy.password());
        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).contains("verify: FAILED");
    }

    @Test
    void an_event_whose_sales_pass_a_trillion_is_planned_imported_and_verified() throws Exception {
        TestDatabase rich = TestPostgres.emptyDatabase();
        try (Connection connection = rich.connect(); Statement statement = connection.createStatement()) {
            LegacySchema.create(connection);
            // 10,001 paid bookings at the largest total a legacy booking holds: 1,000,099,999,899.99 for one event.
            statement.execute("""
                    INSERT INTO "User" VALUES ('u-rich', 'rich@example.com', 'Rich', '2024-01-01', '2024-01-01');
                    INSERT INTO "Event" (id, title, "startDate", status, "createdAt", "updatedAt")
                    VALUES ('ev-rich', 'Gala', '2027-08-01 20:00', 'PUBLISHED', '2024-01-01', '2024-01-01');
                    INSERT INTO "Seat" SELECT 'rs-' || g, 'ev-rich', 'S', 'R' || (g / 100), g, 99999999.99, 'booked', '2024-01-01', '2024-01-01'
                      FROM generate_series(1, 10001) g;
                    INSERT INTO "Booking" SELECT 'rb-' || g, 'u-rich', 'ev-rich', jsonb_build_array('rs-' || g), 99999999.99, 'confirmed',
                                                 '2024-01-02', '2024-01-02'
                      FROM generate_series(1, 10001) g""");
        }
        for (List<String> command : List.of(List.of("plan", "--no-progress"), List.of("import", "--no-progress"), List.of("verify"))) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = new CommandLine(new LegacyCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(Stream.concat(
                    command.stream(), Stream.of("--db-url", rich.jdbcUrl(), "--db-user", rich.user(), "--db-password", rich.password()))
                    .toArray(String[]::new));
            assertThat(exit).as(command + ": " + out + err).isZero();
        }
        try (Connection connection = rich.connect()) {
            assertThat(Jdbc.single(connection, "SELECT gross_revenue::text FROM ticketing.event_summary"))
                    .isEqualTo("1000099999899.99");
            assertThat(Jdbc.single(connection, "SELECT total_revenue::text FROM ticketing.event_sales_summary"))
                    .isEqualTo("1000099999899.99");
        }
    }

    @Test
    void plan_fails_when_some_legacy_rows_would_be_neither_migrated_nor_quarantined() throws Exception {
        TestDatabase orphans = LegacyDatabases.dirty();
        try (Connection connection = orphans.connect(); Statement statement = connection.createStatement()) {
            // A join row whose checkout does not exist: what a legacy database without its foreign keys may hold.
            statement.execute("ALTER TABLE \"_PaymentSessionToSeat\" DROP CONSTRAINT \"_PaymentSessionToSeat_A_fkey\"");
            statement.execute("INSERT INTO \"_PaymentSessionToSeat\" (\"A\", \"B\") SELECT 'no-such-checkout', id FROM \"Seat\" LIMIT 1");
        }
        StringWriter out = new StringWriter();
        int exit = new CommandLine(new LegacyCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()))
                .execute("plan", "--no-progress", "--db-url", orphans.jdbcUrl(), "--db-user", orphans.user(), "--db-password", orphans.password());
        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).contains("plan: some legacy rows would be neither migrated nor quarantined");
    }

    @Test
    void the_commands_need_a_database() {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new LegacyCommand()).setErr(new PrintWriter(err)).setOut(new PrintWriter(new StringWriter()))
                .execute("plan", "--db-url", "");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().strip()).startsWith("ticketing: no database").doesNotContain("\n");
    }

    @Test
    void a_url_setting_the_driver_cannot_use_or_an_unclosed_ipv6_bracket_is_a_usage_error_in_one_line() {
        // The driver would refuse the first as it connects, and look the second up as host "[:", both read as unreachable servers.
        Map<String, String> said = Map.of(
                "jdbc:postgresql://127.0.0.1:1/db?sslmode=bogus", "ticketing: --db-url sets sslmode=bogus, which the PostgreSQL driver "
                        + "cannot use (it takes one of disable, allow, prefer, require, verify-ca, verify-full), got '",
                "jdbc:postgresql://127.0.0.1:1/db?connectTimeout=soon", "ticketing: --db-url sets connectTimeout=soon, which the "
                        + "PostgreSQL driver cannot use (it takes a whole number), got '",
                "jdbc:postgresql://[::1/x", "ticketing: --db-url is not a JDBC URL the PostgreSQL driver can read (");
        said.forEach((url, line) -> {
            StringWriter err = new StringWriter();
            assertThat(legacy(new StringWriter(), err, List.of("verify"), List.of("--db-url", url))).as(url).isEqualTo(2);
            assertThat(err.toString().strip()).as(url).startsWith(line).doesNotContain("\n");
        });
    }

    @Test
    void plan_import_and_verify_are_not_cancelled_by_a_tiny_statement_timeout_of_the_role() throws Exception {
        TestDatabase timed = LegacyDatabases.dirty();
        try (Connection connection = timed.connect()) {
            Jdbc.script(connection, "ALTER ROLE " + Jdbc.quoteIdent(timed.user()) + " IN DATABASE " + Jdbc.quoteIdent(timed.name())
                    + " SET statement_timeout = '20ms'");
        }
        for (List<String> command : List.of(List.of("plan", "--no-progress"), List.of("import", "--no-progress"), List.of("verify"))) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            assertThat(legacy(out, err, command, at(timed, timed.jdbcUrl()))).as(command + ": " + out + err).isZero();
        }
        // A brief lock attempt's own timeout gives way to the session's again, not to the role's.
        try (Connection connection = timed.connect()) {
            Jdbc.script(connection, "SET statement_timeout = 0");
            connection.setAutoCommit(false);
            ImportSession.withStatementTimeout(connection, Duration.ofMillis(200), "SELECT 1");
            assertThat(Jdbc.single(connection, "SELECT current_setting('statement_timeout')")).isEqualTo("0");
        }
        // One that --db-url's options set is the operator's, and kept: when it cancels the work, the line says what to do.
        StringWriter err = new StringWriter();
        assertThat(legacy(new StringWriter(), err, List.of("verify"), at(timed, withOption(timed, "statement_timeout%3D1")))).isEqualTo(1);
        assertThat(err.toString().strip()).contains("canceling statement due to statement timeout", "the statement ran past statement_timeout",
                "SET statement_timeout = 0").doesNotContain("\n");
    }

    @Test
    void a_command_that_writes_on_a_read_only_session_is_refused_in_one_line_saying_to_use_the_primary() throws Exception {
        Map<String, String> legacy = LegacyDatabases.legacyHashes(database);
        Map<String, String> imported = LegacyDatabases.ticketingHashes(database);
        Map<List<String>, String> writes = Map.of(List.of("verify"), "it writes a temporary table",
                List.of("import", "--no-progress"), "it writes the new schema and the import's own",
                List.of("rollback"), "it writes the legacy tables back", List.of("finalize", "--yes"), "it drops the legacy tables");
        writes.forEach((command, what) -> {
            StringWriter err = new StringWriter();

            int exit = legacy(new StringWriter(), err, command, at(database, withOption(database, "default_transaction_read_only%3Don")));

            assertThat(exit).as(command.toString()).isEqualTo(1);
            assertThat(err.toString().strip()).isEqualTo("ticketing: " + command.get(0) + " refused: this session is read-only "
                    + "(default_transaction_read_only), and " + command.get(0) + " needs a writable one: " + what + "; point --db-url at "
                    + "the primary, without default_transaction_read_only");
        });
        assertThat(LegacyDatabases.legacyHashes(database)).isEqualTo(legacy);
        assertThat(LegacyDatabases.ticketingHashes(database)).isEqualTo(imported);
    }

    private static int legacy(StringWriter out, StringWriter err, List<String> command, List<String> connection) {
        return new CommandLine(new LegacyCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(Stream.concat(command.stream(), connection.stream()).toArray(String[]::new));
    }

    /** The options that connect to {@code database} at {@code url}. */
    private static List<String> at(TestDatabase database, String url) {
        return List.of("--db-url", url, "--db-user", database.user(), "--db-password", database.password());
    }

    /** {@code database}'s URL with a server setting for its sessions, {@code name%3Dvalue}. */
    private static String withOption(TestDatabase database, String setting) {
        return database.jdbcUrl() + (database.jdbcUrl().contains("?") ? "&" : "?") + "options=-c%20" + setting;
    }

    @Test
    void a_database_in_latin1_is_refused_in_one_line_before_anything_changes_one_in_sql_ascii_imports() throws Exception {
        TestDatabase latin1 = TestPostgres.direct(TestPostgres.emptyDatabaseIn("LATIN1"));
        try (Connection connection = latin1.connect(); Statement statement = connection.createStatement()) {
            LegacySchema.create(connection);
            statement.execute("""
                    INSERT INTO "User" (id, email, name, "updatedAt") VALUES ('u1', 'zoë@example.com', 'Zoë', now())""");
        }
        Map<String, String> legacy = LegacyDatabases.legacyHashes(latin1);
        String refusal = "ticketing: database " + latin1.name() + " is in LATIN1, and the schema ticketing needs UTF8: nothing was changed; "
                + "dump it and restore it into a database created with ENCODING 'UTF8' TEMPLATE template0 (PostgreSQL converts its text), "
                + "and run this there";
        for (List<String> command : List.of(List.of("plan"), List.of("import", "--no-progress"))) {
            StringWriter err = new StringWriter();

            int exit = legacy(new StringWriter(), err, command, at(latin1, latin1.jdbcUrl()));

            assertThat(exit).as(command.toString()).isEqualTo(1);
            assertThat(err.toString().strip()).as(command.toString()).isEqualTo(refusal);
        }
        assertThatThrownBy(() -> new SchemaMigrator(latin1.dataSource()).migrate()).hasMessage(refusal.substring("ticketing: ".length()));
        try (Connection connection = latin1.connect()) {
            assertThat(Jdbc.schemaExists(connection, "ticketing")).as("no schema left behind").isFalse();
            assertThat(Jdbc.schemaExists(connection, "ticketing_import")).isFalse();
        }
        assertThat(LegacyDatabases.legacyHashes(latin1)).isEqualTo(legacy);

        // SQL_ASCII takes any bytes: the migrations and the import run there (addresses beyond ASCII are quarantined).
        TestDatabase ascii = TestPostgres.direct(TestPostgres.emptyDatabaseIn("SQL_ASCII"));
        try (Connection connection = ascii.connect()) {
            LegacySchema.create(connection);
            LegacyDataGenerator.generate(connection, 300, 11);
        }
        for (List<String> command : List.of(List.of("import", "--no-progress"), List.of("verify"))) {
            StringWriter err = new StringWriter();
            assertThat(legacy(new StringWriter(), err, command, at(ascii, ascii.jdbcUrl()))).as(command + ": " + err).isZero();
        }
    }

    @Test
    void import_refuses_a_worker_count_out_of_range_in_one_line_before_touching_the_database() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new LegacyCommand()).setErr(new PrintWriter(err)).setOut(new PrintWriter(new StringWriter()))
                .execute("import", "--no-progress", "--workers", "0", "--db-url", database.jdbcUrl(), "--db-user", database.user(),
                        "--db-password", database.password());
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().strip()).startsWith("ticketing: --workers must be from 1 to 16, got 0").doesNotContain("\n");
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.exists(connection, "ticketing_import", "run")).as("nothing created").isFalse();
        }
    }

    @Test
    void generate_fills_an_empty_database_with_the_planted_dirt_for_a_rehearsal() throws Exception {
        TestDatabase empty = TestPostgres.emptyDatabase();
        StringWriter out = new StringWriter();

        int exit = new CommandLine(new LegacyCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()))
                .execute("generate", "--seats", "10000", "--seed", "7",
                        "--db-url", empty.jdbcUrl(), "--db-user", empty.user(), "--db-password", empty.password());

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("legacy database generated").contains("planted:");
        try (Connection connection = empty.connect(); Statement statement = connection.createStatement();
             var seats = statement.executeQuery("SELECT count(*) FROM \"Seat\"")) {
            seats.next();
            assertThat(seats.getLong(1)).isEqualTo(10_000);
        }
    }
}

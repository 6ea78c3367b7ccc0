package io.ticketing.migration.legacy;

import io.ticketing.migration.legacy.cli.LegacyCommand;
import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.TestPostgres;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What an operator may do after the cut-over, in any order, without losing what the new
 * application wrote: run import again, roll back, finalize, and then anything else.
 */
class OperatorSafetyTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void finalize_while_a_legacy_transaction_holds_a_table_refuses_naming_it_and_drops_nothing() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        try (Connection holder = database.connect()) {
            Jdbc.script(holder, "SET application_name = 'legacy-holder'");
            holder.setAutoCommit(false);
            // A legacy transaction still reading users for update: finalize waits briefly, again and again, never holding one
            // table while it waits for another (which could have aborted a legacy transaction in a deadlock).
            Jdbc.script(holder, "SELECT id FROM \"User\" LIMIT 1 FOR SHARE");

            Result refused = legacy(database, "finalize", "--yes");

            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.err()).doesNotContain("\n").doesNotContain("lock_timeout")
                    .startsWith("ticketing: finalize refused, nothing changed: the legacy app's transactions kept the legacy tables busy "
                            + "through 60 brief attempts to lock them (last held by legacy-holder (pid ");
            assertThat(refused.out().lines().filter(line -> line.startsWith("waiting for the legacy tables' locks: held by legacy-holder (pid ")))
                    .as("while it waits, it says for whom").extracting(line -> line.replaceAll(".* \\(attempt ", "(attempt "))
                    .containsExactly("(attempt 1 of 60)", "(attempt 10 of 60)", "(attempt 20 of 60)", "(attempt 30 of 60)",
                            "(attempt 40 of 60)", "(attempt 50 of 60)");
            holder.rollback();
        }
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.exists(connection, "public", "User")).as("the legacy tables are kept").isTrue();
        }
        assertThat(legacy(database, "finalize", "--yes").exit()).as("once the legacy transaction ended").isZero();
    }

    @Test
    void after_finalize_recreated_legacy_tables_do_not_let_rollback_import_or_verify_touch_the_new_schema() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        assertThat(new LegacyFinalizer(database.dataSource(), QUIET).run(() -> true)).isEqualTo(LegacyFinalizer.Outcome.DROPPED);
        long bookings;
        try (Connection connection = database.connect()) {
            bookings = Jdbc.count(connection, "SELECT count(*) FROM ticketing.booking");
            // Empty legacy tables again: a schema dump of another legacy database, a Prisma migrate run.
            LegacySchema.create(connection);
        }

        for (String command : new String[]{"rollback", "import", "verify", "finalize"}) {
            Result result = switch (command) {
                case "finalize" -> legacy(database, command, "--yes");
                case "import" -> legacy(database, command, "--no-progress");
                default -> legacy(database, command);
            };
            assertThat(result.exit()).as(command).isEqualTo(1);
            assertThat(result.err()).as(command).doesNotContain("\n")
                    .startsWith("ticketing: " + command + " refused: `legacy finalize` ran on this database at ");
        }
        Result generate = legacy(database, "generate", "--seats", "3000");
        assertThat(generate.exit()).isEqualTo(1);
        assertThat(generate.err()).doesNotContain("\n").startsWith("ticketing: generate needs an EMPTY database");

        try (Connection connection = database.connect()) {
            assertThat(Jdbc.count(connection, "SELECT count(*) FROM ticketing.booking")).isEqualTo(bookings);
            assertThat(Jdbc.schemaExists(connection, "ticketing_import")).isTrue();
            assertThat(Jdbc.count(connection, "SELECT count(*) FROM \"Booking\"")).isZero();
        }
    }

    @Test
    void a_legacy_table_without_a_column_the_import_reads_is_refused_up_front_naming_each_one_and_nothing_changes() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        Map<String, String> before;
        try (Connection connection = database.connect()) {
            // schema drift: two columns gone, and one the legacy app added, which stays accepted
            Jdbc.script(connection, "ALTER TABLE \"Event\" DROP COLUMN venue; ALTER TABLE \"Ticket\" DROP COLUMN \"userId\"; "
                    + "ALTER TABLE \"User\" ADD COLUMN nickname text");
            before = LegacySchema.contentHashes(connection);
        }
        String missing = " refused, nothing changed: the legacy tables lack public.\"Event\".\"venue\", public.\"Ticket\".\"userId\", "
                + "which the import reads (the legacy app's schema has them); add them back, then run ";

        for (String command : new String[]{"plan", "import"}) {
            Result result = legacy(database, command, "--no-progress");
            assertThat(result.exit()).as(command).isEqualTo(1);
            assertThat(result.err()).as(command).isEqualTo("ticketing: " + command + missing + command + " again");
        }
        try (Connection connection = database.connect()) {
            assertThat(LegacySchema.migrationSchemas(connection)).isNull();
            assertThat(Jdbc.count(connection, "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = ANY (SELECT "
                    + "to_regclass('public.' || quote_ident(t)) FROM unnest(?::text[]) t)", (Object) ImportStep.LEGACY_TABLES.toArray(String[]::new)))
                    .as("capture triggers").isZero();
            assertThat(LegacySchema.contentHashes(connection)).isEqualTo(before);
        }
    }

    @Test
    void a_seat_list_of_type_json_or_an_amount_stored_as_text_is_refused_up_front_and_nothing_changes() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        Map<String, String> before;
        try (Connection connection = database.connect()) {
            // What Prisma's @db.Json makes, and a price kept as text
            Jdbc.script(connection, "ALTER TABLE \"Booking\" ALTER COLUMN seats TYPE json; ALTER TABLE \"Seat\" ALTER COLUMN price TYPE text");
            before = LegacySchema.contentHashes(connection);
        }

        for (String command : new String[]{"plan", "import"}) {
            Result result = legacy(database, command, "--no-progress");
            assertThat(result.exit()).as(command).isEqualTo(1);
            assertThat(result.err()).as(command).isEqualTo("ticketing: " + command + " refused, nothing changed: public.\"Booking\".seats is json, "
                    + "where jsonb is read (ALTER TABLE public.\"Booking\" ALTER COLUMN seats TYPE jsonb); public.\"Seat\".price is text, where a "
                    + "number is read; convert them to the legacy schema's type, then run " + command + " again");
        }
        try (Connection connection = database.connect()) {
            assertThat(LegacySchema.migrationSchemas(connection)).isNull();
            assertThat(LegacySchema.contentHashes(connection)).isEqualTo(before);
        }
    }

    @Test
    void verify_and_finalize_refuse_a_legacy_table_that_lost_a_column_after_the_import_and_an_added_column_is_accepted() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        try (Connection connection = database.connect()) {
            Jdbc.script(connection, "ALTER TABLE \"Seat\" ADD COLUMN colour text DEFAULT 'red'");
        }
        assertThat(new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run().addsUp()).isTrue();
        try (Connection connection = database.connect()) {
            Jdbc.script(connection, "ALTER TABLE \"Event\" DROP COLUMN venue");
        }

        Result verify = legacy(database, "verify");

        assertThat(verify.exit()).isEqualTo(1);
        assertThat(verify.err()).isEqualTo("ticketing: verify refused, nothing changed: the legacy tables lack public.\"Event\".\"venue\", "
                + "which the import reads (the legacy app's schema has it); add it back, then run verify again");
        Result finalize = legacy(database, "finalize", "--yes");
        assertThat(finalize.exit()).isEqualTo(1);
        assertThat(finalize.err()).isEqualTo("ticketing: finalize refused, nothing changed: the legacy tables lack public.\"Event\".\"venue\", "
                + "which finalize compares with the new schema before it drops them (the legacy app's schema has it); add it back, then run "
                + "finalize again");
    }

    @Test
    void rollback_refuses_a_legacy_table_that_lost_a_column_after_the_import_and_changes_nothing() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        try (Connection connection = database.connect()) {
            Jdbc.script(connection, "ALTER TABLE \"Event\" DROP COLUMN venue");
        }
        Map<String, String> legacy = LegacyDatabases.legacyHashes(database);
        Map<String, String> imported = LegacyDatabases.ticketingHashes(database);

        Result rollback = legacy(database, "rollback");

        assertThat(rollback.exit()).isEqualTo(1);
        assertThat(rollback.err()).isEqualTo("ticketing: rollback refused, nothing changed: the legacy tables lack public.\"Event\".\"venue\", "
                + "which rollback writes the new application's changes back into (the legacy app's schema has it); add it back, then run "
                + "rollback again");
        assertThat(LegacyDatabases.legacyHashes(database)).isEqualTo(legacy);
        assertThat(LegacyDatabases.ticketingHashes(database)).isEqualTo(imported);
        try (Connection connection = database.connect()) {
            assertThat(LegacySchema.migrationSchemas(connection)).isEqualTo("ticketing, ticketing_import");
            assertThat(Jdbc.count(connection, "SELECT count(*) FROM pg_trigger WHERE tgname = ?", LegacySchema.CAPTURE_TRIGGER))
                    .as("capture triggers").isEqualTo(ImportStep.LEGACY_TABLES.size());
            Jdbc.script(connection, "ALTER TABLE \"Event\" ADD COLUMN venue text");
        }
        assertThat(legacy(database, "rollback").exit()).as("once the column is back").isZero();
    }

    @Test
    void generate_by_a_role_that_may_not_create_there_names_what_it_lacks() throws Exception {
        Assumptions.assumeTrue(TestPostgres.ownServer(), "creates a role: only on the test JVM's own server (CI's shared one gives no CREATEROLE)");
        TestDatabase database = TestPostgres.emptyDatabase();
        String role = "generate_weak_" + Long.toHexString(System.nanoTime());
        try (Connection connection = database.connect()) {
            Jdbc.script(connection, "CREATE ROLE " + role + " LOGIN PASSWORD 'weak'; REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        }

        Result generate = legacy(new TestDatabase(database.name(), database.jdbcUrl(), role, "weak"), "generate", "--seats", "3000");

        assertThat(generate.exit()).isEqualTo(1);
        assertThat(generate.err()).isEqualTo("ticketing: generate refused, nothing changed: role " + role + " lacks CREATE on database "
                + database.name() + ", CREATE on schema public; grant them, or run it as the database's owner");
        try (Connection connection = database.connect()) {
            assertThat(LegacySchema.legacyTablesExist(connection)).isFalse();
        }
    }

    @Test
    void generate_refuses_a_database_holding_the_new_schema_even_without_legacy_tables() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        new LegacyFinalizer(database.dataSource(), QUIET).run(() -> true);

        Result generate = legacy(database, "generate", "--seats", "3000");

        assertThat(generate.exit()).isEqualTo(1);
        assertThat(generate.err()).isEqualTo("ticketing: generate needs an EMPTY database; this one holds schema ticketing, ticketing_import "
                + "of an import (with the new application's data, maybe): use another database");
        try (Connection connection = database.connect()) {
            assertThat(LegacySchema.legacyTablesExist(connection)).isFalse();
        }
    }

    @Test
    void a_repeat_import_keeps_the_first_cut_over_so_that_rollback_carries_back_everything_the_application_changed_since() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        String user;
        Object firstCutOver;
        try (Connection connection = database.connect()) {
            firstCutOver = Jdbc.single(connection, "SELECT cutover_at FROM ticketing_import.run");
            user = (String) Jdbc.single(connection, "SELECT legacy_id FROM ticketing.customer ORDER BY legacy_id LIMIT 1");
        }
        // Nothing written since the cut-over: the repeat import may run, and the cut-over stays where it was.
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT cutover_at FROM ticketing_import.run")).isEqualTo(firstCutOver);
            // The new application renames a customer (unaudited): newer than the repeat import's catch-up too.
            Jdbc.update(connection, "UPDATE ticketing.customer SET name = 'Renamed In The New App' WHERE legacy_id = ?", user);
        }

        new LegacyRollback(database.dataSource(), QUIET).run();

        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT name FROM \"User\" WHERE id = ?", user)).isEqualTo("Renamed In The New App");
        }
    }

    @Test
    void an_import_by_an_earlier_version_is_rolled_back_with_this_versions_support_and_verify_says_to_import_again() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        String user;
        try (Connection connection = database.connect()) {
            user = (String) Jdbc.single(connection, "SELECT legacy_id FROM ticketing.customer ORDER BY legacy_id LIMIT 1");
            // What an earlier version's import left: its support without the functions this version reads through.
            Jdbc.script(connection, "DROP FUNCTION ticketing_import.normal_email(text)");
            Jdbc.update(connection, "UPDATE ticketing.customer SET name = 'Renamed In The New App' WHERE legacy_id = ?", user);
        }

        assertThatThrownBy(() -> new LegacyVerifier(database.dataSource()).run()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("an earlier version").hasMessageContaining("`legacy import`");
        new LegacyRollback(database.dataSource(), QUIET).run();

        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT name FROM \"User\" WHERE id = ?", user)).isEqualTo("Renamed In The New App");
        }
    }

    @Test
    void rollback_keeps_a_legacy_change_made_after_a_repeat_import_carried_over_an_earlier_one() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        String user;
        try (Connection connection = database.connect()) {
            user = (String) Jdbc.single(connection, "SELECT legacy_id FROM ticketing.customer ORDER BY legacy_id LIMIT 1");
            // The legacy app, still running after the cut-over, renames a user; a repeat import carries it over.
            Jdbc.update(connection, "UPDATE \"User\" SET name = 'Renamed Once', \"updatedAt\" = CURRENT_TIMESTAMP WHERE id = ?", user);
        }
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT name FROM ticketing.customer WHERE legacy_id = ?", user)).isEqualTo("Renamed Once");
            // It renames the user again; the new application changed nothing.
            Jdbc.update(connection, "UPDATE \"User\" SET name = 'Renamed Twice', \"updatedAt\" = CURRENT_TIMESTAMP WHERE id = ?", user);
        }

        Map<String, Long> carried = new LegacyRollback(database.dataSource(), QUIET).run();

        assertThat(carried.values()).containsOnly(0L);
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT name FROM \"User\" WHERE id = ?", user)).isEqualTo("Renamed Twice");
        }
    }

    @Test
    void rollback_carries_back_check_ins_made_before_and_after_a_refused_repeat_import() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        String first;
        String second;
        try (Connection connection = database.connect()) {
            first = (String) Jdbc.single(connection, "SELECT legacy_id FROM ticketing.ticket WHERE status = 'VALID' ORDER BY legacy_id LIMIT 1");
            second = (String) Jdbc.single(connection, "SELECT legacy_id FROM ticketing.ticket WHERE status = 'VALID' AND legacy_id IS NOT NULL ORDER BY legacy_id DESC LIMIT 1");
            checkIn(connection, first);
        }
        assertThatThrownBy(() -> new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run())
                .hasMessageStartingWith("import refused: the new application has written since the cut-over");
        try (Connection connection = database.connect()) {
            checkIn(connection, second);
        }

        new LegacyRollback(database.dataSource(), QUIET).run();

        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT status FROM \"Ticket\" WHERE id = ?", first)).isEqualTo("used");
            assertThat(Jdbc.single(connection, "SELECT status FROM \"Ticket\" WHERE id = ?", second)).isEqualTo("used");
        }
    }

    @Test
    void a_repeat_import_refuses_to_overwrite_a_check_in_with_the_legacy_row_and_says_what_is_pending() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        String ticket;
        try (Connection connection = database.connect()) {
            ticket = (String) Jdbc.single(connection, "SELECT legacy_id FROM ticketing.ticket WHERE status = 'VALID' ORDER BY legacy_id LIMIT 1");
            checkIn(connection, ticket);
            // The legacy app, still running, touches the ticket's booking.
            Jdbc.update(connection, "UPDATE \"Booking\" SET \"updatedAt\" = CURRENT_TIMESTAMP WHERE id = (SELECT \"bookingId\" FROM \"Ticket\" WHERE id = ?)", ticket);
        }

        Result result = legacy(database, "import", "--no-progress");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).doesNotContain("\n").startsWith("ticketing: import refused: the new application has written "
                + "since the cut-over at ").contains("1 audited change by check-in").contains("1 changed legacy row is not carried over");
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT status::text || ' ' || (checked_in_at IS NOT NULL) FROM ticketing.ticket WHERE legacy_id = ?", ticket))
                    .isEqualTo("USED true");
            assertThat(Jdbc.count(connection, "SELECT count(DISTINCT (table_name, legacy_id)) FROM ticketing_import.legacy_change")).isEqualTo(1);
        }
    }

    @Test
    void a_repeat_import_refuses_after_an_unaudited_change_of_the_new_application_too() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        try (Connection connection = database.connect()) {
            Jdbc.update(connection, "UPDATE ticketing.customer SET name = 'New Name' WHERE legacy_id = (SELECT min(legacy_id) FROM ticketing.customer)");
        }

        assertThatThrownBy(() -> new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run())
                .hasMessageContaining("(1 customer row changed) and no legacy change is pending: nothing to import");
    }

    @Test
    void rollback_lists_the_refunds_still_owed() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        String booking;
        try (Connection connection = database.connect()) {
            Map<String, Object> paid = Jdbc.query(connection, """
                    SELECT event_id, id, customer_id, total_amount, legacy_id FROM ticketing.booking
                     WHERE status = 'CONFIRMED' AND total_amount > 0 ORDER BY legacy_id LIMIT 1""").get(0);
            booking = (String) paid.get("legacy_id");
            // What a customer's cancellation through the API leaves: the refund requested, not yet sent.
            Jdbc.update(connection, """
                    INSERT INTO ticketing.refund_request (event_id, booking_id, customer_id, amount, currency, reason,
                                                          provider_idempotency_key, requested_at)
                    VALUES (?, ?, ?, ?, 'EUR', 'cancelled by the customer', 'refund-' || ?::text, now())""",
                    paid.get("event_id"), paid.get("id"), paid.get("customer_id"), paid.get("total_amount"), paid.get("id"));
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        new LegacyRollback(database.dataSource(), new PrintStream(output, true, StandardCharsets.UTF_8)).run();

        assertThat(output.toString(StandardCharsets.UTF_8))
                .contains("note: 1 refund requested in the new application and not completed, ")
                .contains("note: refund owed: booking " + booking + ", ")
                .contains(", REQUESTED since ");
    }

    private static void checkIn(Connection connection, String ticket) throws Exception {
        connection.setAutoCommit(false);
        Jdbc.query(connection, "SELECT set_config('ticketing.actor', 'check-in', true)");
        assertThat(Jdbc.update(connection, "UPDATE ticketing.ticket SET status = 'USED', checked_in_at = now() WHERE legacy_id = ?", ticket)).isEqualTo(1);
        connection.commit();
        connection.setAutoCommit(true);
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result legacy(TestDatabase database, String command, String... options) {
        StringWriter err = new StringWriter();
        String[] args = new String[options.length + 7];
        args[0] = command;
        System.arraycopy(options, 0, args, 1, options.length);
        int k = options.length + 1;
        args[k] = "--db-url";
        args[k + 1] = database.jdbcUrl();
        args[k + 2] = "--db-user";
        args[k + 3] = database.user();
        args[k + 4] = "--db-password";
        args[k + 5] = database.password();
        String[] trimmed = java.util.Arrays.copyOf(args, k + 6);
        StringWriter out = new StringWriter();
        int exit = new CommandLine(new LegacyCommand()).setErr(new PrintWriter(err)).setOut(new PrintWriter(out)).execute(trimmed);
        return new Result(exit, out.toString(), err.toString().strip());
    }

    @Test
    void finalize_discards_legacy_changes_only_when_verify_is_then_clean_and_else_changes_nothing() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        Map<String, String> legacyBefore;
        try (Connection connection = database.connect()) {
            // A legacy change after the cut-over, and a difference the import would have made (a wrong price written).
            Jdbc.update(connection, "UPDATE \"User\" SET name = name || ' (changed)' WHERE id = (SELECT min(id) FROM \"User\")");
            Jdbc.update(connection, "UPDATE ticketing.seat SET price = price + 1 WHERE id = (SELECT id FROM "
                    + "ticketing.seat WHERE legacy_id IS NOT NULL AND status = 'AVAILABLE' ORDER BY legacy_id LIMIT 1)");
        }
        legacyBefore = LegacyDatabases.legacyHashes(database);

        assertThat(new LegacyFinalizer(database.dataSource(), QUIET).run(() -> true, true)).isEqualTo(LegacyFinalizer.Outcome.DIFFERENCES);

        assertThat(LegacyDatabases.legacyHashes(database)).as("nothing dropped").isEqualTo(legacyBefore);
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.count(connection, "SELECT count(*) FROM ticketing_import.legacy_change")).as("nothing discarded").isPositive();
            assertThat(Jdbc.exists(connection, "ticketing_import", LegacyFinalizer.DISCARDED)).isFalse();
            Jdbc.update(connection, "UPDATE ticketing.seat SET price = price - 1 WHERE legacy_id = (SELECT min(legacy_id) FROM ticketing.seat "
                    + "WHERE status = 'AVAILABLE')");
        }
        // Without the import's difference, the same finalize discards the legacy change and drops the tables.
        assertThat(new LegacyFinalizer(database.dataSource(), QUIET).run(() -> true, true)).isEqualTo(LegacyFinalizer.Outcome.DROPPED);
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT legacy_row ->> 'name' FROM ticketing_import.discarded_change WHERE table_name = 'User'"))
                    .asString().endsWith(" (changed)");
        }
    }

    @Test
    void finalize_discards_only_the_legacy_changes_it_listed_and_refuses_one_made_while_the_operator_was_asked() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        try (Connection connection = database.connect()) {
            Jdbc.update(connection, "UPDATE \"User\" SET name = name || ' (listed)' WHERE id = (SELECT min(id) FROM \"User\")");
        }
        Map<String, String> listed = LegacyDatabases.legacyHashes(database);
        ByteArrayOutputStream said = new ByteArrayOutputStream();

        LegacyFinalizer.Outcome outcome = new LegacyFinalizer(database.dataSource(), new PrintStream(said, true, StandardCharsets.UTF_8))
                .run(() -> {
                    // While the question waits for an answer, the legacy app changes a seat's price.
                    try (Connection legacyApp = database.connect()) {
                        Jdbc.update(legacyApp, "UPDATE \"Seat\" SET price = price + 7 WHERE id = (SELECT min(id) FROM \"Seat\" WHERE status = 'available')");
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                    return true;
                }, true);

        assertThat(said.toString(StandardCharsets.UTF_8)).as("what the operator agreed to").contains("finalize: 1 legacy row changed");
        assertThat(outcome).isEqualTo(LegacyFinalizer.Outcome.CHANGED_SINCE_VERIFY);
        assertThat(LegacyDatabases.legacyHashes(database)).as("nothing dropped, nothing discarded").isNotEqualTo(listed)
                .containsOnlyKeys(listed.keySet());
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.exists(connection, "ticketing_import", LegacyFinalizer.DISCARDED)).isFalse();
            assertThat(Jdbc.count(connection, "SELECT count(DISTINCT table_name) FROM ticketing_import.legacy_change")).isEqualTo(2);
        }
    }

    @Test
    void a_rollback_that_meets_a_transaction_of_the_application_still_under_way_changes_nothing_and_says_so() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run();
        Map<String, String> before = LegacyDatabases.legacyHashes(database);

        try (Connection request = database.connect()) {
            // A request that began before its instance stopped: it holds a booking.
            request.setAutoCommit(false);
            Jdbc.script(request, "SELECT 1 FROM ticketing.booking ORDER BY id LIMIT 1 FOR UPDATE");
            assertThatThrownBy(() -> new LegacyRollback(database.dataSource(), QUIET).run())
                    .hasMessageStartingWith("rollback refused, nothing changed: the new schema's tables are still in use (")
                    .hasMessageEndingWith("by a transaction of the application that began before it stopped, or another session: run it "
                            + "again once that ends");
            request.rollback();
        }

        try (Connection connection = database.connect()) {
            assertThat(Jdbc.schemaExists(connection, "ticketing")).isTrue();
        }
        assertThat(LegacyDatabases.legacyHashes(database)).isEqualTo(before);
        new LegacyRollback(database.dataSource(), QUIET).run();
        assertThat(LegacyDatabases.legacyHashes(database)).isEqualTo(before);
    }
}

package io.ticketing.migration.legacy;


import io.ticketing.database.DatabaseErrors;
import io.ticketing.migration.legacy.cli.LegacyCommand;
import io.ticketing.migration.schema.SchemaMigrator;
import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.TestPostgres;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.InstanceOfAssertFactories.THROWABLE;

/**
 * The import while the legacy app keeps writing: transactions that overlap a catch-up round,
 * transactions that want the tables the import locks, a second import, and a booking that gives
 * up a seat another booking was refused.
 */
class LiveLegacyWritesTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void a_legacy_change_logged_early_but_committed_during_a_catch_up_round_is_carried_over() throws Exception {
        TestDatabase database = copiedWithoutCatchUp();
        String early;
        String late;
        try (Connection connection = database.connect()) {
            early = (String) Jdbc.single(connection, "SELECT id FROM \"Ticket\" WHERE status = 'valid' ORDER BY id LIMIT 1");
            late = (String) Jdbc.single(connection, "SELECT id FROM \"Ticket\" WHERE status = 'valid' ORDER BY id DESC LIMIT 1");
        }
        try (Connection first = database.connect(); Connection second = database.connect(); Connection blocker = database.connect()) {
            // The first legacy transaction logs its change (the lower sequence number) but has not committed;
            // the second logs and commits after it.
            first.setAutoCommit(false);
            Jdbc.update(first, "UPDATE \"Ticket\" SET status = 'used', \"updatedAt\" = now() WHERE id = ?", early);
            Jdbc.update(second, "UPDATE \"Ticket\" SET status = 'used', \"updatedAt\" = now() WHERE id = ?", late);
            // Hold the catch-up round in flight, after it has read the change log, until the first commits.
            blocker.setAutoCommit(false);
            Jdbc.script(blocker, "LOCK TABLE ticketing.ticket IN SHARE MODE");
            ImportOptions patient = new ImportOptions(1000, 0, Duration.ofMinutes(1), 5, "EUR", false, true, ImportOptions.DEFAULT_WORKERS);
            CompletableFuture<ImportReport> catchUp = importAsync(database, patient);
            awaitLockWait(database, "ticketing.ticket", catchUp);
            first.commit();
            blocker.rollback();

            ImportReport report = catchUp.get(60, TimeUnit.SECONDS);

            assertThat(report.addsUp()).isTrue();
        }
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT status::text FROM ticketing.ticket WHERE legacy_id = ?", early)).isEqualTo("USED");
            assertThat(Jdbc.single(connection, "SELECT status::text FROM ticketing.ticket WHERE legacy_id = ?", late)).isEqualTo("USED");
            assertThat(Jdbc.count(connection, "SELECT count(*) FROM ticketing_import.legacy_change")).isZero();
        }
        assertThat(new LegacyVerifier(database.dataSource()).run().clean()).isTrue();
    }

    @Test
    void installing_the_capture_triggers_never_aborts_a_legacy_transaction() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        legacyTransactionWaitingOnTheImportSurvives(database);
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.count(connection, "SELECT count(*) FROM pg_trigger WHERE tgname = 'ticketing_import_capture'"))
                    .isEqualTo(ImportStep.LEGACY_TABLES.size());
        }
    }

    @Test
    void the_cut_over_lock_never_aborts_a_legacy_transaction() throws Exception {
        TestDatabase database = copiedWithoutCatchUp();
        legacyTransactionWaitingOnTheImportSurvives(database);
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT cutover_at IS NOT NULL FROM ticketing_import.run")).isEqualTo(true);
        }
    }

    @Test
    void a_cut_over_that_keeps_waiting_for_its_locks_carries_over_what_the_legacy_app_writes_meanwhile_without_them() throws Exception {
        TestDatabase database = copiedWithoutCatchUp();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        String ticket;
        try (Connection connection = database.connect()) {
            ticket = (String) Jdbc.single(connection, "SELECT id FROM \"Ticket\" WHERE status = 'valid' ORDER BY id LIMIT 1");
        }
        CompletableFuture<ImportReport> running;
        try (Connection holder = database.connect(); Connection door = database.connect()) {
            // A legacy transaction that stays open: the cut-over's brief attempts cannot have the seats' lock.
            holder.setAutoCommit(false);
            Jdbc.update(holder, "UPDATE \"Seat\" SET price = price + 1, \"updatedAt\" = now() WHERE id = (SELECT max(id) FROM \"Seat\")");
            running = importAsync(database, LegacyDatabases.quietOptions(), new PrintStream(printed, true, StandardCharsets.UTF_8));
            awaitPrinted(printed, "waiting for the cut-over's write locks on the legacy tables: ", running);
            // Meanwhile the door checks a ticket in: carried over while the attempts wait, not left to the locked round.
            Jdbc.update(door, "UPDATE \"Ticket\" SET status = 'used', \"updatedAt\" = now() WHERE id = ?", ticket);
            awaitPrinted(printed, "catch-up round while waiting for the cut-over's locks: 1 changed legacy rows carried over", running);
            holder.commit();
        }
        assertThat(running.get(60, TimeUnit.SECONDS).addsUp()).isTrue();
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT status::text FROM ticketing.ticket WHERE legacy_id = ?", ticket)).isEqualTo("USED");
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("final catch-up: 1 changed legacy rows carried over");
    }

    private static void awaitPrinted(ByteArrayOutputStream printed, String line, CompletableFuture<?> running) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!printed.toString(StandardCharsets.UTF_8).contains(line)) {
            assertThat(running).as("the import, still running while waiting for: " + line).isNotDone();
            assertThat(System.nanoTime()).as("printed in 60 s: " + line).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void an_import_waiting_for_a_legacy_table_names_who_holds_it() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        CompletableFuture<ImportReport> running;
        long holderPid;
        try (Connection legacy = database.connect()) {
            legacy.setAutoCommit(false);
            holderPid = legacy.unwrap(PGConnection.class).getBackendPID();
            Jdbc.script(legacy, "SET application_name = 'box-office'");
            // The last statement before the wait writes: a finished SELECT's portal would keep a snapshot open, which
            // the new schema's concurrent index builds wait for (and give up on after their lock_timeout).
            Jdbc.update(legacy, "UPDATE \"Seat\" SET price = price + 1, \"updatedAt\" = now() WHERE id = (SELECT min(id) FROM \"Seat\")");
            running = importAsync(database, LegacyDatabases.quietOptions(), new PrintStream(printed, true, StandardCharsets.UTF_8));
            awaitLockWait(database, "public.\"Seat\"", running);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!printed.toString(StandardCharsets.UTF_8).contains("waiting for a capture trigger on public.\"Seat\"")
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            legacy.commit();
        }
        assertThat(running.get(60, TimeUnit.SECONDS).addsUp()).isTrue();
        // The one line of the wait names the legacy session (and anyone else holding the table then, autovacuum say).
        assertThat(printed.toString(StandardCharsets.UTF_8).lines())
                .filteredOn(line -> line.startsWith("waiting for a capture trigger on public.\"Seat\": held by "))
                .first().asString().contains("box-office (pid " + holderPid + ")").contains("(attempt 1 of");
    }

    @Test
    void a_first_import_waits_for_a_long_legacy_transaction_that_holds_back_its_concurrent_index_builds() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        CompletableFuture<ImportReport> running;
        try (Connection report = database.connect()) {
            report.setAutoCommit(false);
            Jdbc.script(report, "SET application_name = 'nightly-report'");
            // A report in one snapshot, longer than the 5 s lock_timeout of the migrations that build an index CONCURRENTLY.
            Jdbc.script(report, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            Jdbc.count(report, "SELECT count(*) FROM \"Seat\"");
            running = importAsync(database, LegacyDatabases.quietOptions(), new PrintStream(printed, true, StandardCharsets.UTF_8));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!printed.toString(StandardCharsets.UTF_8).contains("a migration gave up waiting for older transactions")
                    && !running.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(running).as("the import waits while the report runs").isNotDone();
            report.commit();
        }
        assertThat(running.get(120, TimeUnit.SECONDS).addsUp()).isTrue();
        assertThat(printed.toString(StandardCharsets.UTF_8).lines())
                .filteredOn(line -> line.startsWith("schema ticketing: a migration gave up waiting for older transactions"))
                .first().asString().contains("the oldest: nightly-report (pid ").contains("trying again");
        // Every migration is named as applied, those of the attempts that gave up later included.
        List<String> known = new SchemaMigrator(database.dataSource()).info().stream().map(SchemaMigrator.Migration::version).toList();
        assertThat(printed.toString(StandardCharsets.UTF_8).lines()).contains("schema ticketing: applied migrations " + known);
        assertThat(new LegacyVerifier(database.dataSource()).run().clean()).isTrue();
    }

    @Test
    void a_copy_that_gives_up_on_a_locked_legacy_table_says_who_holds_it_and_what_to_do() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        ImportOptions impatient = new ImportOptions(1000, 0, Duration.ofMillis(200), 1, "EUR", false, true, 1);
        CompletableFuture<ImportReport> running;
        try (Connection migration = database.connect()) {
            migration.setAutoCommit(false);
            Jdbc.script(migration, "SET application_name = 'prisma-migrate'");
            running = importAsync(database, impatient);
            // Once the copy has begun (the capture triggers are in), a legacy schema change holds a table it has still to read.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!copyBegun(database) && !running.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Jdbc.script(migration, "LOCK TABLE \"Ticket\" IN ACCESS EXCLUSIVE MODE");
            Throwable failure = catchThrowable(() -> running.get(120, TimeUnit.SECONDS));
            assertThat(DatabaseErrors.sqlCause(failure)).get(THROWABLE)
                    .hasMessageStartingWith("gave up after 1 retries: ERROR: canceling statement due to lock timeout (held by ")
                    .hasMessageContaining("prisma-migrate (pid ")
                    .hasMessageEndingWith("; run the import again once that ends, or raise --lock-timeout or --retries");
            migration.rollback();
        }
        assertThat(new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run().addsUp())
                .as("resumed once the lock is gone").isTrue();
    }

    private static boolean copyBegun(TestDatabase database) throws Exception {
        try (Connection connection = database.connect()) {
            return Jdbc.exists(connection, "ticketing_import", "progress")
                    && Jdbc.count(connection, "SELECT count(*) FROM ticketing_import.progress") > 0;
        }
    }

    @Test
    void an_autovacuum_holding_a_legacy_table_is_cancelled_instead_of_queued_behind() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        String printed = importWhileAutovacuumHoldsTheTickets(database, database, 100);
        // Queued behind the autovacuum, each attempt of the trigger's install would have held the legacy writes to
        // the tickets for its brief wait, until the autovacuum was done (the import gave up after 100 attempts).
        assertThat(printed).contains("a capture trigger on public.\"Ticket\": cancelled the autovacuum of \"Ticket\" (pid ")
                .doesNotContain("waiting for a capture trigger on public.\"Ticket\"");
    }

    @Test
    void an_import_that_may_not_cancel_an_autovacuum_waits_for_it_without_queuing() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        TestDatabase asOwner;
        assumeOwnServer();
        try (Connection connection = database.connect()) {
            // The operator's role of the operator guide: owns the legacy tables, may create schemas; not a superuser,
            // so it may not signal autovacuum.
            String role = "legacy_owner_" + Long.toHexString(System.nanoTime());
            Jdbc.script(connection, "CREATE ROLE " + role + " LOGIN PASSWORD 'owner'");
            Jdbc.script(connection, "GRANT CREATE ON DATABASE " + database.name() + " TO " + role);
            for (String table : ImportStep.LEGACY_TABLES) {
                Jdbc.script(connection, "ALTER TABLE public." + Jdbc.quoteIdent(table) + " OWNER TO " + role);
            }
            asOwner = new TestDatabase(database.name(), database.jdbcUrl(), role, "owner");
        }
        // An autovacuum of some 15 s: long enough to still run when the import comes to the tickets, which it waits out.
        String printed = importWhileAutovacuumHoldsTheTickets(database, asOwner, 20);
        // It sees a process without a role, not which kind (its role may not read all statistics).
        assertThat(printed).contains("waiting for a capture trigger on public.\"Ticket\": a background process holding \"Ticket\" (pid ")
                .contains("waiting for it to finish without holding up the legacy app")
                .doesNotContain("cancelled the autovacuum")
                .doesNotContain("(attempt 1 of");
    }

    /**
     * Starts a slow autovacuum of the legacy tickets (a pause of {@code pauseMillis} a page, started by dead rows; a
     * short autovacuum_naptime for the time of the test), then imports as {@code importer} while it runs; returns
     * what the import printed.
     */
    private static String importWhileAutovacuumHoldsTheTickets(TestDatabase database, TestDatabase importer, int pauseMillis)
            throws Exception {
        assumeOwnServer();
        try (Connection connection = database.connect()) {
            Jdbc.script(connection, """
                    ALTER TABLE "Ticket" SET (autovacuum_vacuum_threshold = 0, autovacuum_vacuum_scale_factor = 0,
                                              autovacuum_vacuum_cost_delay = %d, autovacuum_vacuum_cost_limit = 1);
                    UPDATE "Ticket" SET "updatedAt" = "updatedAt";""".formatted(pauseMillis));
            // not in a transaction block: a statement of its own
            Jdbc.script(connection, "ALTER SYSTEM SET autovacuum_naptime = '1s'");
            Jdbc.script(connection, "SELECT pg_reload_conf()");
            try {
                String vacuumingTickets = """
                        SELECT count(*) FROM pg_stat_activity
                         WHERE backend_type = 'autovacuum worker' AND datname = current_database() AND query LIKE '%Ticket%'""";
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (Jdbc.count(connection, vacuumingTickets) == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(Jdbc.count(connection, vacuumingTickets)).as("an autovacuum of the tickets runs").isPositive();
                // No second one of a sudden: a cancelled autovacuum would be back within the short naptime.
                resetNaptime(connection);
                ByteArrayOutputStream printed = new ByteArrayOutputStream();
                ImportReport report = new LegacyImporter(importer.dataSource(), LegacyDatabases.quietOptions(),
                        new PrintStream(printed, true, StandardCharsets.UTF_8)).run();
                assertThat(report.addsUp()).isTrue();
                return printed.toString(StandardCharsets.UTF_8);
            } finally {
                resetNaptime(connection);
                Jdbc.script(connection, """
                        ALTER TABLE "Ticket" RESET (autovacuum_vacuum_threshold, autovacuum_vacuum_scale_factor,
                                                    autovacuum_vacuum_cost_delay, autovacuum_vacuum_cost_limit)""");
            }
        }
    }

    private static void resetNaptime(Connection connection) throws Exception {
        Jdbc.script(connection, "ALTER SYSTEM RESET autovacuum_naptime");
        Jdbc.script(connection, "SELECT pg_reload_conf()");
    }

    /**
     * Starting an autovacuum at will takes a server setting (autovacuum_naptime) and a superuser: CI's first phase
     * (the embedded server of each test JVM) runs these tests; a shared server (its installed-server phase, as a
     * plain role) keeps its settings.
     */
    private static void assumeOwnServer() {
        Assumptions.assumeTrue(TestPostgres.ownServer(), "changes autovacuum_naptime: only on the test JVM's own server");
    }

    /**
     * The shape of a deadlock: a legacy transaction holds a ticket and then wants a user row, while
     * the import, held up on the seats by another transaction, has the users and will want the
     * tickets. The legacy transaction asks first, so PostgreSQL would pick it as the victim. The
     * import must let go instead, and carry over both transactions' writes.
     */
    private static void legacyTransactionWaitingOnTheImportSurvives(TestDatabase database) throws Exception {
        String ticket;
        String user;
        String seat;
        try (Connection connection = database.connect()) {
            ticket = (String) Jdbc.single(connection, "SELECT id FROM \"Ticket\" WHERE status = 'valid' ORDER BY id LIMIT 1");
            user = (String) Jdbc.single(connection, "SELECT id FROM \"User\" ORDER BY id LIMIT 1");
            seat = (String) Jdbc.single(connection, "SELECT id FROM \"Seat\" WHERE status = 'available' ORDER BY id LIMIT 1");
        }
        try (Connection legacy = database.connect(); Connection other = database.connect()) {
            legacy.setAutoCommit(false);
            other.setAutoCommit(false);
            Jdbc.update(legacy, "UPDATE \"Ticket\" SET status = 'used', \"updatedAt\" = now() WHERE id = ?", ticket);
            Jdbc.update(other, "UPDATE \"Seat\" SET price = price + 1, \"updatedAt\" = now() WHERE id = ?", seat);
            CompletableFuture<ImportReport> running = importAsync(database, LegacyDatabases.quietOptions());
            awaitLockWait(database, "public.\"Seat\"", running);

            CompletableFuture<Void> legacyGoesOn = CompletableFuture.runAsync(() -> {
                try {
                    Jdbc.update(legacy, "UPDATE \"User\" SET name = 'Renamed Meanwhile', \"updatedAt\" = now() WHERE id = ?", user);
                    legacy.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);
            other.commit();

            legacyGoesOn.get(30, TimeUnit.SECONDS); // a deadlock victim would fail here with 40P01
            assertThat(running.get(60, TimeUnit.SECONDS).addsUp()).isTrue();
        }
        try (Connection connection = database.connect()) {
            assertThat(Jdbc.single(connection, "SELECT status::text FROM ticketing.ticket WHERE legacy_id = ?", ticket)).isEqualTo("USED");
            assertThat(Jdbc.single(connection, "SELECT name FROM ticketing.customer WHERE legacy_id = ?", user)).isEqualTo("Renamed Meanwhile");
        }
        assertThat(new LegacyVerifier(database.dataSource()).run().clean()).isTrue();
    }

    @Test
    void a_second_import_is_refused_while_one_runs() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        // One worker, small throttled batches: it runs for some twenty seconds, past the three refusals' grace.
        CompletableFuture<ImportReport> first = importAsync(database,
                LegacyDatabases.quietOptions().withBatchSize(200).withThrottleMs(200).withWorkers(1));
        try (Connection connection = database.connect()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && !Jdbc.exists(connection, "ticketing_import", "progress")) {
                Thread.sleep(20);
            }
        }
        assertThat(first).as("the first import is still running").isNotDone();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = new CommandLine(new LegacyCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("import", "--no-progress", "--db-url", database.jdbcUrl(), "--db-user", database.user(), "--db-password", database.password());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString().strip()).startsWith("ticketing: another legacy import, verify, rollback or finalize is running on this database")
                .endsWith("import refused: wait for it to finish").doesNotContain("\n");
        assertThat(out.toString()).isEmpty();
        assertThatThrownBy(() -> new LegacyRollback(database.dataSource(), QUIET).run())
                .hasMessageEndingWith("rollback refused: wait for it to finish");
        // verify would compare a half-done copy: it refuses too, instead of listing differences.
        StringWriter verifyOut = new StringWriter();
        StringWriter verifyErr = new StringWriter();
        int verifyExit = new CommandLine(new LegacyCommand()).setOut(new PrintWriter(verifyOut)).setErr(new PrintWriter(verifyErr))
                .execute("verify", "--db-url", database.jdbcUrl(), "--db-user", database.user(), "--db-password", database.password());
        assertThat(verifyExit).isEqualTo(1);
        assertThat(verifyErr.toString().strip()).startsWith("ticketing: another legacy import, verify, rollback or finalize is running")
                .endsWith("verify refused: wait for it to finish").doesNotContain("\n");
        assertThat(verifyOut.toString()).isEmpty();
        assertThat(first).as("the refusals did not wait for the first import").isNotDone();
        assertThat(first.get(120, TimeUnit.SECONDS).addsUp()).isTrue();
        assertThat(new LegacyVerifier(database.dataSource()).run().clean()).isTrue();
    }

    @Test
    void a_seat_freed_by_its_holder_goes_to_the_next_booking_in_line() throws Exception {
        TestDatabase database = copiedWithoutCatchUp();
        Map<String, Object> refused;
        try (Connection connection = database.connect()) {
            refused = Jdbc.query(connection, """
                    SELECT batch_key AS booking, payload ->> 'seatId' AS seat FROM ticketing_import.quarantine
                     WHERE table_name = 'Booking.seats' AND reason = 'seat already claimed'""").get(0);
            assertThat(Jdbc.single(connection, "SELECT review_reason FROM ticketing.booking WHERE legacy_id = ?", refused.get("booking")))
                    .isEqualTo("1 of 2 seats quarantined: seat already claimed");
            String holder = (String) Jdbc.single(connection, """
                    SELECT b.legacy_id FROM ticketing.booking b
                      JOIN ticketing.booked_seat bs ON bs.event_id = b.event_id AND bs.booking_id = b.id AND bs.released_at IS NULL
                      JOIN ticketing.seat s ON s.event_id = bs.event_id AND s.id = bs.seat_id
                     WHERE s.legacy_id = ?""", refused.get("seat"));
            // The legacy app cancels the booking that holds the seat, and its tickets.
            Jdbc.update(connection, "UPDATE \"Booking\" SET status = 'cancelled', \"updatedAt\" = now() WHERE id = ?", holder);
            Jdbc.update(connection, "UPDATE \"Ticket\" SET status = 'cancelled', \"updatedAt\" = now() WHERE \"bookingId\" = ?", holder);
        }

        assertThat(new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).run().addsUp()).isTrue();

        try (Connection connection = database.connect()) {
            assertThat(Jdbc.query(connection, """
                    SELECT s.legacy_id AS seat, s.status::text AS status FROM ticketing.booking b
                      JOIN ticketing.booked_seat bs ON bs.event_id = b.event_id AND bs.booking_id = b.id AND bs.released_at IS NULL
                      JOIN ticketing.seat s ON s.event_id = bs.event_id AND s.id = bs.seat_id
                     WHERE b.legacy_id = ?""", refused.get("booking")))
                    .contains(Map.of("seat", refused.get("seat"), "status", "BOOKED")).hasSize(2);
            assertThat(Jdbc.single(connection, "SELECT review_reason FROM ticketing.booking WHERE legacy_id = ?", refused.get("booking"))).isNull();
            assertThat(Jdbc.single(connection, "SELECT status::text FROM ticketing.ticket WHERE code = 'TK-EXTRA-0003'")).isEqualTo("VALID");
            assertThat(Jdbc.count(connection, "SELECT count(*) FROM ticketing_import.quarantine WHERE batch_key = ? OR legacy_id = ?",
                    refused.get("booking"), Jdbc.single(connection, "SELECT id FROM \"Ticket\" WHERE code = 'TK-EXTRA-0003'"))).isZero();
        }
        assertThat(new LegacyVerifier(database.dataSource()).run().clean()).isTrue();
    }

    /** A dirty legacy database copied into the new schema, capture triggers on, no catch-up yet. */
    private static TestDatabase copiedWithoutCatchUp() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions().withCatchUp(false), QUIET).run();
        return database;
    }

    private static CompletableFuture<ImportReport> importAsync(TestDatabase database, ImportOptions options) {
        return importAsync(database, options, QUIET);
    }

    private static CompletableFuture<ImportReport> importAsync(TestDatabase database, ImportOptions options, PrintStream out) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new LegacyImporter(database.dataSource(), options, out).run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Waits until some session waits for a lock on {@code relation} (the import, since the test holds the others). */
    private static void awaitLockWait(TestDatabase database, String relation, CompletableFuture<?> running) throws Exception {
        try (Connection connection = database.connect()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (Jdbc.count(connection, "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = to_regclass(?)", relation) == 0) {
                assertThat(running).as("the import waits for " + relation).isNotDone();
                assertThat(System.nanoTime()).as("the import waits for " + relation + " within a minute").isLessThan(deadline);
                Thread.sleep(10);
            }
        }
    }
}

package io.ticketing.migration.legacy;

import io.ticketing.migration.legacy.cli.LegacyCommand;
import io.ticketing.migration.schema.SchemaMigrator;
import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of the import half-way, then a resume: the same end state as an uninterrupted run. The
 * killed import copies on two workers (each a share of the events), the uninterrupted one on one:
 * the shares copy what one connection copies.
 */
class ResumeAfterKillTest {

    @Test
    void an_import_killed_half_way_resumes_to_the_same_end_state() throws Exception {
        TestDatabase uninterrupted = LegacyDatabases.dirty();
        new LegacyImporter(uninterrupted.dataSource(), LegacyDatabases.quietOptions().withWorkers(1),
                new PrintStream(OutputStream.nullOutputStream())).run();

        TestDatabase killed = LegacyDatabases.dirty();
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), ImportProcessMain.class.getName(),
                killed.jdbcUrl(), killed.user(), killed.password(), "300", "150"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long batches = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Connection connection = killed.connect()) {
            while (batches < 12 && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
                if (Jdbc.exists(connection, "ticketing_import", "progress")) {
                    batches = Jdbc.count(connection, "SELECT coalesce(sum(batches), 0) FROM ticketing_import.progress");
                }
            }
        }
        assertThat(child.isAlive()).as("the import is still running when it is killed").isTrue();
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no clean-up
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        try (Connection connection = killed.connect()) {
            assertThat(Jdbc.count(connection, "SELECT count(*) FROM ticketing_import.progress WHERE step LIKE 'reconcile%' AND done"))
                    .as("killed half-way: the last step is not done by every worker")
                    .isLessThan(Jdbc.count(connection, "SELECT workers FROM ticketing_import.run"));
            assertThat(Jdbc.count(connection, "SELECT count(*) FROM ticketing_import.deferred_index"))
                    .as("killed while indexes of the copied tables wait to be built").isPositive();
            // What `serve` refuses to start on, and /ready and `maintain` report.
            LegacyImportState state = LegacyImportState.of(connection);
            assertThat(state.state()).isEqualTo(LegacyImportState.State.UNFINISHED);
            assertThat(state.detail()).contains(", copy unfinished, ")
                    .containsPattern("\\d+ (index or key|indexes and keys) not built again\\)");
        }
        // Until a resume builds them, verify says so (and finalize, which needs a clean verify, refuses).
        assertThat(new LegacyVerifier(killed.dataSource()).run().checks())
                .filteredOn(check -> check.name().startsWith("copy unfinished: an index or key not built again")).singleElement()
                .satisfies(check -> assertThat(check.differences()).isPositive());

        // Asked for three workers, the resume goes on with the two whose checkpoints it finds, and says so.
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        ImportReport resumed = new LegacyImporter(killed.dataSource(), LegacyDatabases.quietOptions().withWorkers(3),
                new PrintStream(said, true, StandardCharsets.UTF_8)).run();
        assertThat(said.toString(StandardCharsets.UTF_8)).contains("copying with the 2 workers this import started with");
        // Killed in the seats' step (its 12th batch of 300 rows, two workers, after the users' and the events'): the resumed
        // step says what this run copied and what the earlier one had, together the legacy table.
        Matcher seats = Pattern.compile("(?m)^Seat: (\\d+) rows \\(and (\\d+) copied by an earlier run\\) in ")
                .matcher(said.toString(StandardCharsets.UTF_8));
        assertThat(seats.find()).as(said.toString(StandardCharsets.UTF_8)).isTrue();
        assertThat(Long.parseLong(seats.group(1)) + Long.parseLong(seats.group(2))).as(seats.group())
                .isEqualTo(resumed.tables().stream().filter(t -> t.table().equals("Seat")).findFirst().orElseThrow().legacy());

        assertThat(resumed.addsUp()).isTrue();
        assertThat(LegacyDatabases.ticketingHashes(killed)).isEqualTo(LegacyDatabases.ticketingHashes(uninterrupted));
        assertThat(new LegacyVerifier(killed.dataSource()).run().clean()).isTrue();
        try (Connection connection = killed.connect()) {
            assertThat(LegacyImportState.of(connection).state()).as("cut over: the new schema may be served")
                    .isEqualTo(LegacyImportState.State.SERVABLE);
        }
        TestDatabase migrated = TestPostgres.emptyDatabase();
        new SchemaMigrator(migrated.dataSource()).migrate();
        assertThat(LegacyDatabases.schemaShape(killed)).as("every index and constraint of the new schema, as its migrations define it")
                .isEqualTo(LegacyDatabases.schemaShape(migrated));
    }

    @Test
    void an_import_stopped_by_a_signal_says_how_to_go_on_and_resumes() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Path stderr = Files.createTempFile("legacy-import", ".err"); // destroy() closes the child's pipes: a file keeps what it said
        Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), LegacyCommand.class.getName(),
                "import", "--db-url", database.jdbcUrl(), "--db-user", database.user(), "--db-password", database.password(),
                "--batch-size", "300", "--throttle-ms", "150", "--no-progress"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Connection connection = database.connect()) {
            while (child.isAlive() && System.nanoTime() < deadline && !(Jdbc.exists(connection, "ticketing_import", "progress")
                    && Jdbc.count(connection, "SELECT coalesce(sum(batches), 0) FROM ticketing_import.progress") >= 3)) {
                Thread.sleep(50);
            }
        }
        assertThat(child.isAlive()).as("the import is still running when it is stopped").isTrue();
        child.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the JVM's shutdown hooks run
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(stderr)).contains("ticketing: legacy import interrupted; run `legacy import` again to resume");
        Files.delete(stderr);

        ImportReport resumed = new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(),
                new PrintStream(OutputStream.nullOutputStream())).run();
        assertThat(resumed.addsUp()).isTrue();
        assertThat(new LegacyVerifier(database.dataSource()).run().clean()).isTrue();
    }

    @Test
    void indexes_a_killed_run_left_to_build_are_built_by_the_next_run_which_says_so() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), new PrintStream(OutputStream.nullOutputStream())).run();
        try (Connection connection = database.connect()) {
            // What a run killed between the tickets' last batch and their index builds leaves: the step done, its
            // non-unique indexes dropped and their definitions kept to build, the copy not recorded as finished.
            connection.setAutoCommit(false);
            Jdbc.script(connection, "SET LOCAL search_path = pg_catalog");
            Jdbc.update(connection, """
                    INSERT INTO ticketing_import.deferred_index (index_name, table_name, definition, build_order)
                    SELECT ix.relname, 'ticket', pg_get_indexdef(i.indexrelid), 0
                      FROM pg_index i JOIN pg_class ix ON ix.oid = i.indexrelid
                     WHERE i.indrelid = 'ticketing.ticket'::regclass AND NOT i.indisunique""");
            for (String index : Jdbc.query(connection, "SELECT index_name FROM ticketing_import.deferred_index").stream()
                    .map(row -> (String) row.get("index_name")).toList()) {
                Jdbc.script(connection, "DROP INDEX ticketing." + Jdbc.quoteIdent(index));
            }
            Jdbc.update(connection, "UPDATE ticketing_import.run SET copied_at = NULL");
            connection.commit();
        }

        ByteArrayOutputStream said = new ByteArrayOutputStream();
        new LegacyImporter(database.dataSource(), LegacyDatabases.quietOptions(), new PrintStream(said, true, StandardCharsets.UTF_8)).run();

        assertThat(said.toString(StandardCharsets.UTF_8)).containsPattern(
                "(?m)^Ticket: copied by an earlier run, which left \\d+ of its indexes and keys to build: built in [0-9.]+ s$");
        TestDatabase migrated = TestPostgres.emptyDatabase();
        new SchemaMigrator(migrated.dataSource()).migrate();
        assertThat(LegacyDatabases.schemaShape(database)).isEqualTo(LegacyDatabases.schemaShape(migrated));
        assertThat(new LegacyVerifier(database.dataSource()).run().clean()).isTrue();
    }
}

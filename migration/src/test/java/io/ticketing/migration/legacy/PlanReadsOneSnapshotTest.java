package io.ticketing.migration.legacy;

import io.ticketing.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code plan} while the legacy app writes: every step and the report read the legacy tables as of one moment. */
class PlanReadsOneSnapshotTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void rows_the_legacy_app_writes_while_plan_runs_are_not_counted_as_unaccounted() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        long users;
        long seats;
        List<ImportStep> steps = new ArrayList<>();
        try (Connection legacyApp = database.connect()) {
            users = Jdbc.count(legacyApp, "SELECT count(*) FROM \"User\"");
            seats = Jdbc.count(legacyApp, "SELECT count(*) FROM \"Seat\"");
            // Between each of the rehearsal's steps, and before its report, the legacy app registers a user and adds a seat.
            LegacyPlanner.Plan plan = new LegacyPlanner(database.dataSource(), LegacyDatabases.quietOptions(), QUIET).afterEachStep(step -> {
                steps.add(step);
                Jdbc.update(legacyApp, "INSERT INTO \"User\" VALUES (?, ?, 'Live', now(), now())", "live-" + step, "live-" + step + "@example.com");
                Jdbc.update(legacyApp, """
                        INSERT INTO "Seat" SELECT ?, id, 'LIVE', 'L', 1, 10, 'available', now(), now()
                          FROM "Event" WHERE status = 'PUBLISHED' ORDER BY id LIMIT 1""", "live-seat-" + step);
            }).run();

            assertThat(steps).hasSameSizeAs(LegacyImporter.COPY_STEPS);
            assertThat(plan.report().addsUp()).as("nothing unaccounted: %s", plan.report().tables()).isTrue();
            assertThat(plan.report().table("User").legacy()).isEqualTo(users);
            assertThat(plan.report().table("Seat").legacy()).isEqualTo(seats);
            assertThat(Jdbc.count(legacyApp, "SELECT count(*) FROM \"User\"")).isEqualTo(users + steps.size());
        }
    }

    @Test
    void a_batch_plan_retries_row_by_row_is_a_note_on_the_notes_stream_naming_the_first_batch_as_such() throws Exception {
        TestDatabase database = LegacyDatabases.dirty();
        try (Connection connection = database.connect()) {
            // A user whose lower-case UUID id is the UUID another user's id is given: the rehearsal's primary key refuses the batch.
            String other = (String) Jdbc.single(connection, "SELECT id FROM \"User\" WHERE id !~ '^[0-9a-f-]{36}$' ORDER BY id LIMIT 1");
            String twin = UUID.nameUUIDFromBytes(("ticketing-legacy:user:" + other).getBytes(StandardCharsets.UTF_8)).toString();
            Jdbc.update(connection, "INSERT INTO \"User\" VALUES (?, 'twin@example.com', 'Twin', now(), now())", twin);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream notes = new ByteArrayOutputStream();

        LegacyPlanner.Plan plan = new LegacyPlanner(database.dataSource(), ImportOptions.defaults().withProgressBar(false),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(notes, true, StandardCharsets.UTF_8)).run();
        plan.print(new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(plan.report().addsUp()).isTrue();
        assertThat(notes.toString(StandardCharsets.UTF_8)).startsWith("first batch of User refused (").contains("; retrying its ")
                .doesNotContain("after null");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("refused");
    }
}

package io.ticketing.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketing.app.TestApplication.Response;
import io.ticketing.migration.legacy.LegacyDataGenerator;
import io.ticketing.migration.legacy.LegacySchema;
import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's way to the end: import, switch the application, let it sell for a while, then `legacy finalize`. The
 * application's changes to migrated rows (a ticket checked in, a booking cancelled) are its own, not differences, so
 * they do not hold the legacy tables hostage.
 */
class FinalizeAfterTheSwitchTest {

    @RegisterExtension
    final CapturedConsole console = new CapturedConsole();

    @Test
    void after_the_application_changed_migrated_rows_verify_is_clean_and_finalize_drops_the_legacy_tables() throws Exception {
        TestDatabase shop = importedLegacyDatabase();

        try (TestApplication api = TestApplication.startOn(shop)) {
            String[] booking = firstRow(shop, """
                    SELECT c.email, b.id::text, b.event_id::text, t.code FROM ticketing.booking b
                      JOIN ticketing.customer c ON c.id = b.customer_id
                      JOIN ticketing.ticket t ON t.booking_id = b.id AND t.status = 'VALID'
                     WHERE b.status = 'CONFIRMED' AND b.legacy_id IS NOT NULL AND b.review_reason IS NULL
                     ORDER BY b.id, t.code LIMIT 1""");
            Response checkIn = api.staff().post("/tickets/" + booking[3] + "/check-in", "{\"eventId\":\"" + booking[2] + "\"}");
            assertThat(checkIn.status()).as(checkIn.toString()).isEqualTo(200);
            cancelAMigratedBooking(api, shop, booking[1]);
        }

        console.reset();
        assertThat(legacy(shop, "verify")).as(console.out()).isZero();
        assertThat(console.out()).containsPattern("note: [0-9]+ migrated rows changed by the new application since the cut-over: "
                + "the columns it changed are its own, not compared").contains("verify: OK, no differences");

        console.reset();
        assertThat(legacy(shop, "finalize", "--yes")).as(console.out() + console.err()).isZero();
        assertThat(console.out()).contains("finalize: legacy tables dropped");

        try (TestApplication api = TestApplication.startOn(shop)) {
            JsonNode ready = api.anonymous().get("/ready").json();
            assertThat(ready.get("status").asText()).as(ready.toString()).isEqualTo("READY");
        }
    }

    @Test
    void legacy_changes_made_after_the_application_wrote_are_discarded_on_request_and_kept_as_the_legacy_app_left_them() throws Exception {
        TestDatabase shop = importedLegacyDatabase();
        // The legacy app was not stopped: after the cut-over it checks a ticket in and signs a customer up.
        String ticket = firstRow(shop, """
                UPDATE "Ticket" SET status = 'used', "updatedAt" = now()
                 WHERE id = (SELECT min(id) FROM "Ticket" WHERE status = 'valid') RETURNING id""")[0];
        firstRow(shop, """
                INSERT INTO "User" (id, email, name, "updatedAt") VALUES ('late-user', 'late@example.com', 'Late', now()) RETURNING id""");
        // And the new application sells.
        try (TestApplication api = TestApplication.startOn(shop)) {
            cancelAMigratedBooking(api, shop, firstRow(shop, "SELECT b.id::text FROM ticketing.booking b JOIN \"Ticket\" t "
                    + "ON b.legacy_id = t.\"bookingId\" WHERE t.id = '" + ticket + "'")[0]);
        }

        console.reset();
        assertThat(legacy(shop, "import", "--no-progress")).as("it would overwrite the application's rows").isEqualTo(1);
        assertThat(console.err()).contains("import refused: the new application has written since the cut-over");
        console.reset();
        assertThat(legacy(shop, "finalize", "--yes")).isEqualTo(1);
        assertThat(console.out()).contains("finalize: refused, verify found differences; the legacy tables are kept; 2 legacy rows "
                + "changed since the import's latest catch-up: `legacy import` carries them over while the new application has not "
                + "written, else `legacy finalize --discard-legacy-changes` keeps the new schema's version");

        console.reset();
        assertThat(legacy(shop, "finalize", "--yes", "--discard-legacy-changes")).as(console.out() + console.err()).isZero();
        assertThat(console.out()).contains("finalize: discarded 2 legacy changes (in ticketing_import.discarded_change): Ticket:"
                + ticket + ", User:late-user").contains("finalize: legacy tables dropped");
        assertThat(firstRow(shop, "SELECT legacy_row ->> 'status' FROM ticketing_import.discarded_change WHERE table_name = 'Ticket' "
                + "AND legacy_id = '" + ticket + "'")).as("kept as the legacy app left it").containsExactly("used");
        assertThat(firstRow(shop, "SELECT legacy_row ->> 'email' FROM ticketing_import.discarded_change WHERE legacy_id = 'late-user'"))
                .containsExactly("late@example.com");
        assertThat(firstRow(shop, "SELECT status::text FROM ticketing.ticket WHERE legacy_id = '" + ticket + "'"))
                .as("the new schema keeps its version").containsExactly("VALID");
    }

    private static TestDatabase importedLegacyDatabase() {
        TestDatabase shop = TestPostgres.freshDatabase("legacy-dirty-finalized", d -> {
            try (Connection connection = d.connect()) {
                LegacySchema.create(connection);
                LegacyDataGenerator.generate(connection, 1_000, 11);
            }
        });
        assertThat(legacy(shop, "import", "--no-progress")).isZero();
        return shop;
    }

    /** A customer cancels a paid migrated booking (not {@code except}) whose tickets are all still valid. */
    private static void cancelAMigratedBooking(TestApplication api, TestDatabase shop, String except) throws Exception {
        String[] booking = firstRow(shop, """
                SELECT c.email, b.id::text FROM ticketing.booking b JOIN ticketing.customer c ON c.id = b.customer_id
                 WHERE b.status = 'CONFIRMED' AND b.legacy_id IS NOT NULL AND b.review_reason IS NULL AND b.id <> '%s'::uuid
                   AND NOT EXISTS (SELECT 1 FROM ticketing.ticket t WHERE t.booking_id = b.id AND t.status <> 'VALID')
                 ORDER BY b.id LIMIT 1""".formatted(except));
        Response cancelled = api.customer(booking[0]).post("/bookings/" + booking[1] + "/cancel", "");
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
    }

    private static int legacy(TestDatabase database, String command, String... options) {
        return TestApplication.command(Stream.of(Stream.of("legacy", command), TestApplication.commandLineOptions(database).stream(),
                Stream.of(options)).flatMap(s -> s).toArray(String[]::new));
    }

    private static String[] firstRow(TestDatabase database, String sql) throws Exception {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).as("a row for: " + sql).isTrue();
            String[] row = new String[rows.getMetaData().getColumnCount()];
            for (int i = 0; i < row.length; i++) {
                row[i] = rows.getString(i + 1);
            }
            return row;
        }
    }
}

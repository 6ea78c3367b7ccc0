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
        TestDatabase shop = TestPostgres.freshDatabase("legacy-dirty-finalized", d -> {
            try (Connection connection = d.connect()) {
                LegacySchema.create(connection);
                LegacyDataGenerator.generate(connection, 1_000, 11);
            }
        });
        assertThat(legacy(shop, "import", "--no-progress")).as(console.err()).isZero();

        try (TestApplication api = TestApplication.startOn(shop)) {
            String[] booking = firstRow(shop, """
                    SELECT c.email, b.id::text, b.event_id::text, t.code FROM ticketing.booking b
                      JOIN ticketing.customer c ON c.id = b.customer_id
                      JOIN ticketing.ticket t ON t.booking_id = b.id AND t.status = 'VALID'
                     WHERE b.status = 'CONFIRMED' AND b.legacy_id IS NOT NULL AND b.review_reason IS NULL
                     ORDER BY b.id, t.code LIMIT 1""");
            Response checkIn = api.staff().post("/tickets/" + booking[3] + "/check-in", "{\"eventId\":\"" + booking[2] + "\"}");
            assertThat(checkIn.status()).as(checkIn.toString()).isEqualTo(200);
            String[] other = firstRow(shop, """
                    SELECT c.email, b.id::text FROM ticketing.booking b JOIN ticketing.customer c ON c.id = b.customer_id
                     WHERE b.status = 'CONFIRMED' AND b.legacy_id IS NOT NULL AND b.review_reason IS NULL AND b.id <> '%s'::uuid
                       AND NOT EXISTS (SELECT 1 FROM ticketing.ticket t WHERE t.booking_id = b.id AND t.status <> 'VALID')
                     ORDER BY b.id LIMIT 1""".formatted(booking[1]));
            Response cancelled = api.customer(other[0]).post("/bookings/" + other[1] + "/cancel", "");
            assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        }

        console.reset();
        assertThat(legacy(shop, "verify")).as(console.out()).isZero();
        assertThat(console.out()).containsPattern("note: [0-9]+ migrated rows changed by the new application since the cut-over, "
                + "not compared \\(its version is the newer\\)").contains("verify: OK, no differences");

        console.reset();
        assertThat(legacy(shop, "finalize", "--yes")).as(console.out() + console.err()).isZero();
        assertThat(console.out()).contains("finalize: legacy tables dropped");

        try (TestApplication api = TestApplication.startOn(shop)) {
            JsonNode ready = api.anonymous().get("/ready").json();
            assertThat(ready.get("status").asText()).as(ready.toString()).isEqualTo("READY");
        }
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

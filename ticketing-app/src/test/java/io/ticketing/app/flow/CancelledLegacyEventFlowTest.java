package io.ticketing.app.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketing.app.TestApplication;
import io.ticketing.app.TestApplication.Response;
import io.ticketing.domain.testing.contract.RecordingRefundProvider;
import io.ticketing.migration.legacy.ImportOptions;
import io.ticketing.migration.legacy.ImportReport;
import io.ticketing.migration.legacy.LegacyDataGenerator;
import io.ticketing.migration.legacy.LegacyImporter;
import io.ticketing.migration.legacy.LegacyPlanner;
import io.ticketing.migration.legacy.LegacySchema;
import io.ticketing.migration.schema.Maintenance;
import io.ticketing.migration.schema.Maintenance.Finding;
import io.ticketing.migration.schema.Maintenance.Severity;
import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An event the legacy app cancelled without ending what it had sold (its bookings still confirmed, a payment still
 * being taken): the import migrates it as it is and says so, `maintain` reports it as a problem until it is settled,
 * and the application's own cancellation, started by an admin, ends the bookings and requests the paid ones' refunds.
 */
class CancelledLegacyEventFlowTest {

    private static final String CHECK = "cancelled events with live bookings or running checkouts";

    @Test
    void an_event_the_legacy_app_cancelled_with_live_bookings_is_reported_until_an_admin_cancels_it_here() throws Exception {
        TestDatabase database = TestPostgres.emptyDatabase();
        String legacyEvent;
        long liveBookings;
        long confirmed;
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            LegacySchema.create(connection);
            LegacyDataGenerator.generate(connection, 3_000, 11);
            legacyEvent = single(statement, """
                    SELECT "eventId" FROM "Booking" WHERE status = 'confirmed' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1""");
            statement.execute("UPDATE \"Event\" SET status = 'cancelled', \"updatedAt\" = now() WHERE id = '" + legacyEvent + "'");
        }
        String said = "Event: cancelled, with live bookings or running checkouts: `cancel-event` ends them and refunds the paid ones";
        assertThat(new LegacyPlanner(TestPostgres.direct(database).dataSource(), ImportOptions.defaults(),
                new PrintStream(OutputStream.nullOutputStream())).run().report().anomalyCounts()).as("plan foretells it").containsEntry(said, 1L);
        ImportReport report = new LegacyImporter(TestPostgres.direct(database).dataSource(), ImportOptions.defaults(),
                new PrintStream(OutputStream.nullOutputStream())).run();
        String eventId;
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            eventId = single(statement, "SELECT id::text FROM ticketing.event WHERE legacy_id = '" + legacyEvent + "'");
            liveBookings = Long.parseLong(single(statement, "SELECT count(*)::text FROM ticketing.booking WHERE event_id = '"
                    + eventId + "' AND status IN ('PENDING', 'CONFIRMED')"));
            confirmed = Long.parseLong(single(statement, "SELECT count(*)::text FROM ticketing.booking WHERE event_id = '"
                    + eventId + "' AND status = 'CONFIRMED'"));
        }
        assertThat(liveBookings).as("migrated as the legacy app left them").isPositive();
        assertThat(report.anomalyCounts()).containsEntry(said, 1L);

        assertThat(finding(database)).satisfies(finding -> {
            assertThat(finding.severity()).isEqualTo(Severity.PROBLEM);
            assertThat(finding.examples()).singleElement().asString().startsWith("event " + eventId + " (" + liveBookings + " live bookings, ");
            assertThat(finding.detail()).contains("./ticketing cancel-event EVENT_ID");
        });

        String[] running; // a checkout the legacy app left being paid, its amount, and its booking if it has one
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            running = single(statement, "SELECT concat_ws(' ', id, amount, booking_id) FROM ticketing.payment_session WHERE event_id = '"
                    + eventId + "' AND status = 'PROCESSING' ORDER BY id LIMIT 1").split(" ");
        }

        RecordingRefundProvider provider = new RecordingRefundProvider();
        try (TestApplication api = TestApplication.startOn(database, provider)) {
            // Its money comes before an admin has cancelled the event here: no booking of a cancelled event is confirmed.
            Response paid = api.webhook(TicketingFlowTest.paymentEvent("evt-cancelled-legacy", "succeeded", running[0], running[1]));
            assertThat(paid.status()).as(paid.toString()).isEqualTo(200);
            assertThat(paid.json().get("paymentSession").get("status").asText()).isEqualTo("CANCELLED");
            assertThat(paid.json().get("booking").get("status").asText()).isEqualTo("CANCELLED");
            assertThat(paid.json().get("tickets")).isEmpty();
            if (running.length > 2) {
                assertThat(paid.json().get("booking").get("id").asText()).as("its pending booking").isEqualTo(running[2]);
            }
            long leftToCancel = liveBookings - (running.length > 2 ? 1 : 0);

            Response cancelled = api.admin().post("/events/" + eventId + "/cancel", "{\"reason\":\"Cancelled in the legacy app\"}");
            assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(202);
            JsonNode done = api.awaitCancellationDone(eventId);
            assertThat(done.get("bookings").get("done").asLong()).isEqualTo(leftToCancel);
            assertThat(confirmed).isPositive();
            assertThat(done.get("refundsRequested").asLong()).as("one per paid booking").isEqualTo(confirmed);
            assertThat(api.admin().get("/events/" + eventId + "/stats").json().get("confirmedBookings").asLong()).isZero();
        }

        assertThat(finding(database).severity()).as("settled").isEqualTo(Severity.OK);
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            assertThat(single(statement, "SELECT string_agg(reason, ', ') FROM ticketing.refund_request WHERE payment_session_id = '"
                    + running[0] + "'")).as("the late payment's money given back").isEqualTo("paid after the event was cancelled");
        }
    }

    private static Finding finding(TestDatabase database) throws SQLException {
        return new Maintenance(TestPostgres.direct(database).dataSource(), Maintenance.Settings.defaults()).check(section -> { })
                .stream().filter(f -> f.check().equals(CHECK)).findFirst().orElseThrow();
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).as(sql).isTrue();
            return rows.getString(1);
        }
    }
}

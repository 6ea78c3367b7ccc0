package io.ticketing.app.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketing.app.TestApplication;
import io.ticketing.app.TestApplication.Response;
import io.ticketing.migration.legacy.ImportOptions;
import io.ticketing.migration.legacy.LegacyImporter;
import io.ticketing.migration.legacy.LegacySchema;
import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static io.ticketing.app.flow.EventCancellationFlowTest.rows;
import static io.ticketing.app.flow.TicketingFlowTest.paymentEvent;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Payments the legacy app had sent to the provider before the import: the provider knows their checkouts by the
 * legacy app's ids (a cuid, an upper-case UUID), which the import renamed; its report by that id completes them.
 */
class MigratedPendingPaymentFlowTest {

    /** A Prisma cuid, and a UUID in upper case: the import gives neither checkout its legacy id. */
    private static final String CUID = "c64b6f4d911c3318aee6df889";
    private static final String UPPER_UUID = "5F0C2A9E-8B1D-4C3E-9A7F-2D6B4E8C1A03";
    /** Any id the provider may know a checkout by, JSON's special characters included: `dev pay` sends it as it is. */
    private static final String ODD_ID = "ps-\"7\"\\x";
    /** A legacy checkout's name that the webhook refuses (a space): no provider's report can reach it by that name. */
    private static final String SPACED_ID = "pay session 6";
    private static final String BUYER = "legacy.buyer@example.com";

    private static TestDatabase database;
    private static TestApplication api;

    @BeforeAll
    static void importPendingLegacyPaymentsAndServeThem() throws SQLException {
        database = TestPostgres.freshDatabase("legacy-pending-payments", d -> {
            try (Connection connection = d.connect(); Statement statement = connection.createStatement()) {
                LegacySchema.create(connection);
                statement.execute("""
                        INSERT INTO "Event" VALUES ('ev', 'Gala', NULL, 'Hall', '2031-07-01 20:00', NULL, 'published', '2024-01-01', '2024-01-01');
                        INSERT INTO "User" VALUES ('u', '%1$s', 'Legacy Buyer', '2024-01-01', '2024-01-01');
                        INSERT INTO "Seat" VALUES ('s1', 'ev', 'A', '1', 1, 35, 'reserved', '2024-01-01', '2024-01-01'),
                                                  ('s2', 'ev', 'A', '1', 2, 35, 'reserved', '2024-01-01', '2024-01-01'),
                                                  ('s3', 'ev', 'A', '1', 3, 20, 'reserved', '2024-01-01', '2024-01-01'),
                                                  ('s4', 'ev', 'A', '1', 4, 15, 'reserved', '2024-01-01', '2024-01-01'),
                                                  ('s5', 'ev', 'A', '1', 5, 20, 'reserved', '2024-01-01', '2024-01-01'),
                                                  ('s6', 'ev', 'A', '1', 6, 25, 'reserved', '2024-01-01', '2024-01-01');
                        INSERT INTO "Booking" VALUES ('b-cuid', 'u', 'ev', '["s1", "s2"]', 70, 'pending', '2024-01-02', '2024-01-02'),
                                                     ('b-uuid', 'u', 'ev', '["s3"]', 20, 'pending', '2024-01-02', '2024-01-02'),
                                                     ('b-twin', 'u', 'ev', '["s5"]', 20, 'pending', '2024-01-02', '2024-01-02'),
                                                     ('b-spaced', 'u', 'ev', '["s6"]', 25, 'pending', '2024-01-02', '2024-01-02');
                        INSERT INTO "PaymentSession" VALUES
                            ('%2$s', 'u', 'ev', 'b-cuid', 70, 'pending', NULL, '2030-01-01', '2024-01-02', '2024-01-02'),
                            ('%3$s', 'u', 'ev', 'b-uuid', 20, 'pending', NULL, '2030-01-01', '2024-01-02', '2024-01-02'),
                            ('%4$s', 'u', 'ev', NULL, 15, 'pending', NULL, '2030-01-01', '2024-01-02', '2024-01-02'),
                            -- the upper-case UUID's lower-case twin: another checkout, of another booking
                            (lower('%3$s'), 'u', 'ev', 'b-twin', 20, 'pending', NULL, '2030-01-01', '2024-01-02', '2024-01-02'),
                            -- a name no payment report can carry (the webhook refuses a space)
                            ('%5$s', 'u', 'ev', 'b-spaced', 25, 'pending', NULL, '2030-01-01', '2024-01-02', '2024-01-02');
                        INSERT INTO "_PaymentSessionToSeat" VALUES ('%2$s', 's1'), ('%2$s', 's2'), ('%3$s', 's3'), ('%4$s', 's4'), (lower('%3$s'), 's5'),
                                                                   ('%5$s', 's6');
                        -- A booking paid by its second checkout, after the first had expired.
                        INSERT INTO "Event" VALUES ('ev2', 'Matinee', NULL, 'Hall', '2031-07-02 15:00', NULL, 'published', '2024-01-01', '2024-01-01');
                        INSERT INTO "Seat" VALUES ('t1', 'ev2', 'B', '1', 1, 15, 'booked', '2024-01-01', '2024-01-01');
                        INSERT INTO "Booking" VALUES ('b-twice', 'u', 'ev2', '["t1"]', 15, 'confirmed', '2024-01-02', '2024-01-03');
                        INSERT INTO "PaymentSession" VALUES
                            ('ps-late', 'u', 'ev2', 'b-twice', 15, 'expired', NULL, '2024-01-02 00:15', '2024-01-02', '2024-01-02 00:15'),
                            ('ps-paid', 'u', 'ev2', 'b-twice', 15, 'completed', 'pay_legacy', '2024-01-03 00:15', '2024-01-03', '2024-01-03');
                        INSERT INTO "_PaymentSessionToSeat" VALUES ('ps-late', 't1'), ('ps-paid', 't1');
                        INSERT INTO "Ticket" VALUES ('k1', 'b-twice', 't1', 'ev2', 'u', 'TK-TWICE-1', 'valid', '2024-01-03', '2024-01-03');"""
                        .formatted(BUYER, CUID, UPPER_UUID, ODD_ID, SPACED_ID));
            }
        });
        new LegacyImporter(TestPostgres.direct(database).dataSource(), ImportOptions.defaults(), new PrintStream(OutputStream.nullOutputStream())).run();
        api = TestApplication.startOn(database);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void the_providers_success_reported_by_the_legacy_checkout_id_confirms_the_migrated_booking() throws Exception {
        for (var pending : List.of(new Pending(CUID, "b-cuid", "70.00", 2), new Pending(UPPER_UUID, "b-uuid", "20.00", 1))) {
            String booking = migrated("booking", pending.legacyBooking());
            assertThat(api.customer(BUYER).get("/bookings/" + booking).json().get("status").asText()).isEqualTo("PENDING");

            Response paid = api.webhook(paymentEvent("evt-legacy-" + pending.legacyId(), "succeeded", pending.legacyId(), pending.amount()));

            assertThat(paid.status()).as(paid.toString()).isEqualTo(200);
            assertThat(paid.json().get("status").asText()).isEqualTo("applied");
            assertThat(paid.json().get("paymentSession").get("id").asText()).isEqualTo(migrated("payment_session", pending.legacyId()));
            assertThat(paid.json().get("paymentSession").get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(paid.json().get("booking").get("id").asText()).isEqualTo(booking);
            assertThat(paid.json().get("booking").get("status").asText()).isEqualTo("CONFIRMED");
            var customer = api.customer(BUYER);
            assertThat(customer.get("/bookings/" + booking).json().get("status").asText()).isEqualTo("CONFIRMED");
            assertThat(customer.get("/bookings/" + booking + "/tickets").json().findValuesAsText("status"))
                    .hasSize(pending.seats()).containsOnly("VALID");
            assertThat(customer.get("/bookings/" + booking + "/seats").json().findValuesAsText("status"))
                    .hasSize(pending.seats()).containsOnly("BOOKED");
            // The provider's retry under the same event id is a duplicate, as for any checkout.
            assertThat(api.webhook(paymentEvent("evt-legacy-" + pending.legacyId(), "succeeded", pending.legacyId(), pending.amount()))
                    .json().get("status").asText()).isEqualTo("duplicate");
        }
        // The upper-case id's report went to its own checkout, not to its lower-case twin's.
        assertThat(api.customer(BUYER).get("/bookings/" + migrated("booking", "b-twin")).json().get("status").asText()).isEqualTo("PENDING");
        String event = migrated("event", "ev");
        JsonNode stats = api.admin().get("/events/" + event + "/stats").json();
        assertThat(stats.get("bookedSeats").asLong()).isEqualTo(3);
        assertThat(stats.get("ticketsSold").asLong()).isEqualTo(3);
    }

    @Test
    void a_late_success_of_a_checkout_whose_booking_another_checkout_paid_is_refunded_and_the_booking_kept() throws Exception {
        String paidBooking = migrated("booking", "b-twice");

        Response late = api.webhook(paymentEvent("evt-late-twice", "succeeded", "ps-late", "15.00"));

        assertThat(late.status()).as(late.toString()).isEqualTo(200);
        assertThat(late.json().get("status").asText()).isEqualTo("applied");
        assertThat(late.json().get("paymentSession").get("status").asText()).isEqualTo("EXPIRED");
        // The money is a second payment for seats already paid: refunded under a booking of its own.
        String refunded = late.json().get("booking").get("id").asText();
        assertThat(refunded).isNotEqualTo(paidBooking);
        assertThat(late.json().get("booking").get("status").asText()).isEqualTo("CANCELLED");
        assertThat(late.json().get("tickets")).isEmpty();
        var customer = api.customer(BUYER);
        assertThat(customer.get("/bookings/" + paidBooking).json().get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(customer.get("/bookings/" + paidBooking + "/tickets").json().findValuesAsText("status")).containsExactly("VALID");
        assertThat(customer.get("/bookings/" + paidBooking + "/seats").json().findValuesAsText("status")).containsExactly("BOOKED");

        // The provider sends the report of that payment again under another event id: nothing more is refunded.
        Response again = api.webhook(paymentEvent("evt-late-twice-again", "succeeded", "ps-late", "15.00", "pay_evt-late-twice"));
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().get("booking").get("id").asText()).isEqualTo(refunded);
        try (Connection connection = database.connect()) {
            assertThat(rows(connection, """
                    SELECT r.booking_id || ' ' || r.amount || ' ' || ps.legacy_id || ' ' || r.reason
                      FROM ticketing.refund_request r JOIN ticketing.payment_session ps ON ps.id = r.payment_session_id
                     WHERE r.event_id = ?::uuid""", migrated("event", "ev2")))
                    .containsExactly(refunded + " 15.00 ps-late paid after the checkout expired");
        }
    }

    @Test
    void an_id_that_is_neither_a_uuid_nor_a_legacy_id_is_still_refused() {
        for (String id : List.of("", " " + CUID, CUID + "\\t", CUID + "\\u00a0", "x".repeat(256))) {
            Response refused = api.webhook(paymentEvent("evt-bad-" + id.length(), "failed", id, "70.00"));
            assertThat(refused.status()).as(id + ": " + refused).isEqualTo(400);
            assertThat(refused.json().get("code").asText()).isEqualTo("invalid-id");
        }
        // One that could be a legacy id but names no checkout is unknown, as an unknown UUID is.
        assertThat(api.webhook(paymentEvent("evt-unknown-legacy", "failed", "c00000000000000000000000z", "70.00")).status())
                .isEqualTo(404);
    }

    @Test
    void dev_pay_reports_on_a_migrated_checkout_by_its_legacy_id() throws Exception {
        String checkout = migrated("payment_session", ODD_ID);
        assertThat(api.customer(BUYER).get("/payment-sessions/" + checkout).json().get("status").asText()).isEqualTo("OPEN");

        // A failure, which leaves the other tests' counts of seats sold as they are.
        assertThat(TestApplication.command("dev", "pay", ODD_ID, "--result", "failed", "--amount", "15.00",
                "--url", "http://127.0.0.1:" + api.port(), "--secret", TestApplication.WEBHOOK_SECRET)).isZero();

        assertThat(api.customer(BUYER).get("/payment-sessions/" + checkout).json().get("status").asText()).isEqualTo("FAILED");
    }

    @Test
    void a_running_checkout_no_report_can_name_is_marked_for_review_and_settled_by_its_new_id() throws Exception {
        String booking = migrated("booking", "b-spaced");
        String checkout = migrated("payment_session", SPACED_ID);
        JsonNode review = api.admin().get("/bookings/" + booking).json();
        assertThat(review.get("status").asText()).isEqualTo("PENDING");
        assertThat(review.get("reviewReason").asText()).isEqualTo("a running checkout has an id the payment webhook cannot name");
        assertThat(api.admin().get("/admin/bookings?needsReview=true").json().get("items").findValuesAsText("id")).contains(booking);
        assertThat(api.webhook(paymentEvent("evt-spaced", "failed", SPACED_ID, "25.00")).json().get("code").asText()).isEqualTo("invalid-id");

        // The operator asks the provider, which took no money, and reports that by the id the import gave the checkout.
        assertThat(TestApplication.command("dev", "pay", checkout, "--result", "failed", "--amount", "25.00",
                "--url", "http://127.0.0.1:" + api.port(), "--secret", TestApplication.WEBHOOK_SECRET)).isZero();

        var customer = api.customer(BUYER);
        assertThat(customer.get("/payment-sessions/" + checkout).json().get("status").asText()).isEqualTo("FAILED");
        assertThat(customer.get("/bookings/" + booking).json().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(customer.get("/bookings/" + booking + "/seats").json().findValuesAsText("status")).containsExactly("AVAILABLE");
    }

    private record Pending(String legacyId, String legacyBooking, String amount, int seats) {
    }

    /** The id the import gave the row of {@code table} it migrated from the legacy row {@code legacyId}. */
    private static String migrated(String table, String legacyId) throws Exception {
        try (Connection connection = database.connect()) {
            return rows(connection, "SELECT id::text FROM ticketing." + table + " WHERE legacy_id = ?", legacyId).get(0);
        }
    }
}

package io.ticketing.app.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketing.app.TestApplication;
import io.ticketing.app.TestApplication.Response;
import io.ticketing.migration.schema.SchemaInvariants;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import static io.ticketing.app.flow.EventCancellationFlowTest.open;
import static io.ticketing.app.flow.EventCancellationFlowTest.rows;
import static io.ticketing.app.flow.TicketingFlowTest.availableSeatIds;
import static io.ticketing.app.flow.TicketingFlowTest.paymentEvent;
import static io.ticketing.app.flow.TicketingFlowTest.publishedEventWithSeats;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A payment the provider takes after its checkout ended without a sale (cancelled by its customer, expired by the
 * server's sweeper, failed), over HTTP: the success is taken and refunded, whoever has the seats since keeps them.
 */
class LatePaymentFlowTest {

    /** A checkout that ended without a sale, how it ended, what it cost and why a payment for it is given back. */
    private record Ended(TestApplication.Caller customer, String session, String status, String amount, String reason) {
    }

    @Test
    void a_success_after_the_checkout_ended_is_taken_and_refunded_and_the_seats_stay_whose_they_are() throws Exception {
        try (TestApplication api = TestApplication.start()) {
            paidAfterTheirCheckoutsEnded(api);
        }
    }

    @Test
    void a_processing_or_failed_report_that_the_success_overtook_is_taken_and_changes_nothing() throws Exception {
        try (TestApplication api = TestApplication.start()) {
            String eventId = publishedEventWithSeats(api, 1, 2);
            var eve = api.customer("eve.overtaken@example.com");
            String session = open(eve, eventId, availableSeatIds(api, eventId).subList(0, 2));
            JsonNode paid = api.webhook(paymentEvent("evt-overtaken-paid", "succeeded", session, "100.00")).json();
            String booking = paid.get("booking").get("id").asText();
            List<String> seatsBefore = seatRows(api, eventId);

            // The provider sends its reports out of order, and retries each one until it is taken.
            for (String type : List.of("processing", "failed")) {
                Response stale = api.webhook(paymentEvent("evt-overtaken-" + type, type, session, "100.00"));
                assertThat(stale.status()).as(stale.toString()).isEqualTo(200);
                assertThat(stale.json().get("status").asText()).isEqualTo("applied");
                assertThat(stale.json().get("paymentSession").get("status").asText()).isEqualTo("SUCCEEDED");
                assertThat(stale.json().get("booking").get("status").asText()).isEqualTo("CONFIRMED");
                assertThat(stale.json().get("tickets").findValuesAsText("code"))
                        .containsExactlyInAnyOrderElementsOf(paid.get("tickets").findValuesAsText("code"));
            }

            assertThat(eve.get("/payment-sessions/" + session).json().get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(eve.get("/bookings/" + booking).json().get("status").asText()).isEqualTo("CONFIRMED");
            assertThat(eve.get("/bookings/" + booking + "/tickets").json().findValuesAsText("status")).containsExactly("VALID", "VALID");
            assertThat(seatRows(api, eventId)).isEqualTo(seatsBefore).allSatisfy(seat -> assertThat(seat).endsWith(" BOOKED"));
        }
    }

    private static void paidAfterTheirCheckoutsEnded(TestApplication api) throws Exception {
        String eventId = publishedEventWithSeats(api, 1, 4);
        List<String> seats = availableSeatIds(api, eventId);
        // Ann gives up on her checkout.
        var ann = api.customer("ann.late@example.com");
        String cancelled = open(ann, eventId, seats.subList(0, 1));
        assertThat(ann.post("/payment-sessions/" + cancelled + "/cancel", "").status()).isEqualTo(200);
        // Ben's checkout expires (the server's sweeper ends it), and Cleo buys his seat.
        var ben = api.customer("ben.late@example.com");
        String expired = open(ben, eventId, seats.subList(1, 2));
        awaitExpired(api, ben, expired);
        var cleo = api.customer("cleo.late@example.com");
        String cleoSession = open(cleo, eventId, seats.subList(1, 2));
        JsonNode cleoPaid = api.webhook(paymentEvent("evt-late-cleo-" + cleoSession, "succeeded", cleoSession, "50.00")).json();
        String cleoBooking = cleoPaid.get("booking").get("id").asText();
        // Dan's payment was being processed, then failed.
        var dan = api.customer("dan.late@example.com");
        String failed = open(dan, eventId, seats.subList(2, 4));
        String danBooking = api.webhook(paymentEvent("evt-late-dan-processing-" + failed, "processing", failed, "100.00"))
                .json().get("booking").get("id").asText();
        assertThat(api.webhook(paymentEvent("evt-late-dan-failed-" + failed, "failed", failed, "100.00",
                "pay_evt-late-dan-processing-" + failed)).status()).isEqualTo(200);
        List<Ended> ended = List.of(
                new Ended(ann, cancelled, "CANCELLED", "50.00", "paid after the checkout was cancelled"),
                new Ended(ben, expired, "EXPIRED", "50.00", "paid after the checkout expired"),
                new Ended(dan, failed, "FAILED", "100.00", "paid after the payment failed"));
        List<String> seatsBefore = seatRows(api, eventId);
        JsonNode statsBefore = api.admin().get("/events/" + eventId + "/stats").json();

        // Late `processing` and `failed` reports: taken (so that the provider stops retrying), nothing changes.
        for (Ended checkout : ended) {
            for (String type : List.of("processing", "failed")) {
                Response report = api.webhook(paymentEvent("evt-late-" + type + "-" + checkout.session(), type,
                        checkout.session(), checkout.amount()));
                assertThat(report.status()).as(report.toString()).isEqualTo(200);
                assertThat(report.json().get("status").asText()).isEqualTo("applied");
                assertThat(report.json().get("paymentSession").get("status").asText()).isEqualTo(checkout.status());
                assertThat(report.json().get("tickets")).isEmpty();
            }
        }
        assertThat(api.admin().get("/events/" + eventId + "/stats").json()).isEqualTo(statsBefore);
        assertThat(dan.get("/bookings/" + danBooking).json().get("status").asText()).isEqualTo("CANCELLED");

        // The money comes after all: taken, the booking paid and cancelled at once, no ticket; a second report of it
        // (another provider event id, the same payment) changes nothing more, a redelivery is a duplicate.
        for (Ended checkout : ended) {
            Response late = api.webhook(paymentEvent("evt-late-paid-" + checkout.session(), "succeeded", checkout.session(),
                    checkout.amount()));
            assertThat(late.status()).as(late.toString()).isEqualTo(200);
            assertThat(late.json().get("status").asText()).isEqualTo("applied");
            assertThat(late.json().get("paymentSession").get("status").asText()).isEqualTo(checkout.status());
            assertThat(late.json().get("booking").get("status").asText()).isEqualTo("CANCELLED");
            assertThat(late.json().get("tickets")).isEmpty();
            String booking = late.json().get("booking").get("id").asText();
            Response again = api.webhook(paymentEvent("evt-late-paid-again-" + checkout.session(), "succeeded",
                    checkout.session(), checkout.amount(), "pay_evt-late-paid-" + checkout.session()));
            assertThat(again.status()).as(again.toString()).isEqualTo(200);
            assertThat(again.json().get("booking").get("id").asText()).isEqualTo(booking);
            assertThat(api.webhook(paymentEvent("evt-late-paid-" + checkout.session(), "succeeded", checkout.session(),
                    checkout.amount())).json().get("status").asText()).isEqualTo("duplicate");
            assertThat(checkout.customer().get("/payment-sessions/" + checkout.session()).json().get("status").asText())
                    .isEqualTo(checkout.status());
            assertThat(checkout.customer().get("/bookings/" + booking).json().get("status").asText()).isEqualTo("CANCELLED");
        }
        assertThat(api.webhook(paymentEvent("evt-late-paid-" + failed, "succeeded", failed, "100.00")).json()
                .get("status").asText()).isEqualTo("duplicate");

        // Cleo keeps the seat she bought, and her ticket; no seat moved.
        assertThat(seatRows(api, eventId)).isEqualTo(seatsBefore);
        assertThat(cleo.get("/bookings/" + cleoBooking).json().get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(cleo.get("/bookings/" + cleoBooking + "/tickets").json().findValuesAsText("status")).containsExactly("VALID");
        // Stats: the three payments came in and went back out; Cleo's sale stands.
        JsonNode stats = api.admin().get("/events/" + eventId + "/stats").json();
        assertThat(stats.get("grossRevenue").get("amount").asText()).isEqualTo("250.00");
        assertThat(stats.get("refunds").get("amount").asText()).isEqualTo("200.00");
        assertThat(stats.get("confirmedBookings").asLong()).isEqualTo(1);
        assertThat(stats.get("ticketsSold").asLong()).isEqualTo(1);
        assertThat(stats.get("bookedSeats").asLong()).isEqualTo(1);
        assertThat(stats.get("availableSeats").asLong()).isEqualTo(3);
        try (Connection connection = api.database().connect()) {
            // One refund per late payment, for the checkout's amount, saying why.
            assertThat(rows(connection, "SELECT payment_session_id::text || ' ' || amount || ' ' || currency || ' ' || status"
                    + " || ' ' || reason FROM ticketing.refund_request WHERE event_id = ?::uuid", eventId))
                    .containsExactlyInAnyOrderElementsOf(ended.stream().map(checkout -> checkout.session() + " "
                            + checkout.amount() + " EUR REQUESTED " + checkout.reason()).toList());
            assertThat(rows(connection, "SELECT count(*)::text FROM ticketing.ticket WHERE event_id = ?::uuid", eventId))
                    .containsExactly("1");
            SchemaInvariants.count(connection).forEach((check, violations) -> assertThat(violations).as(check).isZero());
            assertThat(rows(connection, "SELECT event_id::text FROM ticketing.event_summary_drift WHERE event_id = ?::uuid", eventId))
                    .isEmpty();
        }
    }

    /** The checkout's time up now; the server's sweeper (every 200 ms here) expires it. */
    private static void awaitExpired(TestApplication api, TestApplication.Caller customer, String session) throws Exception {
        try (Connection connection = api.database().connect(); Statement statement = connection.createStatement()) {
            statement.execute("UPDATE ticketing.payment_session SET expires_at = now() - interval '1 second' WHERE id = '"
                    + session + "'");
        }
        for (int i = 0; i < 100 && !status(customer, session).equals("EXPIRED"); i++) {
            Thread.sleep(100);
        }
        assertThat(status(customer, session)).isEqualTo("EXPIRED");
    }

    private static String status(TestApplication.Caller customer, String session) {
        return customer.get("/payment-sessions/" + session).json().get("status").asText();
    }

    private static List<String> seatRows(TestApplication api, String eventId) throws Exception {
        try (Connection connection = api.database().connect()) {
            return rows(connection, "SELECT id::text || ' ' || status FROM ticketing.seat WHERE event_id = ?::uuid ORDER BY id",
                    eventId);
        }
    }
}

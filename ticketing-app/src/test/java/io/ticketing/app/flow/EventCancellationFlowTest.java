package io.ticketing.app.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketing.app.TestApplication;
import io.ticketing.app.TestApplication.Response;
import io.ticketing.migration.schema.SchemaInvariants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static io.ticketing.app.flow.TicketingFlowTest.availableSeatIds;
import static io.ticketing.app.flow.TicketingFlowTest.paymentEvent;
import static io.ticketing.app.flow.TicketingFlowTest.publishedEventWithSeats;
import static org.assertj.core.api.Assertions.assertThat;

/** Cancelling an event over HTTP: one request, then the cascade in the background, followed to its end. */
class EventCancellationFlowTest {

    private static TestApplication api;

    @BeforeAll
    static void start() {
        api = TestApplication.start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void cancelling_an_event_cancels_checkouts_and_bookings_refunds_paid_ones_blocks_seats_and_refuses_cancelled_tickets()
            throws Exception {
        String eventId = publishedEventWithSeats(api, 2, 5);
        List<String> seats = availableSeatIds(api, eventId);
        // Alice paid for two seats and came in with one ticket already (a rehearsal, say).
        var alice = api.customer("alice.cancel@example.com");
        String paidSession = open(alice, eventId, seats.subList(0, 2));
        JsonNode paid = api.webhook(paymentEvent("evt-cancel-paid-" + paidSession, "succeeded", paidSession, "100.00")).json();
        String paidBooking = paid.get("booking").get("id").asText();
        List<String> codes = paid.get("tickets").findValuesAsText("code");
        assertThat(api.staff().post("/tickets/" + codes.get(0) + "/check-in", "{\"eventId\":\"" + eventId + "\"}").status())
                .isEqualTo(200);
        // Bob's payment is being processed (a pending booking); Carol holds a seat in an open checkout.
        var bob = api.customer("bob.cancel@example.com");
        String processingSession = open(bob, eventId, seats.subList(2, 3));
        String pendingBooking = api.webhook(paymentEvent("evt-cancel-processing-" + processingSession, "processing",
                processingSession, "50.00")).json().get("booking").get("id").asText();
        var carol = api.customer("carol.cancel@example.com");
        String openSession = open(carol, eventId, seats.subList(3, 4));

        var admin = api.admin().with("Idempotency-Key", "cancel-" + eventId);
        String body = "{\"reason\":\"The headliner is ill\"}";
        Response cancelled = admin.post("/events/" + eventId + "/cancel", body);

        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(202);
        assertThat(cancelled.header("Location")).isEqualTo("/events/" + eventId + "/cancellation");
        JsonNode started = cancelled.json();
        assertThat(started.get("reason").asText()).isEqualTo("The headliner is ill");
        assertThat(started.get("requestedBy").asText()).isEqualTo("admin:test-admin");
        assertThat(started.get("bookings").get("total").asLong()).isEqualTo(2);
        assertThat(started.get("checkouts").get("total").asLong()).isEqualTo(2);
        assertThat(started.get("seats").get("total").asLong()).isEqualTo(10);
        // The same request again with the same key is the same answer; with another body it is refused.
        Response replayed = admin.post("/events/" + eventId + "/cancel", body);
        assertThat(replayed.status()).isEqualTo(202);
        assertThat(replayed.body()).isEqualTo(cancelled.body());
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replayed.header("Location")).isEqualTo("/events/" + eventId + "/cancellation");
        assertThat(admin.post("/events/" + eventId + "/cancel", "{\"reason\":\"Another reason\"}").status()).isEqualTo(422);

        JsonNode done = api.awaitCancellationDone(eventId);

        assertThat(done.get("bookings").get("done").asLong()).isEqualTo(2);
        assertThat(done.get("checkouts").get("done").asLong()).isEqualTo(2);
        assertThat(done.get("seats").get("done").asLong()).isEqualTo(10);
        assertThat(done.get("refundsRequested").asLong()).isEqualTo(1);
        assertThat(done.get("finishedAt").isNull()).isFalse();
        // Browsing shows the event cancelled and nothing for sale; nothing new can be bought.
        assertThat(api.anonymous().get("/events/" + eventId).json().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(availableSeatIds(api, eventId)).isEmpty();
        Response refused = api.customer("dave.cancel@example.com").post("/payment-sessions",
                "{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + seats.get(9) + "\"]}");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("code").asText()).isEqualTo("event-cancelled");
        // Bookings, checkouts and tickets.
        assertThat(alice.get("/bookings/" + paidBooking).json().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(bob.get("/bookings/" + pendingBooking).json().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(bob.get("/payment-sessions/" + processingSession).json().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(carol.get("/payment-sessions/" + openSession).json().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(alice.get("/bookings/" + paidBooking + "/tickets").json().findValuesAsText("status"))
                .containsExactlyInAnyOrder("USED", "CANCELLED");
        assertThat(alice.get("/bookings/" + paidBooking + "/seats").json().findValuesAsText("status")).containsOnly("BLOCKED");
        // A cancelled ticket admits nobody.
        Response scan = api.staff().post("/tickets/" + codes.get(1) + "/check-in", "{\"eventId\":\"" + eventId + "\"}");
        assertThat(scan.status()).isEqualTo(409);
        assertThat(scan.contentType()).startsWith("application/problem+json");
        assertThat(scan.json().get("code").asText()).isEqualTo("ticket-cancelled");
        // Stats from the triggers' summary: every seat blocked, the paid booking refunded, the used ticket kept.
        JsonNode stats = api.admin().get("/events/" + eventId + "/stats").json();
        assertThat(stats.get("blockedSeats").asLong()).isEqualTo(10);
        assertThat(stats.get("availableSeats").asLong()).isZero();
        assertThat(stats.get("reservedSeats").asLong()).isZero();
        assertThat(stats.get("bookedSeats").asLong()).isZero();
        assertThat(stats.get("confirmedBookings").asLong()).isZero();
        assertThat(stats.get("ticketsSold").asLong()).isEqualTo(1);
        assertThat(stats.get("ticketsCheckedIn").asLong()).isEqualTo(1);
        assertThat(stats.get("grossRevenue").get("amount").asText()).isEqualTo("100.00");
        assertThat(stats.get("refunds").get("amount").asText()).isEqualTo("100.00");
        // The audit trail says who cancelled and why.
        List<JsonNode> audit = new ArrayList<>();
        api.admin().get("/admin/audit-log?limit=100&eventId=" + eventId).json().get("items").forEach(entry -> {
            if (entry.get("entityType").asText().equals("event_cancellation") && entry.get("action").asText().equals("INSERT")) {
                audit.add(entry);
            }
        });
        assertThat(audit).singleElement().satisfies(inserted -> {
            assertThat(inserted.get("actor").asText()).isEqualTo("admin:test-admin");
            assertThat(inserted.get("newValues").get("reason").asText()).isEqualTo("The headliner is ill");
        });

        try (Connection connection = api.database().connect()) {
            // The refund outbox: one request per confirmed booking, for its amount.
            assertThat(rows(connection, "SELECT booking_id::text || ' ' || amount || ' ' || currency || ' ' || status"
                    + " FROM ticketing.refund_request WHERE event_id = ?::uuid", eventId))
                    .containsExactly(paidBooking + " 100.00 EUR REQUESTED");
            // The seat and claim rules hold, and the summary has not drifted from a recount.
            SchemaInvariants.count(connection).forEach((check, violations) -> assertThat(violations).as(check).isZero());
            assertThat(rows(connection, "SELECT event_id::text FROM ticketing.event_summary_drift WHERE event_id = ?::uuid", eventId))
                    .isEmpty();
        }

        // Carol's payment went through after all: accepted, and refunded; no ticket, no seat.
        Response late = api.webhook(paymentEvent("evt-cancel-late-" + openSession, "succeeded", openSession, "50.00"));
        assertThat(late.status()).as(late.toString()).isEqualTo(200);
        assertThat(late.json().get("status").asText()).isEqualTo("applied");
        assertThat(late.json().get("booking").get("status").asText()).isEqualTo("CANCELLED");
        assertThat(late.json().get("tickets")).isEmpty();
        assertThat(carol.get("/payment-sessions/" + openSession).json().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(api.admin().get("/events/" + eventId + "/stats").json().get("refunds").get("amount").asText()).isEqualTo("150.00");
        try (Connection connection = api.database().connect()) {
            assertThat(rows(connection, "SELECT amount || ' ' || reason FROM ticketing.refund_request WHERE event_id = ?::uuid"
                    + " ORDER BY requested_at", eventId)).containsExactly("100.00 The headliner is ill",
                    "50.00 paid after the event was cancelled");
            SchemaInvariants.count(connection).forEach((check, violations) -> assertThat(violations).as(check).isZero());
        }

        // Bob's provider reports late that his payment failed, or is still processing: taken (2xx, so that the
        // provider stops retrying), and nothing changes.
        JsonNode statsBeforeLateReports = api.admin().get("/events/" + eventId + "/stats").json();
        for (String type : List.of("failed", "processing")) {
            Response report = api.webhook(paymentEvent("evt-cancel-late-" + type + "-" + processingSession, type,
                    processingSession, "50.00"));
            assertThat(report.status()).as(report.toString()).isEqualTo(200);
            assertThat(report.json().get("status").asText()).isEqualTo("applied");
            assertThat(report.json().get("paymentSession").get("status").asText()).isEqualTo("CANCELLED");
        }
        assertThat(bob.get("/payment-sessions/" + processingSession).json().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(bob.get("/bookings/" + pendingBooking).json().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(api.admin().get("/events/" + eventId + "/stats").json()).isEqualTo(statsBeforeLateReports);
        try (Connection connection = api.database().connect()) {
            assertThat(rows(connection, "SELECT count(*)::text FROM ticketing.refund_request WHERE event_id = ?::uuid", eventId))
                    .containsExactly("2");
        }
    }

    @Test
    void payments_that_succeed_while_the_event_is_being_cancelled_get_no_ticket_each_is_refunded_once_and_the_counts_add_up()
            throws Exception {
        String eventId = publishedEventWithSeats(api, 2, 10);
        List<String> seats = availableSeatIds(api, eventId);
        List<String> checkouts = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            checkouts.add(open(api.customer("racer" + i + ".cancel@example.com"), eventId, seats.subList(i, i + 1)));
        }

        // The payments come in while the cancellation starts and its worker runs its batches.
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Response>> answers = new ArrayList<>();
            for (String checkout : checkouts.subList(0, 8)) {
                answers.add(pool.submit(() -> api.webhook(paymentEvent("evt-race-" + checkout, "succeeded", checkout, "50.00"))));
            }
            Response cancelled = api.admin().post("/events/" + eventId + "/cancel", "{\"reason\":\"Flooded\"}");
            assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(202);
            for (String checkout : checkouts.subList(8, 16)) {
                answers.add(pool.submit(() -> api.webhook(paymentEvent("evt-race-" + checkout, "succeeded", checkout, "50.00"))));
            }
            for (var answer : answers) {
                Response paid = answer.get();
                assertThat(paid.status()).as(paid.toString()).isEqualTo(200);
                // Confirmed before the cancellation began (then cancelled by it), or cancelled at once: never left live.
                assertThat(paid.json().get("booking").get("status").asText()).isIn("CONFIRMED", "CANCELLED");
            }
        } finally {
            pool.shutdownNow();
        }
        JsonNode done = api.awaitCancellationDone(eventId);

        for (String counter : List.of("bookings", "checkouts", "seats")) {
            assertThat(done.get(counter).get("done").asLong()).as(counter).isEqualTo(done.get(counter).get("total").asLong());
        }
        assertThat(done.get("seats").get("done").asLong()).isEqualTo(20);
        try (Connection connection = api.database().connect()) {
            // Each checkout's money is given back once, whichever way it came: no booking live, no ticket valid.
            assertThat(rows(connection, "SELECT payment_session_id::text FROM ticketing.refund_request WHERE event_id = ?::uuid", eventId))
                    .containsExactlyInAnyOrderElementsOf(checkouts);
            assertThat(rows(connection, "SELECT id::text FROM ticketing.booking WHERE event_id = ?::uuid AND status <> 'CANCELLED'", eventId))
                    .isEmpty();
            assertThat(rows(connection, "SELECT id::text FROM ticketing.ticket WHERE event_id = ?::uuid AND status = 'VALID'", eventId))
                    .isEmpty();
            SchemaInvariants.count(connection).forEach((check, violations) -> assertThat(violations).as(check).isZero());
            assertThat(rows(connection, "SELECT event_id::text FROM ticketing.event_summary_drift WHERE event_id = ?::uuid", eventId))
                    .isEmpty();
        }
    }

    @Test
    void cancelling_needs_a_reason_and_an_event_and_only_admins_follow_it() {
        String eventId = publishedEventWithSeats(api, 1, 2);

        Response noReason = api.admin().post("/events/" + eventId + "/cancel", "{}");
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.json().get("code").asText()).isEqualTo("invalid-value");
        Response tooLong = api.admin().post("/events/" + eventId + "/cancel", "{\"reason\":\"" + "x".repeat(501) + "\"}");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().get("detail").asText()).contains("reason");
        assertThat(api.admin().post("/events/" + eventId + "/cancel", "{\"reason\":\"x\",\"when\":\"now\"}").json()
                .get("code").asText()).isEqualTo("unknown-field");
        assertThat(api.admin().post("/events/" + eventId + "/cancel", "").status()).isEqualTo(400);
        // Printed on an operator's terminal and in the audit trail: one line, no escape sequence.
        for (String reason : List.of("a\\u001b[31mRED\\u001b[0m", "first\\nsecond", "tab\\there")) {
            Response controlled = api.admin().post("/events/" + eventId + "/cancel", "{\"reason\":\"" + reason + "\"}");
            assertThat(controlled.status()).as(reason).isEqualTo(400);
            assertThat(controlled.json().get("detail").asText()).contains("reason must not contain control characters");
        }
        assertThat(api.admin().get("/events/" + eventId + "/cancellation").status()).isEqualTo(404);
        assertThat(api.anonymous().get("/events/" + eventId).json().get("status").asText()).isEqualTo("PUBLISHED");
        assertThat(api.admin().post("/events/00000000-0000-7000-8000-000000000000/cancel", "{\"reason\":\"x\"}").status())
                .isEqualTo(404);

        assertThat(api.admin().post("/events/" + eventId + "/cancel", "{\"reason\":\"Storm\"}").status()).isEqualTo(202);
        assertThat(api.staff().get("/events/" + eventId + "/cancellation").status()).isEqualTo(403);
        assertThat(api.customer("erin.cancel@example.com").get("/events/" + eventId + "/cancellation").status()).isEqualTo(403);
        api.awaitCancellationDone(eventId);
        // Cancelling again answers the cancellation as it is, with its first reason.
        Response again = api.admin().post("/events/" + eventId + "/cancel", "{\"reason\":\"Another storm\"}");
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().get("reason").asText()).isEqualTo("Storm");
        assertThat(again.json().get("state").asText()).isEqualTo("DONE");
    }

    static String open(TestApplication.Caller customer, String eventId, List<String> seats) {
        Response opened = customer.post("/payment-sessions", "{\"eventId\":\"" + eventId + "\",\"seatIds\":["
                + String.join(",", seats.stream().map(seat -> "\"" + seat + "\"").toList()) + "]}");
        assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
        return opened.json().get("id").asText();
    }

    /** The first column of each row {@code sql} returns for its one parameter. */
    static List<String> rows(Connection connection, String sql, String parameter) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            List<String> values = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    values.add(result.getString(1));
                }
            }
            return values;
        }
    }
}

package io.ticketing.app.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketing.app.TestApplication;
import io.ticketing.app.TestApplication.Response;
import io.ticketing.domain.testing.contract.RecordingRefundProvider;
import io.ticketing.migration.schema.SchemaInvariants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;

import static io.ticketing.app.flow.EventCancellationFlowTest.rows;
import static io.ticketing.app.flow.TicketingFlowTest.availableSeatIds;
import static io.ticketing.app.flow.TicketingFlowTest.paymentEvent;
import static io.ticketing.app.flow.TicketingFlowTest.publishedEventWithSeats;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cancelled event's refunds over HTTP: the server's refund worker sends each to the provider once, and the
 * provider's signed `refunded` report completes it (the refund and the cancelled tickets REFUNDED).
 */
class RefundFlowTest {

    private static final RecordingRefundProvider PROVIDER = new RecordingRefundProvider();
    private static TestApplication api;

    @BeforeAll
    static void start() {
        api = TestApplication.startWithRefundsTo(PROVIDER);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void a_cancelled_events_refund_is_sent_once_and_the_refunded_report_refunds_the_tickets_once() throws Exception {
        String eventId = publishedEventWithSeats(api, 1, 4);
        List<String> seats = availableSeatIds(api, eventId);
        var alice = api.customer("alice.refund@example.com");
        String session = open(alice, eventId, seats.subList(0, 2));
        JsonNode paid = api.webhook(paymentEvent("evt-refund-paid-" + session, "succeeded", session, "100.00")).json();
        String booking = paid.get("booking").get("id").asText();
        List<String> codes = paid.get("tickets").findValuesAsText("code");
        assertThat(api.staff().post("/tickets/" + codes.get(0) + "/check-in", "{\"eventId\":\"" + eventId + "\"}").status())
                .isEqualTo(200);
        // A checkout paid on another event, never cancelled: it has no refund to report.
        String otherEvent = publishedEventWithSeats(api, 1, 1);
        String kept = open(alice, otherEvent, availableSeatIds(api, otherEvent));
        assertThat(api.webhook(paymentEvent("evt-refund-kept-" + kept, "succeeded", kept, "50.00")).status()).isEqualTo(200);

        assertThat(api.admin().post("/events/" + eventId + "/cancel", "{\"reason\":\"Flooded venue\"}").status()).isEqualTo(202);

        // The server's worker sends the refund to the provider, once, under the booking's key.
        String sent = await(eventId, "SENT");
        assertThat(sent).isEqualTo("SENT 1 re_refund-" + booking);
        // (The provider is shared by this class's tests: each looks at its own payments.)
        assertThat(PROVIDER.callsByKey()).containsEntry("refund-" + booking, 1);
        assertThat(PROVIDER.refunded()).filteredOn(refund -> refund.providerPaymentRef().equals("pay_evt-refund-kept-" + kept))
                .as("the other event's payment is kept").isEmpty();
        assertThat(PROVIDER.refunded()).filteredOn(refund -> refund.idempotencyKey().equals("refund-" + booking)).singleElement().satisfies(refund -> {
            assertThat(refund.providerPaymentRef()).isEqualTo("pay_evt-refund-paid-" + session);
            assertThat(refund.amount().amount()).isEqualByComparingTo("100.00");
        });
        JsonNode statsBefore = api.admin().get("/events/" + eventId + "/stats").json();

        // An amount other than the refund's settles nothing.
        Response mismatch = api.webhook(refunded("evt-refunded-wrong-" + session, session, "10.00"));
        assertThat(mismatch.status()).as(mismatch.toString()).isEqualTo(422);
        assertThat(mismatch.contentType()).startsWith("application/problem+json");
        assertThat(mismatch.json().get("code").asText()).isEqualTo("payment-amount-mismatch");

        // The provider reports the refund: the request REFUNDED, the cancelled ticket REFUNDED, the used one kept.
        Response applied = api.webhook(refunded("evt-refunded-" + session, session, "100.00"));
        assertThat(applied.status()).as(applied.toString()).isEqualTo(200);
        assertThat(applied.json().get("status").asText()).isEqualTo("applied");
        assertThat(applied.json().get("refund").get("status").asText()).isEqualTo("REFUNDED");
        assertThat(applied.json().get("refund").get("bookingId").asText()).isEqualTo(booking);
        assertThat(applied.json().get("refund").get("amount").get("amount").asText()).isEqualTo("100.00");
        assertThat(applied.json().get("tickets").findValuesAsText("status")).containsExactlyInAnyOrder("USED", "REFUNDED");
        assertThat(alice.get("/bookings/" + booking + "/tickets").json().findValuesAsText("status"))
                .containsExactlyInAnyOrder("USED", "REFUNDED");

        // Delivered again: a duplicate, nothing changes; reported again under another event id: nothing changes either.
        Response duplicate = api.webhook(refunded("evt-refunded-" + session, session, "100.00"));
        assertThat(duplicate.status()).isEqualTo(200);
        assertThat(duplicate.json().get("status").asText()).isEqualTo("duplicate");
        Response again = api.webhook(refunded("evt-refunded-again-" + session, session, "100.00"));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("refund").get("status").asText()).isEqualTo("REFUNDED");
        assertThat(again.json().get("tickets").findValuesAsText("status")).containsExactlyInAnyOrder("USED", "REFUNDED");

        // A checkout without a refund request, or no checkout at all: not found (and not recorded, so a later
        // delivery after the refund exists would apply).
        Response unknown = api.webhook(refunded("evt-refunded-kept-" + kept, kept, "50.00"));
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
        assertThat(unknown.json().get("code").asText()).isEqualTo("not-found");
        assertThat(api.webhook(refunded("evt-refunded-nobody", "00000000-0000-7000-8000-000000000000", "1.00")).status())
                .isEqualTo(404);

        // The money was counted as refunded when the booking was cancelled: the report moves no sum.
        JsonNode stats = api.admin().get("/events/" + eventId + "/stats").json();
        assertThat(stats).isEqualTo(statsBefore);
        assertThat(stats.get("refunds").get("amount").asText()).isEqualTo("100.00");
        assertThat(stats.get("ticketsSold").asLong()).isEqualTo(1);
        assertThat(stats.get("ticketsCheckedIn").asLong()).isEqualTo(1);
        try (Connection connection = api.database().connect()) {
            assertThat(rows(connection, "SELECT status || ' ' || attempts || ' ' || provider_refund_ref || ' '"
                    + " || (completed_at IS NOT NULL) FROM ticketing.refund_request WHERE event_id = ?::uuid", eventId))
                    .containsExactly("REFUNDED 1 re_refund-" + booking + " true");
            assertThat(rows(connection, "SELECT DISTINCT actor FROM ticketing.audit_log WHERE entity_type = 'refund_request'"
                    + " AND action = 'UPDATE' AND event_id = ?::uuid ORDER BY actor", eventId))
                    .containsExactly("system:payment-webhook", "system:refund-worker");
            SchemaInvariants.count(connection).forEach((check, violations) -> assertThat(violations).as(check).isZero());
            assertThat(rows(connection, "SELECT event_id::text FROM ticketing.event_summary_drift WHERE event_id = ?::uuid", eventId))
                    .isEmpty();
        }
        assertThat(PROVIDER.callsByKey()).as("sent once, whatever happened after").containsEntry("refund-" + booking, 1);
    }

    @Test
    void a_customer_cancelling_a_paid_booking_is_refunded_through_the_outbox_and_the_refunded_report() throws Exception {
        String eventId = publishedEventWithSeats(api, 1, 3);
        var bob = api.customer("bob.refund@example.com");
        String session = open(bob, eventId, availableSeatIds(api, eventId).subList(0, 2));
        JsonNode paid = api.webhook(paymentEvent("evt-own-paid-" + session, "succeeded", session, "100.00")).json();
        String booking = paid.get("booking").get("id").asText();
        String code = paid.get("tickets").findValuesAsText("code").get(0);

        Response cancelled = bob.post("/bookings/" + booking + "/cancel", "");
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asText()).isEqualTo("CANCELLED");

        // No ticket admits from now on; the refund is owed in the outbox, and the worker sends it once.
        assertThat(bob.get("/bookings/" + booking + "/tickets").json().findValuesAsText("status")).containsOnly("CANCELLED");
        Response door = api.staff().post("/tickets/" + code + "/check-in", "{\"eventId\":\"" + eventId + "\"}");
        assertThat(door.status()).isEqualTo(409);
        assertThat(door.json().get("code").asText()).isEqualTo("ticket-cancelled");
        assertThat(await(eventId, "SENT")).isEqualTo("SENT 1 re_refund-" + booking);
        assertThat(PROVIDER.callsByKey()).containsEntry("refund-" + booking, 1);

        Response applied = api.webhook(refunded("evt-own-refunded-" + session, session, "100.00"));
        assertThat(applied.status()).as(applied.toString()).isEqualTo(200);
        assertThat(applied.json().get("refund").get("status").asText()).isEqualTo("REFUNDED");
        assertThat(bob.get("/bookings/" + booking + "/tickets").json().findValuesAsText("status")).containsOnly("REFUNDED");
        assertThat(api.admin().get("/events/" + eventId + "/stats").json().get("refunds").get("amount").asText()).isEqualTo("100.00");
        try (Connection connection = api.database().connect()) {
            assertThat(rows(connection, "SELECT actor || ' ' || (new_values ->> 'reason') FROM ticketing.audit_log"
                    + " WHERE entity_type = 'refund_request' AND action = 'INSERT' AND event_id = ?::uuid", eventId))
                    .singleElement().asString().matches("customer:[0-9a-f-]{36} booking cancelled by customer:[0-9a-f-]{36}");
            SchemaInvariants.count(connection).forEach((check, violations) -> assertThat(violations).as(check).isZero());
        }
    }

    @Test
    void a_checkout_the_provider_charged_twice_keeps_its_booking_and_the_second_payment_is_refunded_by_its_reference() throws Exception {
        String eventId = publishedEventWithSeats(api, 1, 2);
        var carol = api.customer("carol.twice@example.com");
        String session = open(carol, eventId, availableSeatIds(api, eventId).subList(0, 1));
        JsonNode first = api.webhook(paymentEvent("evt-twice-1-" + session, "succeeded", session, "50.00")).json();
        String booking = first.get("booking").get("id").asText();

        // Two payment pages were open: the provider took the money twice, under two references.
        Response second = api.webhook(paymentEvent("evt-twice-2-" + session, "succeeded", session, "50.00"));

        assertThat(second.status()).as(second.toString()).isEqualTo(200);
        assertThat(second.json().get("paymentSession").get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(second.json().get("paymentSession").get("providerReference").asText()).isEqualTo("pay_evt-twice-1-" + session);
        assertThat(second.json().get("tickets")).isEmpty();
        String standIn = second.json().get("booking").get("id").asText();
        assertThat(standIn).isNotEqualTo(booking);
        assertThat(second.json().get("booking").get("status").asText()).isEqualTo("CANCELLED");
        assertThat(carol.get("/bookings/" + booking).json().get("status").asText()).as("the sale stands").isEqualTo("CONFIRMED");
        assertThat(carol.get("/bookings/" + booking + "/tickets").json().findValuesAsText("status")).containsExactly("VALID");

        // The worker refunds the second payment, named by its own reference; the provider's report settles it.
        assertThat(await(eventId, "SENT")).isEqualTo("SENT 1 re_refund-" + standIn);
        assertThat(PROVIDER.refunded()).filteredOn(refund -> refund.idempotencyKey().equals("refund-" + standIn))
                .singleElement().satisfies(refund -> assertThat(refund.providerPaymentRef()).isEqualTo("pay_evt-twice-2-" + session));
        Response settled = api.webhook("""
                {"id":"evt-twice-refunded-%1$s","type":"refunded","paymentSessionId":"%1$s","amount":"50.00","currency":"EUR","providerReference":"re_refund-%2$s"}
                """.formatted(session, standIn));
        assertThat(settled.status()).as(settled.toString()).isEqualTo(200);
        assertThat(settled.json().get("refund").get("bookingId").asText()).isEqualTo(standIn);
        assertThat(settled.json().get("refund").get("status").asText()).isEqualTo("REFUNDED");
        JsonNode stats = api.admin().get("/events/" + eventId + "/stats").json();
        assertThat(stats.get("grossRevenue").get("amount").asText()).isEqualTo("100.00");
        assertThat(stats.get("refunds").get("amount").asText()).isEqualTo("50.00");
        assertThat(stats.get("confirmedBookings").asLong()).isEqualTo(1);
        try (Connection connection = api.database().connect()) {
            SchemaInvariants.count(connection).forEach((check, violations) -> assertThat(violations).as(check).isZero());
        }
    }

    @Test
    void a_payment_of_the_amount_before_the_customer_added_a_seat_is_refunded_and_the_checkout_still_sells() throws Exception {
        String eventId = publishedEventWithSeats(api, 1, 2);
        var dave = api.customer("dave.added@example.com");
        List<String> seats = availableSeatIds(api, eventId);
        String session = open(dave, eventId, seats.subList(0, 1));
        // The provider's payment page shows 50.00; the customer adds a seat in another tab, and pays the page.
        Response grown = dave.post("/payment-sessions/" + session + "/seats", "{\"seatIds\":[\"" + seats.get(1) + "\"]}");
        assertThat(grown.json().get("amount").get("amount").asText()).as(grown.toString()).isEqualTo("100.00");

        Response processing = api.webhook(paymentEvent("evt-old-processing-" + session, "processing", session, "50.00", "pay_old"));
        Response paidBefore = api.webhook(paymentEvent("evt-old-" + session, "succeeded", session, "50.00", "pay_old"));

        assertThat(processing.status()).as(processing.toString()).isEqualTo(200);
        assertThat(processing.json().get("paymentSession").get("status").asText()).isEqualTo("OPEN");
        assertThat(paidBefore.status()).as(paidBefore.toString()).isEqualTo(200);
        assertThat(paidBefore.json().get("paymentSession").get("status").asText()).isEqualTo("OPEN");
        assertThat(paidBefore.json().get("tickets")).isEmpty();
        String standIn = paidBefore.json().get("booking").get("id").asText();
        assertThat(paidBefore.json().get("booking").get("status").asText()).isEqualTo("CANCELLED");
        assertThat(paidBefore.json().get("booking").get("total").get("amount").asText()).isEqualTo("50.00");
        assertThat(dave.get("/bookings").json().findValuesAsText("id")).as("the customer sees the money coming back").contains(standIn);
        assertThat(await(eventId, "SENT")).isEqualTo("SENT 1 re_refund-" + standIn);
        assertThat(PROVIDER.refunded()).filteredOn(refund -> refund.idempotencyKey().equals("refund-" + standIn))
                .singleElement().satisfies(refund -> {
                    assertThat(refund.providerPaymentRef()).isEqualTo("pay_old");
                    assertThat(refund.amount().amount()).isEqualByComparingTo("50.00");
                });

        // The checkout's own amount still sells both seats.
        Response paid = api.webhook(paymentEvent("evt-new-" + session, "succeeded", session, "100.00", "pay_new"));
        assertThat(paid.status()).as(paid.toString()).isEqualTo(200);
        assertThat(paid.json().get("booking").get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(paid.json().get("tickets")).hasSize(2);
        JsonNode stats = api.admin().get("/events/" + eventId + "/stats").json();
        assertThat(stats.get("grossRevenue").get("amount").asText()).isEqualTo("150.00");
        assertThat(stats.get("refunds").get("amount").asText()).isEqualTo("50.00");
        try (Connection connection = api.database().connect()) {
            SchemaInvariants.count(connection).forEach((check, violations) -> assertThat(violations).as(check).isZero());
        }
    }

    @Test
    void a_refunded_report_follows_the_strict_body_rules() {
        Response badType = api.webhook("""
                {"id":"evt-refund-type","type":"Refunded","paymentSessionId":"00000000-0000-7000-8000-000000000000","amount":"1.00","currency":"EUR"}""");
        assertThat(badType.status()).isEqualTo(400);
        assertThat(badType.json().get("detail").asText()).contains("refunded");
        Response unsigned = api.rawWebhook(refunded("evt-refund-unsigned", "00000000-0000-7000-8000-000000000000", "1.00"), null);
        assertThat(unsigned.status()).isEqualTo(401);
        Response noAmount = api.webhook("""
                {"id":"evt-refund-no-amount","type":"refunded","paymentSessionId":"00000000-0000-7000-8000-000000000000"}""");
        assertThat(noAmount.status()).isEqualTo(404);
    }

    private static String refunded(String id, String session, String amount) {
        return """
                {"id":"%s","type":"refunded","paymentSessionId":"%s","amount":"%s","currency":"EUR","providerReference":"re_%s"}
                """.formatted(id, session, amount, id);
    }

    private static String open(TestApplication.Caller customer, String eventId, List<String> seats) {
        Response opened = customer.post("/payment-sessions", "{\"eventId\":\"" + eventId + "\",\"seatIds\":["
                + String.join(",", seats.stream().map(seat -> "\"" + seat + "\"").toList()) + "]}");
        assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
        return opened.json().get("id").asText();
    }

    /** The server's workers cancel the event and send its refund; the outbox row says when. */
    private static String await(String eventId, String status) throws Exception {
        for (int i = 0; i < 200; i++) {
            try (Connection connection = api.database().connect()) {
                List<String> refunds = rows(connection, "SELECT status || ' ' || attempts || ' ' || coalesce(provider_refund_ref, '-')"
                        + " FROM ticketing.refund_request WHERE event_id = ?::uuid", eventId);
                if (refunds.size() == 1 && refunds.get(0).startsWith(status + " ")) {
                    return refunds.get(0);
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the refund of event " + eventId + " was not " + status + " in 20 seconds");
    }
}

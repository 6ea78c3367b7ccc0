package io.ticketing.app.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketing.app.TestApplication;
import io.ticketing.app.TestApplication.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole ticketing flow over real HTTP on a real database, as the README's tour walks it. */
class TicketingFlowTest {

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
    void browse_check_out_pay_receive_tickets_check_in_read_stats_and_refund() {
        String eventId = publishedEventWithSeats(api, 2, 5);

        // Anyone browses upcoming events and available seats.
        assertThat(api.anonymous().get("/events").json().findValuesAsText("id")).contains(eventId);
        List<String> seats = availableSeatIds(api, eventId);
        assertThat(seats).hasSize(10);

        // A customer opens a checkout for two seats and adds a third.
        var alice = api.customer("alice@example.com");
        Response opened = alice.post("/payment-sessions", "{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + seats.get(0) + "\",\"" + seats.get(1) + "\"]}");
        assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
        String sessionId = opened.json().get("id").asText();
        assertThat(opened.json().get("status").asText()).isEqualTo("OPEN");
        Response added = alice.post("/payment-sessions/" + sessionId + "/seats", "{\"seatIds\":[\"" + seats.get(2) + "\"]}");
        assertThat(added.status()).as(added.toString()).isEqualTo(200);
        assertThat(added.json().get("amount").get("amount").asText()).isEqualTo("150.00");
        assertThat(availableSeatIds(api, eventId)).hasSize(7).doesNotContain(seats.get(0), seats.get(1), seats.get(2));

        // The provider reports the payment; the booking is confirmed with one ticket per seat.
        Response paid = api.webhook(paymentEvent("evt-1", "succeeded", sessionId, "150.00"));
        assertThat(paid.status()).as(paid.toString()).isEqualTo(200);
        JsonNode booking = paid.json().get("booking");
        assertThat(booking.get("status").asText()).isEqualTo("CONFIRMED");
        String bookingId = booking.get("id").asText();
        JsonNode tickets = alice.get("/bookings/" + bookingId + "/tickets").json();
        assertThat(tickets).hasSize(3);
        assertThat(alice.get("/bookings").json().get("items").findValuesAsText("id")).containsExactly(bookingId);
        assertThat(alice.get("/bookings/" + bookingId + "/seats").json().findValuesAsText("id"))
                .containsExactlyInAnyOrder(seats.get(0), seats.get(1), seats.get(2));

        // The same provider event delivered again changes nothing.
        Response again = api.webhook(paymentEvent("evt-1", "succeeded", sessionId, "150.00"));
        assertThat(again.json().get("status").asText()).isEqualTo("duplicate");

        // The door looks a ticket up by its code; another customer cannot.
        String code = tickets.get(0).get("code").asText();
        assertThat(api.staff().get("/tickets/" + code).json().get("seatId").asText()).isIn(seats.subList(0, 3));
        assertThat(alice.get("/tickets/" + code).status()).isEqualTo(200);
        assertThat(api.customer("mallory@example.com").get("/tickets/" + code).status()).isEqualTo(404);

        // The door checks a ticket in once.
        Response checkedIn = api.staff().post("/tickets/" + code + "/check-in", "{\"eventId\":\"" + eventId + "\"}");
        assertThat(checkedIn.status()).as(checkedIn.toString()).isEqualTo(200);
        assertThat(checkedIn.json().get("status").asText()).isEqualTo("USED");
        Response secondScan = api.staff().post("/tickets/" + code + "/check-in", "{\"eventId\":\"" + eventId + "\"}");
        assertThat(secondScan.status()).isEqualTo(409);
        assertThat(secondScan.contentType()).startsWith("application/problem+json");
        assertThat(secondScan.json().get("code").asText()).isEqualTo("ticket-already-used");

        // Stats come from the summary the triggers keep.
        JsonNode stats = api.admin().get("/events/" + eventId + "/stats").json();
        assertThat(stats.get("bookedSeats").asLong()).isEqualTo(3);
        assertThat(stats.get("availableSeats").asLong()).isEqualTo(7);
        assertThat(stats.get("ticketsSold").asLong()).isEqualTo(3);
        assertThat(stats.get("ticketsCheckedIn").asLong()).isEqualTo(1);
        assertThat(stats.get("grossRevenue").get("amount").asText()).isEqualTo("150.00");

        // Sales analytics, refreshed on demand.
        JsonNode sales = api.admin().post("/analytics/sales/refresh", "").json();
        assertThat(sales.findValuesAsText("eventId")).contains(eventId);
    }

    @Test
    void a_failed_payment_releases_the_seats() {
        String eventId = publishedEventWithSeats(api, 1, 4);
        List<String> seats = availableSeatIds(api, eventId);
        var bob = api.customer("bob@example.com");
        String sessionId = bob.post("/payment-sessions", "{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + seats.get(0) + "\"]}")
                .json().get("id").asText();

        Response failed = api.webhook(paymentEvent("evt-fail-" + sessionId, "failed", sessionId, "50.00"));

        assertThat(failed.status()).as(failed.toString()).isEqualTo(200);
        assertThat(bob.get("/payment-sessions/" + sessionId).json().get("status").asText()).isEqualTo("FAILED");
        assertThat(availableSeatIds(api, eventId)).contains(seats.get(0));
    }

    @Test
    void cancelling_a_confirmed_booking_cancels_its_tickets_owes_its_refund_and_releases_its_seats() {
        String eventId = publishedEventWithSeats(api, 1, 3);
        List<String> seats = availableSeatIds(api, eventId);
        var carol = api.customer("carol@example.com");
        String sessionId = carol.post("/payment-sessions", "{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + seats.get(0) + "\"]}")
                .json().get("id").asText();
        String bookingId = api.webhook(paymentEvent("evt-refund-" + sessionId, "succeeded", sessionId, "50.00"))
                .json().get("booking").get("id").asText();

        Response cancelled = carol.post("/bookings/" + bookingId + "/cancel", "");

        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asText()).isEqualTo("CANCELLED");
        // REFUNDED once the provider reports the money back (RefundFlowTest); until then no ticket admits.
        assertThat(carol.get("/bookings/" + bookingId + "/tickets").json().findValuesAsText("status")).containsOnly("CANCELLED");
        assertThat(availableSeatIds(api, eventId)).contains(seats.get(0));
        assertThat(api.admin().get("/events/" + eventId + "/stats").json().get("refunds").get("amount").asText()).isEqualTo("50.00");
        // The audit trail names the customer who cancelled, once prefixed with the role.
        JsonNode audit = api.admin().get("/admin/audit-log?entityType=booking&entityId=" + bookingId).json().get("items");
        assertThat(audit.get(0).get("actor").asText()).matches("customer:[0-9a-f-]{36}");
    }

    @Test
    void a_soft_deleted_event_disappears_from_customers_and_can_be_restored() {
        String eventId = publishedEventWithSeats(api, 1, 2);

        assertThat(api.admin().delete("/events/" + eventId).status()).isEqualTo(200);
        assertThat(api.anonymous().get("/events").json().findValuesAsText("id")).doesNotContain(eventId);
        assertThat(api.anonymous().get("/events/" + eventId).status()).isEqualTo(404);
        assertThat(api.customer("dave@example.com").post("/payment-sessions",
                "{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + UUID.randomUUID() + "\"]}").status()).isIn(404, 409);

        assertThat(api.admin().get("/admin/events?includeDeleted=true&limit=100").json().get("items").findValuesAsText("id"))
                .contains(eventId);
        assertThat(api.admin().get("/admin/events?limit=100").json().get("items").findValuesAsText("id")).doesNotContain(eventId);

        assertThat(api.admin().post("/events/" + eventId + "/restore", "").status()).isEqualTo(200);
        assertThat(api.anonymous().get("/events").json().findValuesAsText("id")).contains(eventId);

        // The audit trail tells who did what, newest first.
        JsonNode audit = api.admin().get("/admin/audit-log?entityType=event&entityId=" + eventId).json().get("items");
        assertThat(audit.findValuesAsText("actor")).containsOnly("admin:test-admin");
        assertThat(audit.get(0).get("action").asText()).isEqualTo("UPDATE");
        assertThat(audit.get(0).get("newValues").get("is_deleted").asBoolean()).isFalse();
        assertThat(audit.get(1).get("newValues").get("is_deleted").asBoolean()).isTrue();
    }

    @Test
    void anyone_reads_every_upcoming_event_page_by_page_each_once() {
        List<String> created = List.of(publishedEventWithSeats(api, 1, 1), publishedEventWithSeats(api, 1, 1),
                publishedEventWithSeats(api, 1, 1));

        List<String> listed = new ArrayList<>();
        String after = null;
        do {
            Response page = api.anonymous().get("/events?limit=2" + (after == null ? "" : "&after=" + after));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            assertThat(page.json().get("items").size()).isBetween(1, 2);
            page.json().get("items").forEach(event -> listed.add(event.get("id").asText()));
            after = page.json().get("nextAfter").isNull() ? null : page.json().get("nextAfter").asText();
        } while (after != null);

        assertThat(listed).doesNotHaveDuplicates().containsAll(created);
        Response draft = api.admin().post("/events", """
                {"title":"Draft","startsAt":"%s","currency":"EUR"}""".formatted(Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS)));
        assertThat(draft.status()).as(draft.toString()).isEqualTo(201);
        // A place forged past the years a start can have is no cursor either, rather than a date PostgreSQL cannot hold.
        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("+1000000-01-01T00:00:00Z," + java.util.UUID.randomUUID()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (String neverListed : List.of(draft.json().get("id").asText(), java.util.UUID.randomUUID().toString(), "x", forged)) {
            Response refused = api.anonymous().get("/events?after=" + neverListed);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
            assertThat(refused.json().get("code").asText()).isEqualTo("invalid-cursor");
        }
    }

    static String publishedEventWithSeats(TestApplication api, int rows, int seatsPerRow) {
        var admin = api.admin();
        Instant startsAt = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Response created = admin.post("/events", """
                {"title":"Concert","description":"An evening","venue":"Hall","startsAt":"%s","endsAt":"%s","currency":"EUR"}
                """.formatted(startsAt, startsAt.plus(3, ChronoUnit.HOURS)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String eventId = created.json().get("id").asText();
        List<String> rowNames = new ArrayList<>();
        for (int row = 1; row <= rows; row++) {
            rowNames.add(String.valueOf(row));
        }
        Response seats = admin.post("/events/" + eventId + "/seats", """
                {"blocks":[{"section":"A","rows":%s,"firstNumber":1,"lastNumber":%d,"price":50.00}]}
                """.formatted(rowNames.stream().map(r -> "\"" + r + "\"").toList(), seatsPerRow));
        assertThat(seats.status()).as(seats.toString()).isEqualTo(201);
        Response published = admin.post("/events/" + eventId + "/publish", "");
        assertThat(published.status()).as(published.toString()).isEqualTo(200);
        return eventId;
    }

    /** The event's seat map as anyone reads it: page after page, following nextAfter. */
    static List<String> availableSeatIds(TestApplication api, String eventId) {
        List<String> ids = new ArrayList<>();
        String after = null;
        do {
            Response page = api.anonymous().get("/events/" + eventId + "/seats" + (after == null ? "" : "?after=" + after));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.json().get("items").forEach(seat -> ids.add(seat.get("id").asText()));
            after = page.json().get("nextAfter").isNull() ? null : page.json().get("nextAfter").asText();
        } while (after != null);
        return ids;
    }

    /** A provider event {@code id} of the payment {@code pay_<id>}. */
    static String paymentEvent(String id, String type, String sessionId, String amount) {
        return paymentEvent(id, type, sessionId, amount, "pay_" + id);
    }

    /** A provider event {@code id} of the payment {@code reference} (another event of one payment names it again). */
    static String paymentEvent(String id, String type, String sessionId, String amount, String reference) {
        return """
                {"id":"%s","type":"%s","paymentSessionId":"%s","amount":"%s","currency":"EUR","providerReference":"%s"}
                """.formatted(id, type, sessionId, amount, reference);
    }
}

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
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import static io.ticketing.app.flow.TicketingFlowTest.availableSeatIds;
import static io.ticketing.app.flow.TicketingFlowTest.publishedEventWithSeats;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seat map (`GET /events/{id}/seats`, anonymous) answers a page at a time: an event of 100,000 seats is not one
 * answer to whoever asks. Pages follow the seat map's order (section, row, number) by keyset, so a client that
 * follows nextAfter reads each seat once while others buy and the admin blocks seats.
 */
class SeatMapPagingTest {

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
    void following_next_after_reads_every_available_seat_once_in_seat_order_while_seats_change_status() {
        // Laid out out of order, so that neither creation nor id order is the seat map's; 10 comes after 9.
        String eventId = draftEvent();
        Response laidOut = api.admin().post("/events/" + eventId + "/seats", """
                {"blocks":[{"section":"B","rows":["2","1"],"firstNumber":1,"lastNumber":10,"price":50.00},
                           {"section":"A","rows":["1"],"firstNumber":1,"lastNumber":10,"price":50.00}]}""");
        assertThat(laidOut.status()).as(laidOut.toString()).isEqualTo(201);
        assertThat(api.admin().post("/events/" + eventId + "/publish", "").status()).isEqualTo(200);
        List<JsonNode> seats = new ArrayList<>();
        laidOut.json().forEach(seats::add);
        List<String> inOrder = seats.stream().sorted(Comparator.comparing((JsonNode seat) -> seat.get("section").asText())
                .thenComparing(seat -> seat.get("row").asText()).thenComparingInt(seat -> seat.get("number").asInt()))
                .map(seat -> seat.get("id").asText()).toList();
        seatAdmin(eventId, "block", inOrder.get(25));

        Response first = api.anonymous().get("/events/" + eventId + "/seats?limit=7");
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(ids(first)).containsExactlyElementsOf(inOrder.subList(0, 7));
        assertThat(first.json().get("nextAfter").asText()).isEqualTo(inOrder.get(6));
        // Behind the cursor and the cursor itself blocked; ahead of it, two seats held by a checkout, one blocked, one freed.
        seatAdmin(eventId, "block", inOrder.get(2), inOrder.get(6), inOrder.get(20));
        Response held = api.customer("ahead@example.com").post("/payment-sessions",
                "{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + inOrder.get(10) + "\",\"" + inOrder.get(11) + "\"]}");
        assertThat(held.status()).as(held.toString()).isEqualTo(201);
        seatAdmin(eventId, "unblock", inOrder.get(25));

        List<String> walked = new ArrayList<>(ids(first));
        String after = first.json().get("nextAfter").asText();
        while (after != null) {
            Response page = api.anonymous().get("/events/" + eventId + "/seats?limit=7&after=" + after);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            assertThat(ids(page)).hasSizeLessThanOrEqualTo(7);
            page.json().get("items").forEach(seat -> assertThat(seat.get("status").asText()).isEqualTo("AVAILABLE"));
            walked.addAll(ids(page));
            after = page.json().get("nextAfter").isNull() ? null : page.json().get("nextAfter").asText();
        }

        assertThat(walked).containsExactlyElementsOf(IntStream.range(0, inOrder.size()).filter(i -> i != 10 && i != 11 && i != 20)
                .mapToObj(inOrder::get).toList());
    }

    @Test
    void a_page_holds_100_seats_unless_asked_for_up_to_1000_and_the_last_page_says_so() {
        String eventId = publishedEventWithSeats(api, 3, 50);

        Response byDefault = api.anonymous().get("/events/" + eventId + "/seats");
        assertThat(ids(byDefault)).hasSize(100);
        Response rest = api.anonymous().get("/events/" + eventId + "/seats?after=" + byDefault.json().get("nextAfter").asText());
        assertThat(ids(rest)).hasSize(50).doesNotContainAnyElementsOf(ids(byDefault));
        assertThat(rest.json().get("nextAfter").isNull()).isTrue();
        Response whole = api.anonymous().get("/events/" + eventId + "/seats?limit=1000");
        assertThat(ids(whole)).hasSize(150).containsExactlyElementsOf(availableSeatIds(api, eventId));
        assertThat(whole.json().get("nextAfter").isNull()).isTrue();
        assertThat(ids(api.anonymous().get("/events/" + eventId + "/seats?limit=1"))).hasSize(1);
    }

    @Test
    void a_bad_or_hostile_limit_or_cursor_is_a_400_with_its_code_never_a_500() {
        String eventId = publishedEventWithSeats(api, 1, 3);
        String otherEvent = publishedEventWithSeats(api, 1, 3);
        String seats = "/events/" + eventId + "/seats";
        for (String limit : List.of("0", "-1", "1001", "100000", "abc", "", "%EF%BC%95", "1.5", "%00")) {
            assertProblem(api.anonymous().get(seats + "?limit=" + limit), "invalid-limit");
        }
        String seatOfAnotherEvent = availableSeatIds(api, otherEvent).get(0);
        for (String cursor : List.of("nope", "", "%00", "123", "x".repeat(2000), seatOfAnotherEvent + "%00",
                "%20" + seatOfAnotherEvent, seatOfAnotherEvent, otherEvent, eventId, java.util.UUID.randomUUID().toString())) {
            assertProblem(api.anonymous().get(seats + "?after=" + cursor), "invalid-cursor");
        }
        Response twice = api.anonymous().get(seats + "?after=" + seatOfAnotherEvent + "&after=" + seatOfAnotherEvent);
        assertProblem(twice, "invalid-value");
        assertThat(api.anonymous().get(seats + "?limit=2&after=" + availableSeatIds(api, eventId).get(0)).status()).isEqualTo(200);
    }

    private static String draftEvent() {
        Instant startsAt = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Response created = api.admin().post("/events", """
                {"title":"Seat map","startsAt":"%s","currency":"EUR"}""".formatted(startsAt));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private static void seatAdmin(String eventId, String action, String... seatIds) {
        Response done = api.admin().post("/events/" + eventId + "/seats/" + action,
                "{\"seatIds\":[" + String.join(",", java.util.Arrays.stream(seatIds).map(id -> "\"" + id + "\"").toList()) + "]}");
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
    }

    private static List<String> ids(Response page) {
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        page.json().get("items").forEach(seat -> ids.add(seat.get("id").asText()));
        return ids;
    }

    private static void assertProblem(Response response, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.contentType()).as(response.toString()).startsWith("application/problem+json");
        assertThat(response.json().get("code").asText()).as(response.toString()).isEqualTo(code);
    }
}

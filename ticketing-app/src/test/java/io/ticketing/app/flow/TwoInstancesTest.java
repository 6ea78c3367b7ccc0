package io.ticketing.app.flow;

import io.ticketing.app.TestApplication;
import io.ticketing.app.TestApplication.Response;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.ticketing.app.flow.TicketingFlowTest.availableSeatIds;
import static io.ticketing.app.flow.TicketingFlowTest.paymentEvent;
import static io.ticketing.app.flow.TicketingFlowTest.publishedEventWithSeats;
import static org.assertj.core.api.Assertions.assertThat;

/** Two API servers on one database, buyers racing for overlapping seats through both: no seat is sold twice. */
class TwoInstancesTest {

    private static final int BUYERS = 24;

    @Test
    void buyers_racing_through_two_instances_never_get_the_same_seat() throws Exception {
        try (TestApplication first = TestApplication.start();
             TestApplication second = TestApplication.startOn(first.database())) {
            String eventId = publishedEventWithSeats(first, 2, 6);
            List<String> seats = availableSeatIds(first, eventId);

            ExecutorService pool = Executors.newFixedThreadPool(BUYERS);
            List<Future<Map<String, List<String>>>> results = new ArrayList<>();
            for (int buyer = 0; buyer < BUYERS; buyer++) {
                TestApplication instance = buyer % 2 == 0 ? first : second;
                Random random = new Random(buyer);
                List<String> wanted = new ArrayList<>(seats);
                Collections.shuffle(wanted, random);
                List<String> pick = wanted.subList(0, 1 + random.nextInt(3));
                String email = "racer" + buyer + "@example.com";
                results.add(pool.submit((Callable<Map<String, List<String>>>) () -> buy(instance, email, eventId, pick)));
            }
            Map<String, List<String>> sold = new HashMap<>();
            for (Future<Map<String, List<String>>> result : results) {
                sold.putAll(result.get());
            }
            pool.shutdown();

            List<String> allSold = sold.values().stream().flatMap(List::stream).toList();
            assertThat(allSold).as("a seat sold to two buyers").doesNotHaveDuplicates();
            assertThat(sold).as("at least one buyer won").isNotEmpty();
            try (Connection connection = first.database().connect(); Statement statement = connection.createStatement()) {
                assertThat(single(statement, "SELECT count(*) FROM (SELECT seat_id FROM ticketing.booked_seat WHERE released_at IS NULL "
                        + "GROUP BY seat_id HAVING count(*) > 1) twice")).isZero();
                assertThat(single(statement, "SELECT count(*) FROM ticketing.seat WHERE status = 'BOOKED'")).isEqualTo(allSold.size());
                assertThat(single(statement, "SELECT count(*) FROM ticketing.event_summary_drift")).isZero();
            }
        }
    }

    /** Opens a checkout and pays it; returns the booking's seats, or nothing if the seats were taken. */
    private static Map<String, List<String>> buy(TestApplication instance, String email, String eventId, List<String> seatIds) {
        String seatsJson = seatIds.stream().map(s -> "\"" + s + "\"").toList().toString();
        Response opened = instance.customer(email).post("/payment-sessions", "{\"eventId\":\"" + eventId + "\",\"seatIds\":" + seatsJson + "}");
        if (opened.status() == 409) {
            return Map.of();
        }
        assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
        String sessionId = opened.json().get("id").asText();
        String amount = opened.json().get("amount").get("amount").asText();
        Response paid = instance.webhook(paymentEvent("evt-" + sessionId, "succeeded", sessionId, amount));
        assertThat(paid.status()).as(paid.toString()).isEqualTo(200);
        String bookingId = paid.json().get("booking").get("id").asText();
        List<String> booked = instance.customer(email).get("/bookings/" + bookingId + "/seats").json().findValuesAsText("id");
        assertThat(booked).as("the winner got exactly the seats it asked for").containsExactlyInAnyOrderElementsOf(seatIds);
        return Map.of(bookingId, booked);
    }

    private static long single(Statement statement, String sql) throws Exception {
        try (ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}

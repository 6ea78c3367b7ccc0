package io.ticketing.app.flow;

import io.ticketing.app.TestApplication;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static io.ticketing.app.flow.TicketingFlowTest.availableSeatIds;
import static io.ticketing.app.flow.TicketingFlowTest.publishedEventWithSeats;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The running application's sweeper with one checkout it cannot expire (its seat released behind its back, as
 * rows written before the database's guards could be): every other expired checkout is still released within
 * the sweep interval, and /metrics counts the failure for the operator.
 */
class PoisonedCheckoutSweepTest {

    @Test
    void one_poisoned_checkout_is_counted_and_every_other_expiry_still_happens() throws Exception {
        try (TestApplication api = TestApplication.start()) {
            String eventId = publishedEventWithSeats(api, 1, 3);
            List<String> seats = availableSeatIds(api, eventId);
            String poisoned = checkout(api, "poisoned@example.com", eventId, seats.get(0));
            String healthy = checkout(api, "healthy@example.com", eventId, seats.get(1));
            try (Connection connection = api.database().connect(); Statement statement = connection.createStatement()) {
                connection.setAutoCommit(false);
                statement.execute("SET LOCAL ticketing.check_invariants = off");
                statement.execute("UPDATE ticketing.seat SET status = 'AVAILABLE' WHERE id = '" + seats.get(0) + "'");
                // both expired a minute ago, the poisoned one first (the sweeper takes the oldest first)
                statement.execute("UPDATE ticketing.payment_session SET expires_at = now() - interval '61 seconds' WHERE id = '" + poisoned + "'");
                statement.execute("UPDATE ticketing.payment_session SET expires_at = now() - interval '60 seconds' WHERE id = '" + healthy + "'");
                connection.commit();
            }

            for (int i = 0; i < 100 && !(status(api, healthy).equals("EXPIRED") && failures(api) >= 1); i++) {
                Thread.sleep(100);
            }

            assertThat(status(api, healthy)).isEqualTo("EXPIRED");
            assertThat(status(api, poisoned)).isEqualTo("OPEN");
            assertThat(failures(api)).as("ticketing_checkouts_expiry_failed_total").isEqualTo(1.0);
            assertThat(api.anonymous().get("/events/" + eventId + "/seats").json().findValuesAsText("id"))
                    .as("the healthy checkout's seat is for sale again").contains(seats.get(1));
        }
    }

    private static String checkout(TestApplication api, String customer, String eventId, String seat) {
        return api.customer(customer).post("/payment-sessions", "{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + seat + "\"]}")
                .json().get("id").asText();
    }

    private static String status(TestApplication api, String checkout) throws Exception {
        try (Connection connection = api.database().connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT status::text FROM ticketing.payment_session WHERE id = '" + checkout + "'")) {
            row.next();
            return row.getString(1);
        }
    }

    private static double failures(TestApplication api) {
        return counter(api, "ticketing_checkouts_expiry_failed_total");
    }

    /** A counter's value on /metrics (0 while it is not there). */
    static double counter(TestApplication api, String name) {
        return api.anonymous().get("/metrics").body().lines()
                .filter(line -> line.startsWith(name))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0);
    }
}

package io.ticketing.app.flow;

import io.ticketing.app.TestApplication;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import static io.ticketing.app.flow.EventCancellationFlowTest.rows;
import static io.ticketing.app.flow.PoisonedCheckoutSweepTest.counter;
import static io.ticketing.app.flow.TicketingFlowTest.availableSeatIds;
import static io.ticketing.app.flow.TicketingFlowTest.paymentEvent;
import static io.ticketing.app.flow.TicketingFlowTest.publishedEventWithSeats;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The running application's cancellation worker with one cancelled event whose batch always fails (a checkout
 * holding a seat already blocked behind its back, as rows written before the database's guards could be): the
 * other cancellation still runs to its end with its refunds requested, and /metrics counts the failure.
 */
class FailingEventCancellationTest {

    @Test
    void one_failing_cancellation_is_counted_and_the_other_one_still_finishes() throws Exception {
        try (TestApplication api = TestApplication.start()) {
            String failing = publishedEventWithSeats(api, 1, 2);
            String seat = availableSeatIds(api, failing).get(0);
            String checkout = api.customer("stuck.cancel@example.com")
                    .post("/payment-sessions", "{\"eventId\":\"" + failing + "\",\"seatIds\":[\"" + seat + "\"]}")
                    .json().get("id").asText();
            try (Connection connection = api.database().connect(); Statement statement = connection.createStatement()) {
                connection.setAutoCommit(false);
                statement.execute("SET LOCAL ticketing.check_invariants = off");
                statement.execute("UPDATE ticketing.seat SET status = 'BLOCKED' WHERE id = '" + seat + "'");
                connection.commit();
            }
            String healthy = publishedEventWithSeats(api, 1, 2);
            List<String> seats = availableSeatIds(api, healthy);
            String paid = api.customer("paid.cancel@example.com")
                    .post("/payment-sessions", "{\"eventId\":\"" + healthy + "\",\"seatIds\":[\"" + seats.get(0) + "\"]}")
                    .json().get("id").asText();
            assertThat(api.webhook(paymentEvent("evt-failing-cancel-" + paid, "succeeded", paid, "50.00")).status()).isEqualTo(200);

            // the failing one first: the worker takes the oldest cancellation first
            assertThat(cancel(api, failing)).isEqualTo(202);
            assertThat(cancel(api, healthy)).isEqualTo(202);

            assertThat(api.awaitCancellationDone(healthy).get("refundsRequested").asLong()).isEqualTo(1);
            for (int i = 0; i < 100 && failures(api) < 1; i++) {
                Thread.sleep(100);
            }
            assertThat(failures(api)).as("ticketing_event_cancellation_batch_failed_total").isEqualTo(1.0);
            assertThat(api.admin().get("/events/" + failing + "/cancellation").json().get("state").asText()).isEqualTo("RUNNING");
            assertThat(refundRequests(api, healthy)).isEqualTo(1);
        }
    }

    private static int cancel(TestApplication api, String eventId) {
        return api.admin().with("Idempotency-Key", "cancel-" + eventId)
                .post("/events/" + eventId + "/cancel", "{\"reason\":\"Called off\"}").status();
    }

    private static long refundRequests(TestApplication api, String eventId) throws Exception {
        try (Connection connection = api.database().connect()) {
            return Long.parseLong(rows(connection, "SELECT count(*)::text FROM ticketing.refund_request WHERE event_id = ?::uuid", eventId).get(0));
        }
    }

    private static double failures(TestApplication api) {
        return counter(api, "ticketing_event_cancellation_batch_failed_total");
    }
}

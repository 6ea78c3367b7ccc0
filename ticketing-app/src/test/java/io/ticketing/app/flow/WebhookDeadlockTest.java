package io.ticketing.app.flow;

import io.ticketing.app.TestApplication;
import io.ticketing.app.TestApplication.Response;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.ticketing.app.flow.TicketingFlowTest.availableSeatIds;
import static io.ticketing.app.flow.TicketingFlowTest.paymentEvent;
import static io.ticketing.app.flow.TicketingFlowTest.publishedEventWithSeats;
import static org.assertj.core.api.Assertions.assertThat;

/** A payment result whose transaction PostgreSQL aborts as a deadlock victim is applied again: the provider sees a normal 200. */
class WebhookDeadlockTest {

    @Test
    void a_deadlock_during_a_payment_result_is_retried_and_the_provider_gets_its_normal_answer() throws Exception {
        try (TestApplication api = TestApplication.start()) {
            String eventId = publishedEventWithSeats(api, 1, 1);
            String seat = availableSeatIds(api, eventId).get(0);
            String sessionId = api.customer("deadlock@example.com").post("/payment-sessions",
                    "{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + seat + "\"]}").json().get("id").asText();
            long deadlocksBefore = deadlocks(api);

            CompletableFuture<Response> paid;
            try (Connection other = api.database().connect(); Statement statement = other.createStatement()) {
                other.setAutoCommit(false);
                // The seat first: the payment result locks its checkout, then waits here for the seat ...
                statement.execute("SELECT 1 FROM ticketing.seat WHERE id = '" + seat + "' FOR UPDATE");
                paid = CompletableFuture.supplyAsync(() -> api.webhook(paymentEvent("evt-deadlock", "succeeded", sessionId, "50.00")));
                api.awaitAQueryWaitingOnALock();
                // ... and this transaction then wants the checkout: a cycle, which PostgreSQL breaks by aborting the
                // transaction that waited first, the payment result's.
                statement.execute("SELECT 1 FROM ticketing.payment_session WHERE id = '" + sessionId + "' FOR UPDATE");
                other.rollback();
            }
            Response answer = paid.get(30, TimeUnit.SECONDS);

            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            assertThat(answer.json().get("booking").get("status").asText()).isEqualTo("CONFIRMED");
            assertThat(awaitDeadlocksAbove(api, deadlocksBefore)).as("PostgreSQL reported the deadlock").isGreaterThan(deadlocksBefore);
        }
    }

    /** The statistics reach pg_stat_database a moment after the transaction ends. */
    private static long awaitDeadlocksAbove(TestApplication api, long before) throws Exception {
        long now = before;
        for (int i = 0; i < 50 && now <= before; i++) {
            Thread.sleep(100);
            now = deadlocks(api);
        }
        return now;
    }

    private static long deadlocks(TestApplication api) throws Exception {
        try (Connection connection = api.database().connect(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_stat_clear_snapshot()");
            try (ResultSet row = statement.executeQuery("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}

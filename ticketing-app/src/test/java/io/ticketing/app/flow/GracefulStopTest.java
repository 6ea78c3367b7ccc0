package io.ticketing.app.flow;

import io.ticketing.app.TestApplication;
import io.ticketing.app.TestApplication.Response;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.ticketing.app.flow.TicketingFlowTest.availableSeatIds;
import static io.ticketing.app.flow.TicketingFlowTest.publishedEventWithSeats;
import static org.assertj.core.api.Assertions.assertThat;

/** Stopping the server lets a request in flight finish and commit before the pool closes. */
class GracefulStopTest {

    @Test
    void a_checkout_in_flight_when_the_server_stops_completes() throws Exception {
        TestApplication api = TestApplication.start();
        String eventId = publishedEventWithSeats(api, 1, 2);
        List<String> seats = availableSeatIds(api, eventId);

        CompletableFuture<Response> checkout;
        CompletableFuture<Void> stopping;
        try (Connection blocker = api.database().connect()) {
            // Hold the event's summary shard rows, one of which a checkout locks first: the request waits in flight.
            blocker.setAutoCommit(false);
            try (Statement statement = blocker.createStatement()) {
                statement.execute("SELECT 1 FROM ticketing.event_summary_shard WHERE event_id = '" + eventId + "' FOR UPDATE");
            }
            checkout = CompletableFuture.supplyAsync(() -> api.customer("late@example.com")
                    .post("/payment-sessions", "{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + seats.get(0) + "\"]}"));
            api.awaitAQueryWaitingOnALock();
            stopping = CompletableFuture.runAsync(api::close);
            Thread.sleep(500);
            assertThat(stopping).as("the stop waits for the request in flight").isNotDone();
            blocker.rollback();
        }

        assertThat(checkout.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
        stopping.get(30, TimeUnit.SECONDS);
        try (Connection connection = api.database().connect(); Statement statement = connection.createStatement();
             var result = statement.executeQuery("SELECT count(*) FROM ticketing.payment_session")) {
            result.next();
            assertThat(result.getLong(1)).as("the checkout was committed").isEqualTo(1);
        }
    }
}

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

/** A retry that arrives while the first request with its Idempotency-Key is still running is told so (409). */
class IdempotencyInFlightTest {

    @Test
    void a_retry_while_the_first_request_runs_is_409_and_after_it_ends_replays_its_answer() throws Exception {
        try (TestApplication api = TestApplication.start()) {
            String eventId = publishedEventWithSeats(api, 1, 2);
            List<String> seats = availableSeatIds(api, eventId);
            var buyer = api.customer("patient@example.com").with("Idempotency-Key", "slow-1");
            String body = "{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + seats.get(0) + "\"]}";

            CompletableFuture<Response> first;
            Response retryInFlight;
            try (Connection blocker = api.database().connect()) {
                // Hold the event's summary shard rows, one of which a checkout locks first: the first request waits.
                blocker.setAutoCommit(false);
                try (Statement statement = blocker.createStatement()) {
                    statement.execute("SELECT 1 FROM ticketing.event_summary_shard WHERE event_id = '" + eventId + "' FOR UPDATE");
                }
                first = CompletableFuture.supplyAsync(() -> buyer.post("/payment-sessions", body));
                api.awaitAQueryWaitingOnALock();
                retryInFlight = buyer.post("/payment-sessions", body);
                blocker.rollback();
            }
            Response answer = first.get(30, TimeUnit.SECONDS);
            Response retryAfter = buyer.post("/payment-sessions", body);

            assertThat(retryInFlight.status()).as(retryInFlight.toString()).isEqualTo(409);
            assertThat(retryInFlight.json().get("code").asText()).isEqualTo("idempotency-key-in-flight");
            assertThat(answer.status()).isEqualTo(201);
            assertThat(retryAfter.body()).isEqualTo(answer.body());
        }
    }
}

package io.ticketing.app.flow;

import io.ticketing.app.TestApplication;
import io.ticketing.app.TestApplication.Response;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.ticketing.app.flow.TicketingFlowTest.availableSeatIds;
import static io.ticketing.app.flow.TicketingFlowTest.publishedEventWithSeats;
import static org.assertj.core.api.Assertions.assertThat;

/** When no database connection can be had, the API says so with a 503 to retry, not a 500. */
class DatabaseUnavailableTest {

    @Test
    void an_exhausted_connection_pool_is_a_503_with_retry_after_and_the_held_requests_complete() throws Exception {
        try (TestApplication api = TestApplication.start()) {
            String eventId = publishedEventWithSeats(api, 1, TestApplication.POOL_SIZE);
            List<String> seats = availableSeatIds(api, eventId);
            List<CompletableFuture<Response>> held = new ArrayList<>();
            Response late;
            try (Connection blocker = api.database().connect()) {
                // Hold every summary shard of the event: each checkout then waits in its transaction,
                // keeping its pooled connection, until the pool has none left.
                blocker.setAutoCommit(false);
                try (Statement statement = blocker.createStatement()) {
                    statement.execute("SELECT 1 FROM ticketing.event_summary_shard WHERE event_id = '" + eventId + "' FOR UPDATE");
                }
                for (int i = 0; i < TestApplication.POOL_SIZE; i++) {
                    String body = "{\"eventId\":\"" + eventId + "\",\"seatIds\":[\"" + seats.get(i) + "\"]}";
                    var buyer = api.customer("held" + i + "@example.com");
                    held.add(CompletableFuture.supplyAsync(() -> buyer.post("/payment-sessions", body)));
                }
                awaitLockWaiters(api, TestApplication.POOL_SIZE);

                late = api.anonymous().get("/events/" + eventId + "/seats");
                blocker.rollback();
            }

            assertThat(late.status()).as(late.toString()).isEqualTo(503);
            assertThat(late.contentType()).startsWith("application/problem+json");
            assertThat(late.json().get("code").asText()).isEqualTo("database-unavailable");
            assertThat(late.header("Retry-After")).isEqualTo("1");
            for (CompletableFuture<Response> checkout : held) {
                assertThat(checkout.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
            }
            assertThat(api.anonymous().get("/events/" + eventId + "/seats").status()).isEqualTo(200);
        }
    }

    private static void awaitLockWaiters(TestApplication api, int count) throws Exception {
        for (int i = 0; i < 200; i++) {
            try (Connection connection = api.database().connect(); Statement statement = connection.createStatement();
                 var result = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                         + "AND datname = current_database()")) {
                result.next();
                if (result.getLong(1) >= count) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError(count + " requests did not all wait on the lock within 10 s");
    }
}

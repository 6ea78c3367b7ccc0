package io.ticketing.app;

import io.ticketing.app.TestApplication.Response;
import io.ticketing.migration.legacy.LegacySchema;
import io.ticketing.migration.legacy.ServingInstance;
import io.ticketing.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running instance renews its leave to write every few seconds and stops writing when the database may no longer be
 * served by it: here, legacy tables that appear beside the new schema (as when a rollback gives them back), then go.
 */
class ServingLeaseTest {

    @Test
    void a_running_instance_stops_serving_within_a_renewal_when_the_database_may_not_be_served_and_serves_again_after() throws Exception {
        TestDatabase database = TestApplication.migratedDatabase();
        try (TestApplication api = TestApplication.startOn(database)) {
            assertThat(api.anonymous().get("/events").status()).isEqualTo(200);

            try (Connection connection = database.connect()) {
                LegacySchema.create(connection);
            }
            Response refused = awaitAnswer(api, "/events", response -> response.status() == 503);
            assertThat(refused.json().get("code").asText()).isEqualTo("not-serving");
            assertThat(refused.json().get("detail").asText()).startsWith("This server may not serve requests now: this database holds "
                    + "the legacy app's tables and no legacy import into it has begun to copy");
            assertThat(refused.header("Retry-After")).isEqualTo("5");
            assertThat(api.anonymous().get("/ready").status()).isEqualTo(503);
            assertThat(api.anonymous().get("/health").status()).isEqualTo(200);

            try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE \"Ticket\", \"_PaymentSessionToSeat\", \"PaymentSession\", \"Booking\", \"Seat\", \"Event\", \"User\"");
            }
            assertThat(awaitAnswer(api, "/events", response -> response.status() == 200).status()).isEqualTo(200);
            assertThat(api.anonymous().get("/ready").status()).isEqualTo(200);
        }
    }

    /** The first answer that {@code wanted} accepts, asked again until a renewal or two has passed. */
    private static Response awaitAnswer(TestApplication api, String path, Predicate<Response> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + ServingInstance.RENEW_EVERY.multipliedBy(3).toNanos();
        Response response = api.anonymous().get(path);
        while (!wanted.test(response) && System.nanoTime() < deadline) {
            Thread.sleep(Duration.ofMillis(200).toMillis());
            response = api.anonymous().get(path);
        }
        return response;
    }

    @Test
    void an_instance_whose_registration_vanished_under_it_serves_no_more_until_restarted() throws Exception {
        TestDatabase database = TestApplication.migratedDatabase();
        try (TestApplication api = TestApplication.startOn(database)) {
            // What a rollback, then a new import, leave: the table of instances made again, without this one's row.
            try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
                statement.execute("DELETE FROM ticketing.serving_instance");
            }
            Response refused = awaitAnswer(api, "/events", response -> response.status() == 503);
            assertThat(refused.json().get("detail").asText()).isEqualTo("This server may not serve requests now: this instance stopped "
                    + "serving for good: its registration is gone: the schema it served was dropped and made again (a legacy rollback, "
                    + "then an import?), or the row deleted; restart it.");
            Thread.sleep(ServingInstance.RENEW_EVERY.multipliedBy(2).toMillis());
            assertThat(api.anonymous().get("/events").status()).as("for good").isEqualTo(503);
        }
    }
}
